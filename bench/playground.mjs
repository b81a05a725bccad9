// The playground's evaluation time against the command line's on the same
// machine: tc_random_1000 (bench/programs/tc.dl over ../shared/bench/gen.py's
// random graph) evaluated in the page's worker in headless Chromium and by
// dist/cairn.mjs, the "evaluate" time each reports (the runner's run, facts
// already read), median of --runs interleaved runs. Needs `npm run build`
// (the command line and dist/playground) and Chromium (CAIRN_CHROMIUM, or
// chromium on PATH).
//
//   node bench/playground.mjs [--runs 5] [--workload tc_random_1000]

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { args, cli, generated, median, opt, root } from "./lib.mjs";

const runs = Number(opt("--runs", "5"));
const size = 1000;
const name = `tc_random_${size}`;
const program = join(root, "bench/programs/tc.dl");
const facts = generated(name, "tc_random", size);
const executablePath =
  process.env.CAIRN_CHROMIUM ??
  spawnSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).stdout.trim();
if (!executablePath) throw new Error("no Chromium: install it or set CAIRN_CHROMIUM");
const out = mkdtempSync(join(tmpdir(), "cairn-bench-playground-"));

function cliRun() {
  const r = spawnSync(process.execPath, [cli, "run", program, "-F", facts, "-D", out, "--stats"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cairn failed: ${r.stderr}`);
  const rows = readFileSync(join(out, "path.csv"), "utf8").split("\n").length - 1;
  return { evaluate: Number(/evaluate (\d+) ms/.exec(r.stderr)[1]), rows };
}

// The page, served by `cairn playground`.
const server = spawn(process.execPath, [cli, "playground", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((ok, fail) => {
  let text = "";
  server.stdout.on("data", (b) => {
    text += b;
    const m = /(http:\/\/\S+)/.exec(text);
    if (m) ok(m[1]);
  });
  server.on("exit", (c) => fail(new Error(`cairn playground exited with ${c}`)));
});
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const page = await browser.newPage();
await page.goto(url);
await page.waitForSelector("body[data-ready=true]");
const state = { name: "tc.dl", program: readFileSync(program, "utf8"), facts: { edge: readFileSync(join(facts, "edge.facts"), "utf8") } };

async function pageRun() {
  await page.evaluate((s) => window.playground.load(s), state);
  await page.click("#run");
  await page.waitForFunction(() => !["running", "idle"].includes(window.playground.lastRun().state), undefined, { timeout: 120_000 });
  const last = await page.evaluate(() => window.playground.lastRun());
  if (last.state !== "done") throw new Error(`the page's run ended ${last.state}`);
  const rows = await page.evaluate(() => window.playground.tables()[0].rows.length);
  return { evaluate: last.evaluateMs, rows };
}

const cliTimes = [];
const pageTimes = [];
for (let i = 0; i < runs; i++) {
  const c = cliRun();
  const p = await pageRun();
  if (c.rows !== p.rows) throw new Error(`the page derived ${p.rows} rows of path, the command line ${c.rows}`);
  cliTimes.push(c.evaluate);
  pageTimes.push(p.evaluate);
}
const chrome = await browser.version();
await browser.close();
server.kill();
rmSync(out, { recursive: true, force: true });
const c = median(cliTimes);
const p = median(pageTimes);
console.log(
  `node ${process.version}, Chromium ${chrome}; median of ${runs} interleaved runs; command: node bench/playground.mjs ${args.join(" ")}`.trim(),
);
console.log(`| workload | command line: evaluate | page (Web Worker): evaluate | page / command line |`);
console.log(`| --- | --- | --- | --- |`);
console.log(`| ${name} | ${c.toFixed(0)} ms | ${p.toFixed(0)} ms | ${(p / c).toFixed(2)}× |`);
console.log(
  `samples: command line ${cliTimes.map((x) => x.toFixed(0)).join(", ")} ms; page ${pageTimes.map((x) => x.toFixed(0)).join(", ")} ms`,
);
