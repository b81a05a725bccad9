// How a term moves as the growing values it reads grow, one direction per
// value (lang/model.ts's Direction): the algebra behind "d + w keeps
// min<number>'s order" and "100 - d reverses it", and behind which columns a
// moving value fits. Judging each value on its own is sound: a term monotone in
// each value, the others held, is monotone in all of them together.

import type { Direction, FunctorInfo, LatticeRef, MTerm } from "../../model.js";
import { printTerm } from "../../calm/print.js";
import { latticeText, sameLattice } from "../lattice-types.js";

/** Value index → how the term moves as that value grows; a value absent from the map does not move it. */
export type Dirs = ReadonlyMap<number, Direction>;

export const UP: Direction = { kind: "up" };
export const DOWN: Direction = { kind: "down" };
const EMPTY: Dirs = new Map();

type Binary = Extract<MTerm, { kind: "binary" }>;
type Call = Extract<MTerm, { kind: "call" }>;
export type Aggregate = Extract<MTerm, { kind: "aggregate" }>;

const unordered = (why: string, t: MTerm, functor?: string): Direction => ({
  kind: "unordered",
  why,
  span: t.span,
  ...(functor ? { functor } : {}),
});

/** How a value of lattice `l` moves, read as a number where it is one, as it grows in `l`'s order. */
export function latticeDirection(l: LatticeRef): Direction {
  switch (l.name) {
    case "max":
    case "or":
      return UP;
    case "min":
    case "and":
      return DOWN;
    default:
      return { kind: "lattice", lattice: l };
  }
}

/** Why a term moving as `d` cannot be stored in a column of lattice `h` (it could move down there), or undefined when it fits. */
export function misfit(d: Direction, h: LatticeRef): string | undefined {
  switch (d.kind) {
    case "trusted":
      return undefined;
    case "unordered":
      return d.why;
    case "up":
    case "down": {
      const want = latticeDirection(h).kind;
      if (want === d.kind) return undefined;
      if (want !== "up" && want !== "down") return `a number cannot grow in ${latticeText(h)}`;
      const moves = d.kind === "up" ? "gets larger" : "gets smaller";
      const wanted = want === "up" ? "larger" : "smaller";
      return `this value ${moves} as the lattice values it reads grow, while ${latticeText(h)} grows by getting ${wanted}`;
    }
    case "lattice":
      return sameLattice(d.lattice, h) ? undefined : `a ${latticeText(d.lattice)} value cannot be stored as ${latticeText(h)}`;
    case "pair": {
      const [a, b] = h.name === "pair" ? (h.args ?? []) : [];
      if (!a || !b) return `a pair cannot be stored as ${latticeText(h)}`;
      return (d.first && misfit(d.first, a)) ?? (d.second && misfit(d.second, b));
    }
  }
}

/** How a moving value is named in messages. */
function describe(d: Direction): string {
  switch (d.kind) {
    case "up":
      return "growing";
    case "down":
      return "shrinking";
    case "lattice":
      return latticeText(d.lattice);
    default:
      return d.kind;
  }
}

/** What a term needs to know of its rule to be given its directions. */
export interface DirContext {
  /** The directions of a variable: the values it is bound to, or is defined from. */
  readonly variable: (name: string) => Dirs;
  /** The directions of an aggregate: its own value, and the rule's lattice values its body reads. */
  readonly aggregate: (a: Aggregate) => Dirs;
  readonly functors?: ReadonlyMap<string, FunctorInfo>;
}

/** The direction of `t` in each value it reads. */
export function dirsOf(t: MTerm, ctx: DirContext): Dirs {
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
      if (t.op === "neg") return mapDirs(inner, (d) => negate(d, t));
      return mapDirs(inner, () => unordered(`${t.op} is not monotone`, t));
    }
    case "binary":
      return binaryDirs(t, dirsOf(t.left, ctx), dirsOf(t.right, ctx));
    case "call":
      return callDirs(
        t,
        t.args.map((a) => dirsOf(a, ctx)),
        ctx.functors,
      );
  }
}

function mapDirs(a: Dirs, f: (d: Direction) => Direction): Dirs {
  return a.size === 0 ? a : new Map([...a].map(([v, d]) => [v, f(d)]));
}

/** Per value read by any of `args`, `combine` of its directions in each (undefined where it is absent); undefined drops it. */
function combineDirs(args: readonly Dirs[], combine: (ds: (Direction | undefined)[]) => Direction | undefined): Dirs {
  const values = new Set(args.flatMap((a) => [...a.keys()]));
  if (values.size === 0) return EMPTY;
  const out = new Map<number, Direction>();
  for (const v of values) {
    const d = combine(args.map((a) => a.get(v)));
    if (d) out.set(v, d);
  }
  return out;
}

const broken = (ds: readonly (Direction | undefined)[]) => ds.find((d) => d?.kind === "unordered");

function negate(d: Direction, t: MTerm): Direction {
  if (d.kind === "up") return DOWN;
  if (d.kind === "down") return UP;
  return d.kind === "unordered" ? d : unordered(`only numbers can be negated monotonically`, t);
}

