// The playground page: the program editor, the examples menu, Run and Stop,
// the progress line, and the panels — facts for each `.input` (typed, pasted
// or uploaded), a sortable table for each `.output`, the problems as the
// command line prints them, the `cairn analyze` report and the dataflow graph.
// A checker worker answers as the program is edited; runs go to a second
// worker, which Stop ends (and replaces).

import { programEditor } from "./editor.js";
import { drawGraph } from "./graph-svg.js";
import type { CheckedReply, DoneReply, PageDiagnostic, Reply, Request, Table } from "./protocol.js";
import { decodeState, encodeState, type Shared } from "./share.js";
import { showTable } from "./table.js";

interface Example extends Shared {
  readonly id: string;
  readonly title: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const status = $<HTMLElement>("status");
const runButton = $<HTMLButtonElement>("run");
const stopButton = $<HTMLButtonElement>("stop");
const examples = $<HTMLSelectElement>("examples");
const problems = $<HTMLElement>("problems");
const analysisPanel = $<HTMLElement>("analysis");
const graphPanel = $<HTMLElement>("graph");
const factsTabs = $<HTMLElement>("facts-tabs");
const factsPanel = $<HTMLElement>("facts");
const outputTabs = $<HTMLElement>("output-tabs");
const outputPanel = $<HTMLElement>("output");

let name = "program.dl";
const facts = new Map<string, string>();
let checked: CheckedReply | undefined;
let factsShown: string | undefined;
let outputShown: string | undefined;
let tables: readonly Table[] = [];
/** What the last run ended with, for the page's own tests and the benchmark. */
let lastRun: { state: "idle" | "running" | "done" | "failed" | "stopped"; evaluateMs?: number; loadMs?: number; stage?: string } = {
  state: "idle",
};

const workerUrl = new URL("./worker.js", import.meta.url);
const newWorker = () => new Worker(workerUrl, { type: "module" });

// Checks as the program is edited, a moment after the last keystroke.
const checker = newWorker();
let checkTimer: ReturnType<typeof setTimeout> | undefined;
let checksAsked = 0;
let checksAnswered = 0;
checker.onmessage = (e: MessageEvent<Reply>) => {
  const r = e.data;
  if (r.type !== "checked" && r.type !== "failed") return;
  checksAnswered++;
  // An answer to an older version of the program is not shown over a newer one's.
  if (checksAnswered !== checksAsked || checkTimer !== undefined) return;
  if (r.type === "checked") showChecked(r);
  else showProblems(r.diagnostics, false);
};
function scheduleCheck(): void {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => {
    checkTimer = undefined;
    checksAsked++;
    checker.postMessage({ type: "check", name, program: editor.text() } satisfies Request);
  }, 250);
}

const editor = programEditor($("editor"), scheduleCheck);

function selectTab(group: string, tab: string): void {
  for (const b of document.querySelectorAll<HTMLElement>(`[data-group="${group}"]`)) b.classList.toggle("active", b.dataset.tab === tab);
  for (const p of document.querySelectorAll<HTMLElement>(`[data-panel-group="${group}"]`)) p.hidden = p.dataset.panel !== tab;
}
for (const b of document.querySelectorAll<HTMLElement>("[data-group=main]")) b.onclick = () => selectTab("main", b.dataset.tab!);

/** The problems as `cairn check` prints them: with errors present only the errors, and a closing count. */
function showProblems(ds: readonly PageDiagnostic[], summary = true): void {
  const errors = ds.filter((d) => d.severity === "error");
  const shown = errors.length > 0 ? errors : ds;
  let text = shown.map((d) => `${d.text}\n`).join("\n");
  if (summary && errors.length > 0) {
    const w = ds.length - errors.length;
    const hidden = w > 0 ? ` (${w} warning${w === 1 ? "" : "s"} not shown)` : "";
    text += `cairn: ${errors.length} error${errors.length === 1 ? "" : "s"} in ${name}${hidden}\n`;
  }
  problems.textContent = ds.length === 0 ? "No problems." : text;
  const label = $<HTMLElement>("problems-count");
  label.textContent = ds.length === 0 ? "" : ` (${shown.length})`;
  label.classList.toggle("has-errors", errors.length > 0);
}

