// How a term moves as the lattice values it reads grow: not at all (const),
// up or down in the numeric order (num), up in a non-numeric lattice (lat),
// component-wise (pair), as a functor declared monotone vouches (trusted), or
// not monotonically (none, with the sub-term that breaks it and why).

import type { FunctorInfo, LatticeRef, MTerm } from "../model.js";
import { latticeText, sameLattice } from "./lattice-types.js";

export type Order =
  | { readonly kind: "const"; readonly term: MTerm }
  | { readonly kind: "num"; readonly dir: 1 | -1; readonly term: MTerm }
  | { readonly kind: "lat"; readonly lattice: LatticeRef; readonly term: MTerm }
  | { readonly kind: "pair"; readonly parts: readonly [Order, Order]; readonly term: MTerm }
  | { readonly kind: "trusted"; readonly term: MTerm }
  | { readonly kind: "none"; readonly term: MTerm; readonly why: string };

/** The numeric direction in which a lattice's values grow: max and or upward, min and and downward. */
export function numericDir(l: LatticeRef): 1 | -1 | undefined {
  switch (l.name) {
    case "max":
    case "or":
      return 1;
    case "min":
    case "and":
      return -1;
    default:
      return undefined;
  }
}

/** A value of lattice `l`, growing in its order. */
function ofLattice(l: LatticeRef, term: MTerm): Order {
  const dir = numericDir(l);
  return dir === undefined ? { kind: "lat", lattice: l, term } : { kind: "num", dir, term };
}

