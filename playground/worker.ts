// The playground's worker: the whole of Cairn running off the page's thread.
// A check parses and checks the program and runs the CALM analysis, answering
// with diagnostics, the `cairn analyze` report and the dataflow graph (of
// rules and of operators); a run
// then reads the facts given for each `.input`, evaluates (reporting progress
// as the terminal's progress line does) and answers with each `.output` as a
// table of cells written as the command line writes them. The page stops a
// run by ending this worker.

import { analyze } from "../lang/calm/analyze.js";
import { buildGraph } from "../lang/calm/graph.js";
import { renderAnalysis } from "../lang/calm/render-text.js";
import { frontend } from "../lang/compile.js";
import { type Diagnostic, error, renderDiagnostic } from "../lang/diagnostics.js";
import type { CheckedProgram } from "../lang/model.js";
import type { SourceMap } from "../lang/span.js";
import { EvaluationError } from "../engine/eval/functors.js";
import { operatorsOf } from "../engine/eval/operator-graph.js";
import { ProgramRunner } from "../engine/eval/program-runner.js";
import { progressText } from "../engine/eval/progress-text.js";
import { runtimeDiagnostic } from "../engine/eval/runtime-diagnostic.js";
import { readFacts } from "../engine/io/facts-reader.js";
import { formatRows } from "../engine/io/facts-writer.js";
import { DEFAULT_LIMITS } from "../engine/io/input-limits.js";
import { inputName, readOptions, unescapeDelimiter } from "../engine/io/io-params.js";
import type { CheckedReply, PageDiagnostic, Reply, Request, RelationShape, Table } from "./protocol.js";

const post = (r: Reply) => (self as unknown as Worker).postMessage(r);

function pageDiagnostic(d: Diagnostic, sources: SourceMap): PageDiagnostic {
  const s = d.span;
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(s ? { file: s.file, from: s.start.offset, to: s.end.offset, line: s.start.line, col: s.start.col } : {}),
    notes: d.notes.map((n) => n.message),
    text: renderDiagnostic(d, sources),
  };
}

function shapes(program: CheckedProgram, kind: "inputs" | "outputs"): RelationShape[] {
  const out: RelationShape[] = [];
  for (const info of program.relations.values()) {
    const spec = info[kind][0];
    if (!spec) continue;
    const columns = info.columns.map((c) => ({ name: c.name, type: c.typeName }));
    if (kind === "outputs") out.push({ name: info.name, columns });
    else {
      const rfc4180 = spec.params.rfc4180 === "true";
      out.push({
        name: info.name,
        columns,
        file: inputName(info.name, spec.params),
        delimiter: unescapeDelimiter(spec.params.delimiter, rfc4180),
      });
    }
  }
  return out;
}

/** Parses, checks and analyses; posts what a check answers. Returns the program to run, if it has no errors. */
function check(req: Request): { checked: CheckedProgram; sources: SourceMap } | undefined {
  const result = frontend(req.name, (path) => (path === req.name ? req.program : undefined));
  const diagnostics = result.diagnostics.map((d) => pageDiagnostic(d, result.sources));
  if (!result.checked || !result.written || result.diagnostics.some((d) => d.severity === "error")) {
    post({ type: "checked", diagnostics, inputs: [], outputs: [] });
    return undefined;
  }
  const written = result.written;
  const analysis = analyze(written);
  const graph = buildGraph(analysis, written);
  const reply: CheckedReply = {
    type: "checked",
    diagnostics,
    analysisDiagnostics: analysis.diagnostics.map((d) => pageDiagnostic(d, result.sources)),
    analysis: renderAnalysis(analysis, { sources: result.sources, program: written, title: req.name }),
    graph,
    operators: operatorsOf(graph, analysis, written),
    inputs: shapes(written, "inputs"),
    outputs: shapes(written, "outputs"),
  };
  post(reply);
  return { checked: result.checked, sources: result.sources };
}

/** A failure of the run itself, located as the command line locates it. */
function failureDiagnostic(e: unknown, checked: CheckedProgram): Diagnostic | undefined {
  if (!(e instanceof EvaluationError || e instanceof RangeError)) return undefined;
  return runtimeDiagnostic(e, checked, { memory: "the page's memory sets the budget", growth: "the growth limit is 50,000,000 updates" });
}

function run(req: Request): void {
  const front = check(req);
  if (!front) {
    post({ type: "failed", stage: "program", diagnostics: [] });
    return;
  }
  const { checked, sources } = front;
  // A page cannot load a module of implementations as `cairn run --functors` does.
  const functors = [...(checked.functors?.values() ?? [])].map((f) =>
    error("unsupported", `functor @${f.name} needs an implementation, which the playground cannot load`, f.span, [
      { message: "run the program with `cairn run --functors FILE.mjs`" },
    ]),
  );
  if (functors.length > 0) {
    post({ type: "failed", stage: "program", diagnostics: functors.map((d) => pageDiagnostic(d, sources)) });
    return;
  }
  const t0 = performance.now();
  const runner = new ProgramRunner(checked);
  const bad: Diagnostic[] = [];
  for (const info of checked.relations.values()) {
    const spec = info.inputs[0];
    const text = req.facts?.[info.name];
    if (!spec || text === undefined || text === "") continue;
    const format = readOptions(spec.params, DEFAULT_LIMITS.fieldBytes);
    sources.add(inputName(info.name, spec.params), text);
    bad.push(...readFacts(runner.relation(info.name), { file: inputName(info.name, spec.params), text }, format, runner.symbols, sources));
  }
  if (bad.length > 0) {
    post({ type: "failed", stage: "facts", diagnostics: bad.map((d) => pageDiagnostic(d, sources)) });
    return;
  }
  const t1 = performance.now();
  let last = 0;
  runner.onProgress = (p) => {
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    post({ type: "progress", text: progressText(p, now - t1) });
  };
  try {
    runner.run();
  } catch (e) {
    const d = failureDiagnostic(e, checked);
    if (!d) throw e;
    post({ type: "failed", stage: "run", diagnostics: [pageDiagnostic(d, sources)] });
    return;
  }
  const t2 = performance.now();
  const tables: Table[] = [];
  const sizes: [string, number][] = [];
  for (const info of checked.relations.values()) {
    const rel = runner.relation(info.name);
    if (info.outputs.length > 0) {
      const text = formatRows(rel, runner.symbols);
      const rows =
        text === ""
          ? []
          : text
              .slice(0, -1)
              .split("\n")
              .map((line) => line.split("\t"));
      tables.push({ name: info.name, columns: info.columns.map((c) => c.name), rows });
    }
    if (info.printsize) sizes.push([info.name, rel.live]);
  }
  post({ type: "done", tables, sizes, loadMs: t1 - t0, evaluateMs: t2 - t1 });
}

self.onmessage = (e: MessageEvent<Request>) => {
  try {
    if (e.data.type === "check") check(e.data);
    else run(e.data);
  } catch (err) {
    const message = `internal error: ${(err as Error).stack ?? err}`;
    post({
      type: "failed",
      stage: "run",
      diagnostics: [{ severity: "error", code: "internal", message, notes: [], text: `error[internal]: ${message}` }],
    });
  }
};
