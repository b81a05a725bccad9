// How a term moves when a growing value it reads grows: up or down in numeric
// order, up in a lattice's own order, or in no known direction (with why).
// The algebra behind "d + w preserves min<number>" and "100 - d does not".

import type { FunctorInfo, LatticeRef, MTerm } from "../model.js";
import type { Span } from "../span.js";
import { latticeText, printTerm } from "./print.js";

export type Dir =
  /** Numerically non-decreasing. */
  | { readonly k: "up" }
  /** Numerically non-increasing. */
  | { readonly k: "down" }
  /** A value of the (non-numeric) lattice `lattice` moving up in its order. */
  | { readonly k: "lat"; readonly lattice: string }
  /** A pair whose components move as `a` and `b` (undefined: constant). */
  | { readonly k: "pair"; readonly a?: Dir; readonly b?: Dir }
  /** Order-preserving, as a declared monotone functor of lattice values. */
  | { readonly k: "mono" }
  /** Not monotone in either direction. */
  | { readonly k: "any"; readonly why: string; readonly span: Span; readonly functor?: string };

/** Source id → direction; a source absent from the map does not affect the term. */
export type Dirs = ReadonlyMap<number, Dir>;

export const UP: Dir = { k: "up" };
export const DOWN: Dir = { k: "down" };
const EMPTY: Dirs = new Map();

/** How a value of lattice `l` moves, read numerically, as it grows in `l`'s order. */
export function latticeDir(l: LatticeRef): Dir {
  switch (l.name) {
    case "max":
    case "or":
      return UP;
    case "min":
    case "and":
      return DOWN;
    case "pair": {
      const [a, b] = l.args ?? [];
      return { k: "pair", a: a && latticeDir(a), b: b && latticeDir(b) };
    }
    default:
      return { k: "lat", lattice: latticeText(l) };
  }
}

/** Whether a term moving as `d` only ever moves up in lattice `l` (so writing it to an `l` column is monotone). */
export function fits(d: Dir, l: LatticeRef): boolean {
  if (d.k === "any") return false;
  if (d.k === "mono") return true;
  switch (l.name) {
    case "max":
    case "or":
      return d.k === "up";
    case "min":
    case "and":
      return d.k === "down";
    case "pair": {
      if (d.k === "lat") return d.lattice === latticeText(l);
      if (d.k !== "pair") return false;
      const [a, b] = l.args ?? [];
      return (!d.a || (!!a && fits(d.a, a))) && (!d.b || (!!b && fits(d.b, b)));
    }
    default:
      return d.k === "lat" && d.lattice === latticeText(l);
  }
}

const flip = (d: Dir, why: () => Dir): Dir => (d.k === "up" ? DOWN : d.k === "down" ? UP : why());

function merge(a: Dirs, b: Dirs, combine: (x: Dir | undefined, y: Dir | undefined) => Dir): Dirs {
  if (a.size === 0 && b.size === 0) return EMPTY;
  const out = new Map<number, Dir>();
  for (const s of new Set([...a.keys(), ...b.keys()])) out.set(s, combine(a.get(s), b.get(s)));
  return out;
}

function mapDirs(a: Dirs, f: (d: Dir) => Dir): Dirs {
  if (a.size === 0) return a;
  return new Map([...a].map(([s, d]) => [s, f(d)]));
}

export interface DirContext {
  /** The directions of a variable (its sources, through its definition). */
  readonly variable: (name: string) => Dirs;
  /** The direction of an aggregate term, as a source of its own. */
  readonly aggregate: (t: Extract<MTerm, { kind: "aggregate" }>) => Dirs;
  readonly functors?: ReadonlyMap<string, FunctorInfo>;
}

/** The direction of `t` in each source it reads. */
export function dirsOf(t: MTerm, ctx: DirContext): Dirs {
  const any = (why: string, functor?: string): Dir => ({ k: "any", why, span: t.span, functor });
  const same = (x: Dir | undefined, y: Dir | undefined, why: string): Dir => {
    if (!x) return y!;
    if (!y) return x;
    if (x.k === "any") return x;
    if (y.k === "any") return y;
    if (x.k === y.k && (x.k === "up" || x.k === "down")) return x;
    return any(why);
  };
  const arith = (d: Dir): Dir => (d.k === "up" || d.k === "down" || d.k === "any" ? d : any(`${printTerm(t)} computes on a lattice value`));
  switch (t.kind) {
    case "const":
    case "wildcard":
      return EMPTY;
    case "var":
      return ctx.variable(t.name);
    case "aggregate":
      return ctx.aggregate(t);
    case "cast":
      return dirsOf(t.term, ctx);
    case "unary": {
      const inner = dirsOf(t.operand, ctx);
      if (t.op === "neg") return mapDirs(inner, (d) => flip(arith(d), () => any(`${printTerm(t)} is not monotone`)));
      return mapDirs(inner, () => any(`${printTerm(t)} is not monotone`));
    }
    case "binary":
      return binaryDirs(t, dirsOf(t.left, ctx), dirsOf(t.right, ctx), any, same, arith);
    case "call":
      return callDirs(
        t,
        t.args.map((a) => dirsOf(a, ctx)),
        ctx,
        any,
      );
  }
}

