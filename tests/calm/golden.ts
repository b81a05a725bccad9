// The compact text the golden files hold: each relation and rule with its class
// and reasons (line:col message), each freeze point (and its fix), each output's
// verdict, the strata with their barriers. A program the checks reject shows its
// errors instead: code, place, cycle, and where each note points.

import type { Analysis } from "../../lang/calm/index.js";
import type { Diagnostic } from "../../lang/diagnostics.js";
import type { Span } from "../../lang/span.js";

const at = (s?: Span) => (s ? `${s.start.line}:${s.start.col}` : "-");

export function goldenText(a: Analysis): string {
  const out: string[] = [];
  for (const r of a.relations) {
    out.push(`relation ${r.name} ${r.class}`);
    for (const x of r.reasons) out.push(`  ${at(x.span)} ${x.message}`);
  }
  for (const r of a.rules) {
    out.push(`rule ${r.id} ${r.head} ${r.class}`);
    for (const x of r.reasons) out.push(`  ${at(x.span)} ${x.message}`);
  }
  for (const f of a.freezePoints) {
    out.push(`freeze ${f.relation} for rule ${f.rule} ${f.kind} ${at(f.span)}${f.use ? ` use ${at(f.use)}` : ""}`);
    if (f.fix) out.push(`  fix: ${f.fix}`);
  }
  for (const o of a.outputs) out.push(`output ${o.relation} ${o.coordinationFree ? "coordination-free" : "needs coordination"}`);
  for (const s of a.strataInfo)
    out.push(`stratum ${s.index} ${s.relations.join(", ")}${s.recursive ? " (recursive)" : ""}${s.barrier ? " (barrier)" : ""}`);
  out.push(...errorsText(a.diagnostics));
  return out.join("\n") + "\n";
}

/** Errors as `error line:col code (cycle: …)`, each note's place, and any `.decl` a note suggests. */
export function errorsText(ds: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  for (const d of ds) {
    const cycle = /\(cycle: .*\)$/.exec(d.message)?.[0];
    out.push(`error ${at(d.span)} ${d.code}${cycle ? ` ${cycle}` : ""}`);
    for (const n of d.notes) {
      const decl = /\.decl [^"`]*\)/.exec(n.message)?.[0];
      out.push(`  note ${at(n.span)}${decl ? ` suggests ${decl}` : ""}`);
    }
  }
  return out;
}
