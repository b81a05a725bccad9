// The rule as evaluation receives it: the atoms whose lattice value it reads
// exactly marked `exact` (freeze points for stratification and the engine),
// with its judged reads moved onto the marked atoms.

import type { GrowingValue, MAtom, Rule, RuleReads, ValueUse } from "../../model.js";

/** `rule` with `atoms` (of its own body) marked exact, and `reads` pointing at them. */
export function withExactMarks(rule: Rule, reads: RuleReads, atoms: ReadonlySet<MAtom>): { rule: Rule; reads: RuleReads } {
  const marked = new Map<MAtom, MAtom>([...atoms].map((a) => [a, { ...a, exact: true }]));
  const atom = (a: MAtom) => marked.get(a) ?? a;
  const values = new Map<GrowingValue, GrowingValue>(
    reads.values.map((v) => [v, v.kind === "lattice" && marked.has(v.atom) ? { ...v, atom: atom(v.atom) } : v]),
  );
  const value = (v: GrowingValue) => values.get(v) ?? v;
  const use = (u: ValueUse): ValueUse =>
    u.kind === "key" ? { ...u, atom: atom(u.atom) } : u.kind === "equal" ? { ...u, other: value(u.other) } : u;
  return {
    rule: { ...rule, body: rule.body.map((l) => (l.kind === "atom" ? atom(l) : l)) },
    reads: {
      values: reads.values.map(value),
      verdicts: reads.verdicts.map((v) => ({ ...v, value: value(v.value), use: use(v.use) })),
      atoms: reads.atoms.map((r) => (marked.has(r.atom) ? { ...r, atom: atom(r.atom), literal: atom(r.atom) } : r)),
    },
  };
}
