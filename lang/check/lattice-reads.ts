// Reads of lattice values in a rule. A fresh variable in the lattice column of a
// body atom holds the key's current value; the read is monotone when every use
// is monotone (the head's lattice column through a monotone function, an
// upward-closed guard, member). Any other use makes the atom an exact read: a
// freeze point, marked `exact` for stratification. A non-monotone function of a
// lattice value in the head's lattice column is an error.

import { error, type Diagnostic, type Note } from "../diagnostics.js";
import type { FunctorInfo, LatticeRef, MAtom, MLiteral, MTerm, Rule } from "../model.js";
import { literalTerms } from "../model-terms.js";
import type { Relations } from "./declarations.js";
import { latticeText } from "./lattice-types.js";
import { misfit, Monotonicity, upwardClosed } from "./monotone.js";

export interface LatticeReads {
  /** The rule with its exact reads marked. */
  readonly rule: Rule;
  /** Why each exact atom (of `rule`) reads its value exactly. */
  readonly why: ReadonlyMap<MAtom, Note>;
}

function varsOf(t: MTerm, out: string[] = []): string[] {
  switch (t.kind) {
    case "var":
      out.push(t.name);
      break;
    case "binary":
      varsOf(t.left, out);
      varsOf(t.right, out);
      break;
    case "unary":
      varsOf(t.operand, out);
      break;
    case "cast":
      varsOf(t.term, out);
      break;
    case "call":
      t.args.forEach((a) => varsOf(a, out));
      break;
    case "aggregate":
      if (t.target) varsOf(t.target, out);
      for (const l of t.body) literalTerms(l).forEach((a) => varsOf(a, out));
      break;
    default:
      break;
  }
  return out;
}

