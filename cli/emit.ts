// `cairn run --emit ast|plan|code`: the pipeline's stages printed for people
// learning or debugging the engine — the parsed AST as JSON; after a run over
// the facts given, the plan each rule version ran with (strata in order,
// freeze points, join orders, indexes and the sizes the planner expected;
// after the magic-set transformation when the program asks for it) and the
// generated JavaScript.

import type { Program } from "../lang/ast.js";
import type { CheckedProgram } from "../lang/model.js";
import type { SourceMap, Span } from "../lang/span.js";
import type { ProgramRunner } from "../engine/eval/program-runner.js";
import type { DatabaseSource } from "../engine/api/persist.js";
import { printRule } from "../lang/calm/print.js";
import { location } from "../lang/calm/render-text.js";
import { describeMagic } from "../lang/magic/describe.js";
import { printPlans } from "../engine/plan/print.js";

function sourceText(span: Span, sources: SourceMap): string {
  const text = sources.text(span.file);
  return text === undefined ? "" : text.slice(span.start.offset, span.end.offset).replace(/\s+/g, " ").trim();
}

/** The AST as JSON, without spans. */
export function emitAst(ast: Program): string {
  return JSON.stringify(ast, (k, v) => (k === "span" || k === "nameSpan" || k === "relationSpan" ? undefined : v), 2) + "\n";
}

/** A database's view of its program's source; the canonical text (a state's identity) is made only when a state is saved or restored. */
export function databaseSource(ast: Program, sources: SourceMap): DatabaseSource {
  return {
    ast,
    sources,
    get text() {
      return emitAst(ast);
    },
  };
}

/** The strata in evaluation order with the plans of their rule versions. */
export function emitPlan(checked: CheckedProgram, runner: ProgramRunner, sources: SourceMap): string {
  // After the magic-set transformation rules are printed as they run, not as written.
  const magic = checked.magic ? `${describeMagic(checked.magic).join("\n")}\n` : "";
  const text = printPlans(
    runner.stratumPlans(),
    (r) => runner.relation(r).arity,
    ({ rule }) => `${location(rule.span)}: ${checked.magic ? printRule(rule) : sourceText(rule.span, sources)}`,
  );
  return magic + text;
}

/** The generated JavaScript of every rule version, as the run ended with it. */
export function emitCode(runner: ProgramRunner): string {
  return runner.sources.map((s) => `${s.source}\n`).join("");
}
