// Lowering witnesses of nested aggregates: a min or max inside another
// aggregate keeps its variables to itself there, and a copy of it joins the
// rule's body, `$witness0 = min … : { … }`, exporting the witnesses under the
// rule's names. Its other variables are renamed apart from the original's.

import type { Aggregate } from "../ast.js";
import type { MLiteral, MTerm } from "../model.js";
import type { Witness } from "./witnesses.js";

type MAggregate = Extract<MTerm, { kind: "aggregate" }>;

function renameTerm(t: MTerm, rename: (name: string) => string): MTerm {
  switch (t.kind) {
    case "var":
      return { ...t, name: rename(t.name) };
    case "binary":
      return { ...t, left: renameTerm(t.left, rename), right: renameTerm(t.right, rename) };
    case "unary":
      return { ...t, operand: renameTerm(t.operand, rename) };
    case "cast":
      return { ...t, term: renameTerm(t.term, rename) };
    case "call":
      return { ...t, args: t.args.map((a) => renameTerm(a, rename)) };
    case "aggregate": {
      const { target, body, witnesses, ...rest } = t;
      return {
        ...rest,
        ...(target ? { target: renameTerm(target, rename) } : {}),
        body: body.map((l) => renameLiteral(l, rename)),
        ...(witnesses ? { witnesses: witnesses.map(rename) } : {}),
      };
    }
    default:
      return t;
  }
}

function renameLiteral(l: MLiteral, rename: (name: string) => string): MLiteral {
  switch (l.kind) {
    case "atom":
      return { ...l, args: l.args.map((a) => renameTerm(a, rename)) };
    case "negation":
      return { ...l, atom: { ...l.atom, args: l.atom.args.map((a) => renameTerm(a, rename)) } };
    case "compare":
      return { ...l, left: renameTerm(l.left, rename), right: renameTerm(l.right, rename) };
    case "test":
      return { ...l, args: l.args.map((a) => renameTerm(a, rename)) };
  }
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