/** Classifies the lattice reads of `rule`; reports non-monotone functions of lattice values in its head. */
export function latticeReads(
  rule: Rule,
  relations: Relations,
  functors: ReadonlyMap<string, FunctorInfo>,
  display: (name: string) => string,
  diagnostics: Diagnostic[],
): LatticeReads {
  const latticeOf = (a: MAtom): LatticeRef | undefined =>
    relations.get(a.relation)?.columns.length === a.args.length ? relations.latticeOf(a.relation) : undefined;
  const exact = new Map<number, Note>();
  const mark = (i: number, message: string, span: MTerm["span"]) => {
    if (!exact.has(i)) exact.set(i, { message, span });
  };

  // Where each variable occurs in the arguments of the positive atoms: lattice columns and ordinary ones.
  const latticeAt = new Map<string, number[]>();
  const ordinaryAt = new Map<string, { atom: MAtom; column: number; term: MTerm }>();
  rule.body.forEach((l, i) => {
    if (l.kind !== "atom") return;
    const last = latticeOf(l) ? l.args.length - 1 : -1;
    l.args.forEach((a, c) => {
      if (a.kind !== "var") return;
      if (c === last) latticeAt.set(a.name, [...(latticeAt.get(a.name) ?? []), i]);
      else if (!ordinaryAt.has(a.name)) ordinaryAt.set(a.name, { atom: l, column: c, term: a });
    });
  });

  // The lattice variables: fresh variables of lattice columns; the other lattice columns are exact reads.
  const vars = new Map<string, LatticeRef>();
  const binder = new Map<string, number>();
  rule.body.forEach((l, i) => {
    const lattice = l.kind === "atom" ? latticeOf(l) : undefined;
    if (l.kind !== "atom" || !lattice) return;
    const a = l.args[l.args.length - 1]!;
    if (a.kind === "wildcard") return;
    const rel = `"${l.relation}"`;
    if (a.kind !== "var") {
      mark(
        i,
        `the lattice column of ${rel} is matched against ${a.kind === "const" ? "a constant" : "an expression"}, which tests its exact value`,
        a.span,
      );
      return;
    }
    const shown = display(a.name);
    const ordinary = ordinaryAt.get(a.name);
    const others = latticeAt.get(a.name)!.filter((j) => j !== i);
    if (ordinary) {
      const col = relations.get(ordinary.atom.relation)!.columns[ordinary.column]!.name;
      mark(
        i,
        `"${shown}" is also column "${col}" of "${ordinary.atom.relation}" here: equality with a lattice value reads it exactly`,
        ordinary.term.span,
      );
    } else if (others.length > 0) {
      const other = rule.body[others[0]!] as MAtom;
      mark(
        i,
        `"${shown}" is also the lattice value of "${other.relation}" here: equality of lattice values reads them exactly`,
        other.args[other.args.length - 1]!.span,
      );
    } else {
      vars.set(a.name, lattice);
      binder.set(a.name, i);
    }
  });

  const mono = new Monotonicity(vars, functors);
  /** Marks the atoms whose lattice variables `t` reads as exact. */
  const exactUses = (t: MTerm | readonly MTerm[], message: (v: string) => string, span: MTerm["span"]): void => {
    for (const term of Array.isArray(t) ? t : [t as MTerm]) {
      for (const v of varsOf(term)) {
        const i = binder.get(v);
        if (i !== undefined) mark(i, message(display(v)), span);
      }
    }
  };

  // The head: its lattice column must be monotone; lattice values in ordinary columns are exact reads.
  const head = rule.head;
  const headLattice = latticeOf(head);
  const headCols = relations.get(head.relation)?.columns;
  head.args.forEach((a, c) => {
    if (headLattice && c === head.args.length - 1) {
      const bad = misfit(mono.order(a), headLattice);
      if (bad) diagnostics.push(nonMonotone(bad, a, headLattice, head, headCols?.[c]?.name ?? "", vars, binder, rule, display));
      return;
    }
    exactUses(a, (v) => `"${v}" is stored in the ordinary column "${headCols?.[c]?.name ?? c + 1}" of "${head.relation}"`, a.span);
  });

  for (const l of rule.body) {
    switch (l.kind) {
      case "atom": {
        const skip = latticeOf(l) ? l.args.length - 1 : -1;
        l.args.forEach((a, c) => {
          if (c !== skip) exactUses(a, (v) => `"${v}" is used in an argument of "${l.relation}" here`, a.span);
        });
        break;
      }
      case "negation":
        exactUses(l.atom.args, (v) => `"${v}" is used under a negation`, l.span);
        break;
      case "compare": {
        if (!mono.reads(l.left) && !mono.reads(l.right)) break;
        if (upwardClosed(l.op, mono.order(l.left), mono.order(l.right))) break;
        const lattice = (v: string) => latticeText(vars.get(v)!);
        exactUses(
          [l.left, l.right],
          (v) =>
            l.op === "=" || l.op === "!="
              ? `the comparison with "${l.op}" reads the exact value of "${v}"`
              : `this comparison is not upward-closed in ${lattice(v)}: it may turn false as "${v}" grows`,
          l.span,
        );
        break;
      }
      case "test": {
        const [x, s] = l.args;
        const set = s && mono.order(s);
        if (l.name === "member" && !l.negated && x && !mono.reads(x) && set?.kind === "lat" && set.lattice.name === "set") break;
        exactUses(l.args, (v) => `${l.negated ? "!" : ""}${l.name}(…) reads the exact value of "${v}"`, l.span);
        break;
      }
    }
  }

  if (exact.size === 0) return { rule, why: new Map() };
  const why = new Map<MAtom, Note>();
  const body = rule.body.map((l, i): MLiteral => {
    const note = exact.get(i);
    if (!note || l.kind !== "atom") return l;
    const marked: MAtom = { ...l, exact: true };
    why.set(marked, note);
    return marked;
  });
  return { rule: { ...rule, body }, why };
}

function nonMonotone(
  bad: { term: MTerm; why: string },
  arg: MTerm,
  lattice: LatticeRef,
  head: MAtom,
  column: string,
  vars: ReadonlyMap<string, LatticeRef>,
  binder: ReadonlyMap<string, number>,
  rule: Rule,
  display: (name: string) => string,
): Diagnostic {
  const read = varsOf(bad.term).find((v) => vars.has(v)) ?? varsOf(arg).find((v) => vars.has(v))!;
  const atom = rule.body[binder.get(read)!] as MAtom;
  const shown = display(read);
  return error(
    "non-monotone-head",
    `the ${latticeText(lattice)} column "${column}" of "${head.relation}" must be monotone in the lattice value "${shown}", but ${bad.why}`,
    bad.term.span,
    [
      { message: `"${shown}" is the ${latticeText(vars.get(read)!)} value of "${atom.relation}" here`, span: atom.span },
      {
        message: `to use the final value of "${shown}" instead, bind it first (e.g. e = …): that reads "${atom.relation}" exactly, once it is complete`,
      },
    ],
  );
}
