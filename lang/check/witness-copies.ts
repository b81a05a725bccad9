// Lowering witnesses of nested aggregates: a min or max inside another
// aggregate keeps its variables to itself there, and a copy of it joins the
// rule's body, `$witness0 = min … : { … }`, exporting the witnesses under the
// rule's names. Its other variables are renamed apart from the original's.

import type { Aggregate } from "../ast.js";
import type { MLiteral, MTerm } from "../model.js";
import { mapTerm } from "../model-terms.js";
import type { Witness } from "./witnesses.js";

type MAggregate = Extract<MTerm, { kind: "aggregate" }>;

/** `t` with every variable renamed, aggregates' witness lists included. */
function renameTerm(t: MTerm, rename: (name: string) => string): MTerm {
  return mapTerm(t, (s) => {
    if (s.kind === "var") return { ...s, name: rename(s.name) };
    if (s.kind === "aggregate" && s.witnesses) return { ...s, witnesses: s.witnesses.map(rename) };
    return s;
  });
}

/** For each nested aggregate with witnesses, the literal that binds them in the rule. */
export function witnessCopies(
  witnesses: readonly Witness[],
  lowered: ReadonlyMap<Aggregate, MAggregate>,
  /** The rule's own variables (model names). */
  ruleVars: ReadonlySet<string>,
): MLiteral[] {
  const byAggregate = new Map<Aggregate, Witness[]>();
  for (const w of witnesses) {
    if (w.problem || w.direct) continue;
    byAggregate.set(w.aggregate, [...(byAggregate.get(w.aggregate) ?? []), w]);
  }
  const out: MLiteral[] = [];
  let k = 0;
  for (const [agg, ws] of byAggregate) {
    const original = lowered.get(agg);
    if (!original) continue;
    const exported = new Map(ws.map((w) => [w.inner, w.name] as const));
    const copy = renameTerm(original, (n) => exported.get(n) ?? (ruleVars.has(n) ? n : `${n}#w${k}`)) as MAggregate;
    const result: MTerm = { kind: "var", name: `$witness${k}`, type: original.type, span: original.span };
    out.push({
      kind: "compare",
      op: "=",
      type: original.type,
      left: result,
      right: { ...copy, witnesses: ws.map((w) => w.name) },
      span: original.span,
    });
    k++;
  }
  return out;
}