function showChecked(r: CheckedReply): void {
  checked = r;
  const found = r.analysisDiagnostics ?? [];
  editor.showDiagnostics([...r.diagnostics, ...found], name);
  showProblems(r.diagnostics);
  // As `cairn analyze` prints them: the analysis's errors (on its stderr), then the report.
  const n = found.length;
  const rejected = n > 0 ? `${found.map((d) => `${d.text}\n`).join("\n")}cairn: ${n} error${n === 1 ? "" : "s"} in ${name}\n` : "";
  analysisPanel.textContent = r.analysis === undefined ? "The program has errors: see Problems." : rejected + r.analysis;
  showGraph();
  showFactsTabs();
}

/** Which graph the Graph tab draws: one node per rule (`cairn graph`), or each rule version's operators (`--operators`). */
let graphView: "rules" | "operators" = "rules";

function showGraph(): void {
  graphPanel.replaceChildren();
  const graph = graphView === "rules" ? checked?.graph : checked?.operators;
  if (!graph) {
    graphPanel.textContent = "The program has errors: see Problems.";
    return;
  }
  const views = document.createElement("nav");
  views.className = "views";
  for (const [view, label] of [
    ["rules", "rules (cairn graph)"],
    ["operators", "operators (cairn graph --operators)"],
  ] as const) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.view = view;
    b.className = view === graphView ? "active" : "";
    b.textContent = label;
    b.onclick = () => {
      graphView = view;
      showGraph();
    };
    views.append(b);
  }
  // The panel's room, as it is when shown (hidden panels measure nothing).
  const room = graphPanel.closest(".right")!.getBoundingClientRect();
  graphPanel.append(views, drawGraph(graph, { width: room.width - 24, height: room.height - 130 }), legend());
}

function legend(): HTMLElement {
  const div = document.createElement("div");
  div.className = "legend";
  div.innerHTML =
    '<span class="monotone">monotone</span> <span class="lattice-monotone">lattice-monotone</span> ' +
    '<span class="threshold">threshold</span> <span class="non-monotone">non-monotone</span> · ' +
    "boxes: relations (filled: input, doubled: output), ovals: rules · dashed red edge: a freeze point";
  return div;
}

function showFactsTabs(): void {
  const inputs = checked?.inputs ?? [];
  factsTabs.replaceChildren();
  if (inputs.length === 0) {
    factsPanel.replaceChildren(Object.assign(document.createElement("p"), { textContent: "The program reads no .input relation." }));
    factsShown = undefined;
    return;
  }
  if (!inputs.some((i) => i.name === factsShown)) factsShown = inputs[0]!.name;
  for (const input of inputs) {
    const b = document.createElement("button");
    b.className = `tab${input.name === factsShown ? " active" : ""}`;
    b.dataset.relation = input.name;
    const lines = (facts.get(input.name) ?? "").split("\n").filter((l) => l !== "").length;
    b.textContent = `${input.name} (${lines})`;
    b.onclick = () => {
      factsShown = input.name;
      showFactsTabs();
    };
    factsTabs.append(b);
  }
  const input = inputs.find((i) => i.name === factsShown)!;
  const head = document.createElement("p");
  const delim = input.delimiter === "\t" ? "tab" : JSON.stringify(input.delimiter);
  head.textContent = `${input.file}: one fact a line, ${input.columns.map((c) => `${c.name}: ${c.type}`).join(", ")}, separated by ${delim}.`;
  const upload = document.createElement("input");
  upload.type = "file";
  upload.title = "read the facts from a file";
  upload.onchange = async () => {
    const f = upload.files?.[0];
    if (!f) return;
    facts.set(input.name, await f.text());
    showFactsTabs();
  };
  const area = document.createElement("textarea");
  area.id = "facts-text";
  area.spellcheck = false;
  area.value = facts.get(input.name) ?? "";
  area.oninput = () => facts.set(input.name, area.value);
  area.onchange = () => showFactsTabs();
  factsPanel.replaceChildren(head, upload, area);
}

function showTables(): void {
  outputTabs.replaceChildren();
  if (tables.length === 0) {
    outputPanel.textContent = "The program writes no .output relation.";
    return;
  }
  if (!tables.some((t) => t.name === outputShown)) outputShown = tables[0]!.name;
  for (const t of tables) {
    const b = document.createElement("button");
    b.className = `tab${t.name === outputShown ? " active" : ""}`;
    b.dataset.relation = t.name;
    b.textContent = `${t.name} (${t.rows.length.toLocaleString("en-US")})`;
    b.onclick = () => {
      outputShown = t.name;
      showTables();
    };
    outputTabs.append(b);
  }
  showTable(outputPanel, tables.find((t) => t.name === outputShown)!);
}