type AnyFn = (why: string, functor?: string) => Dir;
type SameFn = (x: Dir | undefined, y: Dir | undefined, why: string) => Dir;

function constSign(t: MTerm): number | undefined {
  if (t.kind === "const" && typeof t.value === "number") return Math.sign(t.value);
  if (t.kind === "unary" && t.op === "neg" && t.operand.kind === "const" && typeof t.operand.value === "number")
    return -Math.sign(t.operand.value);
  return undefined;
}

function binaryDirs(t: Extract<MTerm, { kind: "binary" }>, l: Dirs, r: Dirs, any: AnyFn, same: SameFn, arith: (d: Dir) => Dir): Dirs {
  const text = printTerm(t);
  switch (t.op) {
    case "+":
      return merge(mapDirs(l, arith), mapDirs(r, arith), (x, y) => same(x, y, `${text} rises with one operand and falls with the other`));
    case "-": {
      const neg = mapDirs(mapDirs(r, arith), (d) => flip(d, () => d));
      return merge(mapDirs(l, arith), neg, (x, y) => same(x, y, `${text} rises with one operand and falls with the other`));
    }
    case "*": {
      // Scaling by a constant keeps (positive), flips (negative) or removes (zero) the direction.
      const [sign, d] = r.size === 0 ? [constSign(t.right), l] : l.size === 0 ? [constSign(t.left), r] : [undefined, l];
      if (sign === undefined) return merge(l, r, () => any(`"*" is monotone only with a constant factor`));
      if (sign === 0) return EMPTY;
      return mapDirs(d, (x) => (sign > 0 ? arith(x) : flip(arith(x), () => x)));
    }
    case "/": {
      const sign = r.size === 0 ? constSign(t.right) : undefined;
      if (sign === undefined || sign <= 0) return merge(l, r, () => any(`"/" is monotone only by a positive constant`));
      return mapDirs(l, arith);
    }
    default:
      return merge(l, r, () => any(`${text} is not monotone`));
  }
}

function callDirs(t: Extract<MTerm, { kind: "call" }>, args: readonly Dirs[], ctx: DirContext, any: AnyFn): Dirs {
  const text = printTerm(t);
  const all = (combine: (ds: (Dir | undefined)[]) => Dir): Dirs => {
    const sources = new Set(args.flatMap((a) => [...a.keys()]));
    if (sources.size === 0) return EMPTY;
    return new Map([...sources].map((s) => [s, combine(args.map((a) => a.get(s)))]));
  };
  if (t.name.startsWith("@")) {
    const name = t.name.slice(1);
    const info = ctx.functors?.get(name);
    if (!info?.monotone) return all(() => any(`@${name} is not declared monotone`, name));
    // Declared monotone: trusted to preserve the order of whatever it reads, unless an argument is already broken.
    return all((ds) => ds.find((d) => d?.k === "any") ?? { k: "mono" });
  }
  switch (t.name) {
    case "min":
    case "max":
      return all((ds) => {
        const broken = ds.find((d) => d?.k === "any");
        if (broken) return broken;
        const moving = ds.filter((d): d is Dir => d !== undefined);
        const k = moving[0]?.k;
        return (k === "up" || k === "down") && moving.every((d) => d.k === k)
          ? moving[0]!
          : any(`${text} is monotone only when its arguments all move the same way`);
      });
    case "size":
      return all(([d]) => (d?.k === "lat" && d.lattice.startsWith("set<") ? { k: "up" } : any(`${text} is not monotone`)));
    case "pair":
      return all(([a, b]) => (a?.k === "any" ? a : b?.k === "any" ? b : { k: "pair", a, b }));
    case "first":
    case "second":
      return all(([d]) => {
        if (d?.k === "mono") return d;
        if (d?.k === "pair") return (t.name === "first" ? d.a : d.b) ?? { k: "mono" };
        return any(`${text} is not monotone`);
      });
    case "singleton":
      return all(() => any(`${text} is not monotone: a larger value is a different element, not a larger set`));
    default:
      return all(() => any(`${t.name}(…) is not monotone`));
  }
}
