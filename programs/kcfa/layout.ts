// Environment layout for the per-variable variant (env.dl): the environment of a
// call in the body of lambda L holds one binding time ("slot") per lambda that
// binds a variable L uses: those binding L's free variables, then L itself.

import type { CpsProgram } from "./program.js";

export interface EnvLayout {
  /** (call, argument, slot): the variable argument i of call c is read from slot s of c's environment. */
  readonly varSlots: [number, number, number][];
  /** (lambda, piece, from, count): the closure of l copies slots [from, from + count) of its creating call's environment as its n-th piece. */
  readonly pieces: [number, number, number, number][];
  /** (lambda, pieces): how many pieces make up the environment of l's closures. */
  readonly pieceCounts: [number, number][];
}

export function envLayout(p: CpsProgram): EnvLayout {
  const size = p.maxLabel + 1;
  // The lambdas (by label) binding each lambda's free variables, outermost first.
  const depth = new Int32Array(size);
  for (const b of p.bindings.values()) depth[b.lambda.label] = b.depth;
  const binders: number[][] = [];
  for (const l of p.lambdas) {
    const set = new Set<number>();
    for (const v of p.freeVars.get(l.label) ?? []) set.add(p.bindings.get(v)!.lambda.label);
    binders[l.label] = [...set].sort((a, b) => depth[a]! - depth[b]!);
  }
  // The slots inside each call: those of the lambda whose body it is (none for the first call).
  const inside = new Int32Array(size);
  for (const l of p.lambdas) inside[l.body.label] = l.label;
  const slotsAt = (call: number): readonly number[] => {
    const l = inside[call]!;
    return l === 0 ? [] : [...binders[l]!, l];
  };

  const varSlots: [number, number, number][] = [];
  const pieces: [number, number, number, number][] = [];
  const pieceCounts: [number, number][] = [];
  for (const c of p.calls) {
    const here = slotsAt(c.label);
    const atoms = [c.fn, ...c.args];
    for (let i = 0; i < atoms.length; i++) {
      const a = atoms[i]!;
      if (a.kind === "var") varSlots.push([c.label, i, here.indexOf(p.bindings.get(a.name)!.lambda.label)]);
      if (a.kind !== "lambda") continue;
      // The closure keeps the slots of the lambdas binding its free variables, in runs.
      const keep = binders[a.label]!.map((b) => here.indexOf(b));
      let n = 0;
      for (let j = 0; j < keep.length; ) {
        let end = j + 1;
        while (end < keep.length && keep[end] === keep[end - 1]! + 1) end++;
        pieces.push([a.label, n++, keep[j]!, end - j]);
        j = end;
      }
      pieceCounts.push([a.label, n]);
    }
  }
  return { varSlots, pieces, pieceCounts };
}