let runner: Worker | undefined;
let started = 0;

function setRunning(on: boolean): void {
  runButton.disabled = on;
  stopButton.disabled = !on;
  document.body.classList.toggle("running", on);
}

function finishRun(r: DoneReply): void {
  tables = r.tables;
  const sizes = r.sizes.map(([rel, n]) => `${rel}: ${n}`).join(", ");
  status.textContent = `done: load ${r.loadMs.toFixed(0)} ms, evaluate ${r.evaluateMs.toFixed(0)} ms${sizes ? `; ${sizes}` : ""}`;
  lastRun = { state: "done", evaluateMs: r.evaluateMs, loadMs: r.loadMs };
  showTables();
  selectTab("main", "output");
}

function run(): void {
  if (runner === undefined) runner = newWorker();
  const w = runner;
  setRunning(true);
  started = performance.now();
  lastRun = { state: "running" };
  status.textContent = "running…";
  w.onmessage = (e: MessageEvent<Reply>) => {
    const r = e.data;
    if (r.type === "checked") showChecked(r);
    else if (r.type === "progress") status.textContent = r.text;
    else if (r.type === "done") {
      setRunning(false);
      finishRun(r);
    } else {
      setRunning(false);
      lastRun = { state: "failed", stage: r.stage };
      status.textContent =
        r.stage === "program" ? "the program has errors" : r.stage === "facts" ? "the facts have errors" : "the run failed";
      if (r.diagnostics.length > 0) showProblems(r.diagnostics, false);
      selectTab("main", "problems");
    }
  };
  w.onerror = (e) => {
    setRunning(false);
    lastRun = { state: "failed", stage: "run" };
    status.textContent = `the run failed: ${e.message}`;
  };
  w.postMessage({ type: "run", name, program: editor.text(), facts: Object.fromEntries(facts) } satisfies Request);
  void share();
}

function stop(): void {
  runner?.terminate();
  runner = undefined;
  setRunning(false);
  lastRun = { state: "stopped" };
  status.textContent = `stopped after ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** Shows `s`: its program in the editor, its facts in the panels; `example` is the menu entry it is, if any. */
function load(s: Shared, example = ""): void {
  examples.value = example;
  name = s.name;
  facts.clear();
  for (const [k, v] of Object.entries(s.facts)) facts.set(k, v);
  editor.setText(s.program);
  tables = [];
  showTables();
  status.textContent = "";
  lastRun = { state: "idle" };
  $<HTMLElement>("file-name").textContent = name;
}

/** Puts the program and facts in the address, so the link restores them. */
async function share(): Promise<string> {
  const hash = await encodeState({ name, program: editor.text(), facts: Object.fromEntries(facts) });
  history.replaceState(null, "", `#${hash}`);
  return location.href;
}

runButton.onclick = run;
stopButton.onclick = stop;
$<HTMLButtonElement>("share").onclick = async () => {
  const url = await share();
  await navigator.clipboard?.writeText(url).catch(() => undefined);
  status.textContent = "link copied: it restores the program and its facts";
};
document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
    e.preventDefault();
    if (!runButton.disabled) run();
  }
});

async function start(): Promise<void> {
  const list = (await (await fetch("examples.json")).json()) as Example[];
  for (const ex of list) examples.append(new Option(ex.title, ex.id));
  examples.onchange = () => {
    const ex = list.find((x) => x.id === examples.value);
    if (ex) load(ex, ex.id);
  };
  const restored = await decodeState(location.hash);
  if (restored) load(restored);
  else if (list[0]) load(list[0], list[0].id);
  document.body.dataset.ready = "true";
}

// For the page's tests and the benchmark: what is shown, without reading it back from the DOM.
Object.assign(window, {
  playground: {
    load: (s: Shared) => load(s),
    run,
    stop,
    tables: () => tables,
    lastRun: () => lastRun,
    /** Whether the program as it stands has been checked and its check shown. */
    checkedNow: () => checkTimer === undefined && checksAnswered === checksAsked && checksAsked > 0,
    checked: () => checked,
    program: () => editor.text(),
    facts: () => Object.fromEntries(facts),
  },
});

void start();