/** The value of a number constant, possibly negated, if `t` is one. */
function constantValue(t: MTerm): number | undefined {
  if (t.kind === "const" && typeof t.value === "number") return t.value;
  if (t.kind === "unary" && t.op === "neg") {
    const v = constantValue(t.operand);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

function binaryDirs(t: Binary, l: Dirs, r: Dirs): Dirs {
  switch (t.op) {
    case "+":
      return combineDirs([l, r], ([x, y]) => sum(x, y, t));
    case "-":
      return combineDirs([l, mapDirs(r, (d) => negate(d, t.right))], ([x, y]) => sum(x, y, t));
    case "*": {
      // Scaling by a constant keeps (positive), reverses (negative) or removes (zero) the direction.
      const [c, moving] = r.size === 0 ? [constantValue(t.right), l] : l.size === 0 ? [constantValue(t.left), r] : [undefined, l];
      const factor = () => unordered(`"*" is monotone only with a constant factor`, t);
      if (c === undefined) return combineDirs([l, r], (ds) => broken(ds) ?? factor());
      if (c === 0) return EMPTY;
      return mapDirs(moving, (d) =>
        d.kind === "unordered" ? d : d.kind !== "up" && d.kind !== "down" ? factor() : c > 0 ? d : negate(d, t),
      );
    }
    case "/": {
      const c = r.size === 0 ? constantValue(t.right) : undefined;
      const divisor = (d: Direction | undefined) =>
        d?.kind === "unordered" ? d : unordered(`"/" is monotone only by a positive constant`, t);
      if (c === undefined || c <= 0) return combineDirs([l, r], ([x]) => divisor(x));
      return mapDirs(l, (d) => (d.kind === "up" || d.kind === "down" ? d : divisor(d)));
    }
    default:
      return combineDirs([l, r], (ds) => broken(ds) ?? unordered(`"${t.op}" is not monotone`, t));
  }
}

/** The direction of a sum whose operands move as `x` and `y` (undefined: does not move). */
function sum(x: Direction | undefined, y: Direction | undefined, t: MTerm): Direction {
  const bad = broken([x, y]);
  if (bad) return bad;
  const numeric = (d: Direction | undefined) => !d || d.kind === "up" || d.kind === "down";
  if (!numeric(x) || !numeric(y)) return unordered(`arithmetic on a ${describe((numeric(x) ? y : x)!)} value is not monotone`, t);
  if (!x || !y || x.kind === y.kind) return (x ?? y)!;
  return unordered(`one operand grows while the other shrinks`, t);
}

function callDirs(t: Call, args: readonly Dirs[], functors: ReadonlyMap<string, FunctorInfo> | undefined): Dirs {
  const each = (f: (ds: (Direction | undefined)[]) => Direction | undefined) => combineDirs(args, (ds) => broken(ds) ?? f(ds));
  if (t.name.startsWith("@")) {
    const name = t.name.slice(1);
    // Declared monotone: trusted to keep the order of whatever it reads.
    if (functors?.get(name)?.monotone) return each(() => ({ kind: "trusted" }));
    return each(() => unordered(`${t.name} is not declared monotone`, t, name));
  }
  switch (t.name) {
    case "min":
    case "max":
      return each((ds) => {
        const moving = ds.filter((d): d is Direction => d !== undefined);
        const first = moving[0]!;
        return (first.kind === "up" || first.kind === "down") && moving.every((d) => d.kind === first.kind)
          ? first
          : unordered(`${t.name}(…) is monotone only when its arguments all move the same way`, t);
      });
    case "size":
      return each(([d]) => (d?.kind === "lattice" && d.lattice.name === "set" ? UP : unordered(`size(…) applies to sets`, t)));
    case "pair":
      return each(([a, b]) =>
        args.length === 2
          ? { kind: "pair", ...(a ? { first: a } : {}), ...(b ? { second: b } : {}) }
          : unordered(`pair takes two values`, t),
      );
    case "first":
    case "second":
      return each(([d]) => {
        const i = t.name === "first" ? 0 : 1;
        if (d?.kind === "trusted") return d;
        if (d?.kind === "pair") return i === 0 ? d.first : d.second;
        const part = d?.kind === "lattice" && d.lattice.name === "pair" ? d.lattice.args?.[i] : undefined;
        return part ? latticeDirection(part) : unordered(`${t.name}(…) applies to pairs`, t);
      });
    case "singleton":
      return each(() => unordered(`singleton(…) of a lattice value is not monotone ({1} and {2} are not ordered)`, t));
    default:
      return each(() => unordered(`${t.name}(…) is not monotone`, t));
  }
}

/** How an aggregate's result moves as the relations it reads gain facts (`inner`: how its target moves with their lattice values). */
export function aggregateDirection(a: Aggregate, inner: Direction | undefined): Direction {
  const whole = (why: string) => unordered(why, a);
  if (inner && a.fn !== "count") {
    const want = a.fn === "max" ? "up" : a.fn === "min" ? "down" : undefined;
    if (inner.kind === "unordered") return inner;
    if (want === undefined) return whole(`${a.fn} over lattice values is not monotone`);
    if (inner.kind !== want) return whole(`${a.fn} over lattice values that move the other way is not monotone`);
  }
  switch (a.fn) {
    case "count":
    case "max":
      return UP;
    case "min":
      return DOWN;
    case "sum":
      return a.target?.type === "unsigned"
        ? UP
        : whole(`sum${a.target ? ` ${printTerm(a.target)}` : ""} can fall as facts arrive (its values may be negative)`);
    case "mean":
      return whole(`mean is not monotone: a new fact can lower it or raise it`);
  }
}
