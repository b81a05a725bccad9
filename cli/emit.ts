// `cairn run --emit ast|plan|code`: the pipeline's stages printed for people
// learning or debugging the engine — the parsed AST as JSON, the plan (strata
// in order, each rule with its compiled versions, after the magic-set
// transformation when the program asks for it), the generated JavaScript.

import type { Program } from "../lang/ast.js";
import type { CheckedProgram } from "../lang/model.js";
import type { SourceMap, Span } from "../lang/span.js";
import type { ProgramRunner } from "../engine/eval/program-runner.js";
import { printRule } from "../lang/calm/print.js";
import { describeMagic } from "../lang/magic/describe.js";

function sourceText(span: Span, sources: SourceMap): string {
  const text = sources.text(span.file);
  return text === undefined ? "" : text.slice(span.start.offset, span.end.offset).replace(/\s+/g, " ").trim();
}

/** The AST as JSON, without spans. */
export function emitAst(ast: Program): string {
  return JSON.stringify(ast, (k, v) => (k === "span" || k === "nameSpan" || k === "relationSpan" ? undefined : v), 2) + "\n";
}

/** The strata in evaluation order with their rules and compiled versions. */
export function emitPlan(checked: CheckedProgram, runner: ProgramRunner, sources: SourceMap): string {
  const versions = new Map<number, string[]>();
  for (const s of runner.sources) versions.set(s.rule, [...(versions.get(s.rule) ?? []), s.version]);
  // After the magic-set transformation rules are printed as they run, not as written.
  const lines: string[] = checked.magic ? describeMagic(checked.magic) : [];
  checked.strata.forEach((st, i) => {
    const kind = st.recursive ? "recursive, semi-naive" : "non-recursive, one pass";
    lines.push(`stratum ${i + 1}: ${st.relations.join(", ")} (${kind})`);
    for (const id of st.rules) {
      const rule = checked.rules[id]!;
      const at = `${rule.span.file}:${rule.span.start.line}:${rule.span.start.col}`;
      const vs = versions.get(id) ?? ["loaded as a fact"];
      lines.push(`  rule ${id} at ${at}: ${checked.magic ? printRule(rule) : sourceText(rule.span, sources)}`);
      lines.push(`    versions: ${vs.join("; ")}`);
    }
  });
  return lines.join("\n") + "\n";
}

/** The generated JavaScript of every rule version. */
export function emitCode(runner: ProgramRunner): string {
  return runner.sources.map((s) => `// rule ${s.rule} (${s.version})\n${s.source}\n`).join("");
}