/** The value of a number constant (possibly negated), if `t` is one. */
function constantValue(t: MTerm): number | undefined {
  if (t.kind === "const" && typeof t.value === "number") return t.value;
  if (t.kind === "unary" && t.op === "neg") {
    const v = constantValue(t.operand);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

export class Monotonicity {
  constructor(
    /** The lattice of each variable that holds a lattice value read from a body atom. */
    private readonly vars: ReadonlyMap<string, LatticeRef>,
    private readonly functors: ReadonlyMap<string, FunctorInfo>,
  ) {}

  /** Whether `t` reads a lattice variable. */
  reads(t: MTerm): boolean {
    switch (t.kind) {
      case "var":
        return this.vars.has(t.name);
      case "binary":
        return this.reads(t.left) || this.reads(t.right);
      case "unary":
        return this.reads(t.operand);
      case "cast":
        return this.reads(t.term);
      case "call":
        return t.args.some((a) => this.reads(a));
      case "aggregate":
        return (
          (t.target !== undefined && this.reads(t.target)) ||
          t.body.some((l) => {
            const terms =
              l.kind === "atom" ? l.args : l.kind === "negation" ? l.atom.args : l.kind === "compare" ? [l.left, l.right] : l.args;
            return terms.some((a) => this.reads(a));
          })
        );
      default:
        return false;
    }
  }

  order(t: MTerm): Order {
    if (!this.reads(t)) return { kind: "const", term: t };
    const none = (why: string): Order => ({ kind: "none", term: t, why });
    switch (t.kind) {
      case "var":
        return ofLattice(this.vars.get(t.name)!, t);
      case "cast":
        return { ...this.order(t.term), term: t };
      case "unary":
        return t.op === "neg" ? this.negate(this.order(t.operand), t) : none(`${t.op} is not monotone`);
      case "binary":
        return this.binary(t);
      case "call":
        return this.call(t);
      default:
        return none(`an aggregate over a lattice value is not monotone`);
    }
  }

  private negate(o: Order, term: MTerm): Order {
    if (o.kind === "none" || o.kind === "const") return { ...o, term: o.kind === "none" ? o.term : term };
    if (o.kind === "num") return { kind: "num", dir: o.dir === 1 ? -1 : 1, term };
    return { kind: "none", term, why: `only numbers can be negated monotonically` };
  }

  /** The order of a sum of two terms (or a difference, with the right one negated first). */
  private add(l: Order, r: Order, term: MTerm): Order {
    if (l.kind === "none") return l;
    if (r.kind === "none") return r;
    if (l.kind === "const" && r.kind === "num") return { ...r, term };
    if (r.kind === "const" && l.kind === "num") return { ...l, term };
    if (l.kind === "num" && r.kind === "num") {
      if (l.dir === r.dir) return { kind: "num", dir: l.dir, term };
      return { kind: "none", term, why: `one operand grows while the other shrinks` };
    }
    return { kind: "none", term, why: `arithmetic on a ${describe(l.kind === "const" ? r : l)} value is not monotone` };
  }

  private binary(t: Extract<MTerm, { kind: "binary" }>): Order {
    const l = this.order(t.left);
    const r = this.order(t.right);
    switch (t.op) {
      case "+":
        return this.add(l, r, t);
      case "-":
        return this.add(l, r.kind === "const" ? r : this.negate(r, t.right), t);
      case "*": {
        const [c, o] = r.kind === "const" ? [constantValue(t.right), l] : l.kind === "const" ? [constantValue(t.left), r] : [undefined, l];
        if (c === undefined || o.kind !== "num") {
          return o.kind === "none" ? o : { kind: "none", term: t, why: `"*" is monotone only with a constant factor` };
        }
        return c === 0 ? { kind: "const", term: t } : c > 0 ? { ...o, term: t } : this.negate(o, t);
      }
      case "/": {
        const c = r.kind === "const" ? constantValue(t.right) : undefined;
        if (l.kind === "none") return l;
        if (c === undefined || c <= 0 || l.kind !== "num")
          return { kind: "none", term: t, why: `"/" is monotone only by a positive constant` };
        return { ...l, term: t };
      }
      default:
        return l.kind === "none" ? l : r.kind === "none" ? r : { kind: "none", term: t, why: `"${t.op}" is not monotone` };
    }
  }

  private call(t: Extract<MTerm, { kind: "call" }>): Order {
    const args = t.args.map((a) => this.order(a));
    const broken = args.find((a) => a.kind === "none");
    const none = (why: string): Order => broken ?? { kind: "none", term: t, why };
    switch (t.name) {
      case "min":
      case "max": {
        const moving = args.filter((a) => a.kind !== "const");
        const dir = moving[0]?.kind === "num" ? moving[0].dir : undefined;
        if (dir === undefined || !moving.every((a) => a.kind === "num" && a.dir === dir)) {
          return none(`${t.name}(…) is monotone only when its arguments all move the same way`);
        }
        return { kind: "num", dir, term: t };
      }
      case "size":
        return args[0]?.kind === "lat" && args[0].lattice.name === "set"
          ? { kind: "num", dir: 1, term: t }
          : none(`size(…) applies to sets`);
      case "pair":
        return args.length === 2 ? { kind: "pair", parts: [args[0]!, args[1]!], term: t } : none(`pair takes two values`);
      case "first":
      case "second": {
        const i = t.name === "first" ? 0 : 1;
        const p = args[0];
        if (p?.kind === "pair") return { ...p.parts[i], term: t };
        if (p?.kind === "lat" && p.lattice.name === "pair" && p.lattice.args?.[i]) return ofLattice(p.lattice.args[i], t);
        return none(`${t.name}(…) applies to pairs`);
      }
      case "singleton":
        return none(`singleton(…) of a lattice value is not monotone ({1} and {2} are not ordered)`);
    }
    if (t.name.startsWith("@")) {
      const f = this.functors.get(t.name.slice(1));
      if (f?.monotone) return broken ?? { kind: "trusted", term: t };
      return none(`${t.name} is not declared monotone`);
    }
    return none(`${t.name}(…) is not monotone`);
  }
}

/** How a moving value is described in messages. */
export function describe(o: Order): string {
  switch (o.kind) {
    case "num":
      return o.dir === 1 ? "growing" : "shrinking";
    case "lat":
      return latticeText(o.lattice);
    case "pair":
      return "pair";
    default:
      return o.kind;
  }
}

/** Why a value that moves as `o` does cannot be stored in a column of lattice `h`, or undefined when it can. */
export function misfit(o: Order, h: LatticeRef): { term: MTerm; why: string } | undefined {
  switch (o.kind) {
    case "const":
    case "trusted":
      return undefined;
    case "none":
      return { term: o.term, why: o.why };
    case "num": {
      const dir = numericDir(h);
      if (dir === o.dir) return undefined;
      if (dir === undefined) return { term: o.term, why: `a number cannot grow in ${latticeText(h)}` };
      const moves = o.dir === 1 ? "gets larger" : "gets smaller";
      const wanted = dir === 1 ? "larger" : "smaller";
      return {
        term: o.term,
        why: `this value ${moves} as the lattice values it reads grow, while ${latticeText(h)} grows by getting ${wanted}`,
      };
    }
    case "lat":
      return sameLattice(o.lattice, h)
        ? undefined
        : { term: o.term, why: `a ${latticeText(o.lattice)} value cannot be stored as ${latticeText(h)}` };
    case "pair": {
      if (h.name !== "pair" || h.args?.length !== 2) return { term: o.term, why: `a pair cannot be stored as ${latticeText(h)}` };
      return misfit(o.parts[0], h.args[0]!) ?? misfit(o.parts[1], h.args[1]!);
    }
  }
}

/**
 * Whether the comparison `left op right` stays true as the lattice values grow (upward-closed):
 * `x <= c` on a shrinking x (min), `x >= c` on a growing x (max), and their mirror images.
 */
export function upwardClosed(op: string, left: Order, right: Order): boolean {
  const still = (o: Order, dir: 1 | -1) => o.kind === "const" || (o.kind === "num" && o.dir === dir);
  if (left.kind === "const" && right.kind === "const") return true;
  if (op === "<" || op === "<=") return still(left, -1) && still(right, 1);
  if (op === ">" || op === ">=") return still(left, 1) && still(right, -1);
  return false;
}
