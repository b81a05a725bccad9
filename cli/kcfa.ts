// `cairn kcfa PROG.cps -k K`: parses a CPS program, runs the bundled k-CFA rules
// (programs/kcfa/) on it and writes flows, calls, halts and monomorphic.csv;
// `--emit-facts DIR` writes the rules' input facts for `cairn run`.

import { Option, type Command } from "commander";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CairnError, renderDiagnostics, type Style } from "../index.js";
import { rulesFile, runKcfa, VARIANTS, type Variant } from "../programs/kcfa/analysis.js";
import { cpsFacts, writeFacts } from "../programs/kcfa/facts.js";
import { loadCps } from "../programs/kcfa/program.js";

/** What the command needs from the CLI around it. */
export interface KcfaHost {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly style: () => Style;
  /** Ends the command with an exit code (never returns). */
  readonly exit: (code: number) => never;
}

interface KcfaOptions {
  k: string;
  variant: Variant;
  outputDir?: string;
  emitFacts?: string;
  stats?: boolean;
}

const EXIT_PROGRAM = 1;
const EXIT_USAGE = 2;
const EXIT_RUNTIME = 3;
const EXIT_OUTPUT = 4;

function writeOutputs(files: Record<string, Uint8Array>, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const done: { tmp: string; path: string }[] = [];
  try {
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, `${name}.csv`);
      const tmp = `${path}.cairn-${process.pid}.tmp`;
      done.push({ tmp, path });
      writeFileSync(tmp, text);
    }
    for (const f of done) renameSync(f.tmp, f.path);
  } catch (e) {
    for (const f of done) rmSync(f.tmp, { force: true });
    throw e;
  }
}

function kcfa(file: string, o: KcfaOptions, host: KcfaHost): void {
  const k = Number(o.k);
  if (!/^\d+$/.test(o.k) || k > 1000) {
    host.stderr(`cairn kcfa: -k takes a whole number from 0 to 1000, got "${o.k}"\n`);
    host.exit(EXIT_USAGE);
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    host.stderr(`cairn: cannot read ${file}\n`);
    return host.exit(EXIT_USAGE);
  }
  const t0 = performance.now();
  let program: ReturnType<typeof loadCps>;
  try {
    program = loadCps(text, file);
  } catch (e) {
    if (!(e instanceof CairnError)) throw e;
    host.stderr(renderDiagnostics(e.diagnostics, e.sources, host.style()) + "\n");
    const n = e.diagnostics.length;
    host.stderr(`cairn: ${n} error${n === 1 ? "" : "s"} in ${file}\n`);
    return host.exit(EXIT_PROGRAM);
  }
  if (o.emitFacts !== undefined) {
    try {
      writeFacts(cpsFacts(program, k), o.emitFacts);
    } catch (e) {
      host.stderr(`${host.style().error("error[output]")}: ${(e as Error).message}\n`);
      host.exit(EXIT_OUTPUT);
    }
    const rel = relative(process.cwd(), rulesFile(o.variant));
    const rules = rel.startsWith("..") ? rulesFile(o.variant) : rel;
    host.stderr(`wrote the input facts to ${o.emitFacts}; run the rules with: cairn run ${rules} -F ${o.emitFacts} -D OUT\n`);
    if (o.outputDir === undefined) return;
  }
  const t1 = performance.now();
  let result: ReturnType<typeof runKcfa>;
  try {
    result = runKcfa(program, k, o.variant);
  } catch (e) {
    // Out of memory in a typed array, or any failure of the rules while running.
    if (!(e instanceof Error) || e instanceof CairnError || !/RangeError|EvaluationError|GrowthLimitError|MemoryLimitError/.test(e.name))
      throw e;
    host.stderr(`${host.style().error("error[runtime]")}: the analysis failed: ${e.message}\n`);
    return host.exit(EXIT_RUNTIME);
  }
  const t2 = performance.now();
  const out = o.outputDir ?? ".";
  if (out === "-") {
    for (const [name, body] of Object.entries(result.text()))
      host.stdout(`---------------\n${name}\n===============\n${body}===============\n`);
  } else {
    try {
      if (!existsSync(out)) mkdirSync(out, { recursive: true });
      writeOutputs(result.files(), out);
    } catch (e) {
      host.stderr(`${host.style().error("error[output]")}: ${(e as Error).message}\n`);
      host.exit(EXIT_OUTPUT);
    }
  }
  if (o.stats) {
    const sizes = Object.entries(result.sizes)
      .map(([r, n]) => `${r} ${n}`)
      .join(", ");
    host.stderr(
      `${program.calls.length} calls, ${program.lambdas.length} lambdas; k = ${k}, ${o.variant}; ` +
        `parse ${(t1 - t0).toFixed(0)} ms, analyse ${(t2 - t1).toFixed(0)} ms; ${sizes}; ` +
        `peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`,
    );
  }
}

/** Adds the `kcfa` command to the CLI. */
export function registerKcfa(cli: Command, host: KcfaHost): void {
  cli
    .command("kcfa")
    .description("control-flow analysis of a CPS program by the bundled k-CFA rules (programs/kcfa/)")
    .argument("<program.cps>", "the CPS program (s-expressions)")
    .option("-k, --k <K>", "contexts remember the last K call sites", "0")
    .addOption(
      new Option("--variant <variant>", "flat: closures remember one context (polynomial); env: per-variable environments (Might, LVish)")
        .choices(VARIANTS)
        .default("flat"),
    )
    .option(
      "-D, --output-dir <dir>",
      "folder for flows.csv, calls.csv, halts.csv and monomorphic.csv, or - for standard output (default: .)",
    )
    .option("--emit-facts <dir>", "write the rules' input facts to <dir> (without -D, only the facts)")
    .option("--stats", "print timings, relation sizes and peak memory to stderr")
    .action((file: string, o: KcfaOptions) => kcfa(file, o, host));
}
