// The analysis as text for people: relations, rules, outputs, strata with their
// barriers, freeze points; every item located as file:line:col, coloured with
// the same Style as the diagnostics.

import { plainStyle, type Style } from "../diagnostics.js";
import type { CheckedProgram } from "../model.js";
import type { SourceMap, Span } from "../span.js";
import { printRule } from "./print.js";
import type { Analysis, CalmClass, Reason } from "./types.js";

export function location(s: Span | undefined): string {
  return s ? `${s.file}:${s.start.line}:${s.start.col}` : "-";
}

function colour(c: CalmClass, style: Style): (s: string) => string {
  switch (c) {
    case "non-monotone":
      return style.error;
    case "monotone":
      return style.bold;
    default:
      return style.note;
  }
}

function ruleText(program: CheckedProgram | undefined, id: number, sources: SourceMap | undefined): string {
  const rule = program?.rules[id];
  if (!rule) return "";
  const text = sources?.text(rule.span.file);
  const raw = text?.slice(rule.span.start.offset, rule.span.end.offset).replace(/\s+/g, " ").trim();
  return raw && raw.length > 0 ? raw : printRule(rule);
}

const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - s.length));

export interface TextOptions {
  readonly style?: Style;
  readonly sources?: SourceMap;
  /** The checked program, to quote each rule. */
  readonly program?: CheckedProgram;
  /** A title line, usually the program's path. */
  readonly title?: string;
}

/** The whole analysis as the `cairn analyze` text report. */
export function renderAnalysis(a: Analysis, opts: TextOptions = {}): string {
  const style = opts.style ?? plainStyle;
  const out: string[] = [];
  const reasons = (rs: readonly Reason[]) => rs.forEach((r) => out.push(`    ${style.dim(`${location(r.span)}:`)} ${r.message}`));
  const head = (s: string) => out.push("", style.bold(s));

  const barriers = a.strataInfo.filter((s) => s.barrier).length;
  const title = opts.title ? `${opts.title}: ` : "";
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? "" : "s"}`;
  out.push(
    style.bold(
      `${title}${n(a.relations.length, "relation")}, ${n(a.rules.length, "rule")}, ${n(a.freezePoints.length, "freeze point")}, ${n(barriers, "barrier")}`,
    ),
  );

  head("Relations");
  const w = Math.max(0, ...a.relations.map((r) => r.name.length));
  for (const r of a.relations) {
    const tags = [r.input ? "input" : "", r.output ? "output" : "", r.lattice ?? ""].filter(Boolean);
    const tag = tags.length > 0 ? ` (${tags.join(", ")})` : "";
    out.push(`  ${pad(r.name, w)}  ${colour(r.class, style)(pad(r.class, 16))}  ${style.dim(location(r.span))}${tag}`);
    reasons(r.reasons);
  }

  head("Rules");
  const wr = String(Math.max(0, a.rules.length - 1)).length;
  for (const r of a.rules) {
    out.push(
      `  rule ${pad(String(r.id), wr)}  ${colour(r.class, style)(pad(r.class, 16))}  ${style.dim(location(r.span))}  ${ruleText(opts.program, r.id, opts.sources)}`,
    );
    reasons(r.reasons);
  }

  head("Outputs");
  if (a.outputs.length === 0) out.push("  (none: declare some with .output)");
  const wo = Math.max(0, ...a.outputs.map((o) => o.relation.length));
  for (const o of a.outputs) {
    const [verdict, rest] = splitVerdict(o.verdict);
    out.push(`  ${pad(o.relation, wo)}  ${(o.coordinationFree ? style.bold : style.error)(verdict)}${rest}`);
  }

  head("Strata");
  for (const s of a.strataInfo) {
    if (s.barrier) {
      const frozen = [...new Set(s.freezePoints.map((i) => `"${a.freezePoints[i]!.relation}"`))].join(", ");
      out.push(`  ${style.error("── barrier")}: ${frozen} must be frozen first (a coordination point)`);
    } else if (s.index > 0) out.push(style.dim("  ── no coordination"));
    out.push(`  ${s.index}  ${s.relations.join(", ")}${s.recursive ? style.dim(" (recursive)") : ""}`);
  }

  head("Freeze points");
  if (a.freezePoints.length === 0) out.push("  (none: the whole program is coordination-free)");
  for (const f of a.freezePoints) {
    out.push(`  ${style.dim(`${location(f.span)}:`)} ${style.error(`"${f.relation}"`)} frozen for rule ${f.rule} (${f.kind}): ${f.reason}`);
    if (f.use) out.push(`    ${style.dim(`used at ${location(f.use)}`)}`);
    if (f.fix) out.push(`    ${style.note("fix")}: ${f.fix}`);
  }

  if (a.cycles.length > 0) {
    head("Errors");
    out.push(
      `  ${style.error(`${a.cycles.length} freeze point${a.cycles.length === 1 ? "" : "s"} inside recursion`)}: the program cannot be evaluated (see the errors)`,
    );
  }
  return out.join("\n") + "\n";
}

function splitVerdict(v: string): [string, string] {
  const i = v.indexOf(":");
  return i < 0 ? [v, ""] : [v.slice(0, i), v.slice(i)];
}
