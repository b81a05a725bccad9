// Random typed terms for the property generator: a seeded PRNG, a rule's scope
// of bound variables, and number/symbol expressions over them. Recursive rules
// get only bounded value-creating terms, so that every program terminates.

import type { ArithOp } from "../../lang/ast.js";
import type { BaseType, MTerm } from "../../lang/model.js";
import { bin, call, flt, num, span, sym, un, uns, v } from "./build.js";

/** mulberry32: a small deterministic PRNG, so a case is reproducible from its seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

export const SYMBOLS = ["a", "b", "ab", "ba", "abc"];
export const REGEXES = ["a.*", "[ab]+", "b?a", ".b.*", "abc|b"];
const SMALL = [-2, -1, 0, 1, 2, 3, 4, 5];
const BIG = [2147483647, -2147483647, 65536, 1000000];
const DIVISORS = [-3, -2, 2, 3, 5, 7];
const UNSIGNED = [0, 1, 2, 3, 5, 2147483648, 4294967295];
const FLOATS = [0, 0.5, -1.5, 2, 3.25];

/** The variables a rule has bound so far, and fresh names for new ones. */
export class Scope {
  readonly bound = new Map<string, BaseType>();
  private counter = 0;
  constructor(
    readonly rng: Rng,
    readonly recursive: boolean,
  ) {}

  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }
  vars(type: BaseType): string[] {
    return [...this.bound].filter(([, t]) => t === type).map(([n]) => n);
  }
}

export function numConst(rng: Rng): MTerm {
  return num(rng.chance(0.1) ? rng.pick(BIG) : rng.pick(SMALL));
}

export function symConst(rng: Rng): MTerm {
  return sym(rng.pick(SYMBOLS));
}

export function constOf(rng: Rng, type: BaseType): MTerm {
  switch (type) {
    case "number":
      return numConst(rng);
    case "symbol":
      return symConst(rng);
    case "unsigned":
      return uns(rng.pick(UNSIGNED));
    case "float":
      return flt(rng.pick(FLOATS));
  }
}

/** A bound variable of `type` (usually) or a constant. */
function leaf(sc: Scope, type: BaseType): MTerm {
  const vars = sc.vars(type);
  return vars.length > 0 && sc.rng.chance(0.75) ? v(sc.rng.pick(vars), type) : constOf(sc.rng, type);
}

const numLeaf = (sc: Scope) => leaf(sc, "number");

/** A conversion to number from a bound unsigned or float variable, if there is one. */
function fromOtherNumeric(sc: Scope): MTerm | undefined {
  const type = sc.rng.pick(["unsigned", "float"] as const);
  const vars = sc.vars(type);
  if (vars.length === 0) return undefined;
  const operand = v(sc.rng.pick(vars), type);
  if (type === "unsigned" && sc.rng.chance(0.3)) return { kind: "cast", type: "number", term: operand, span };
  return call(sc.rng.chance(0.5) ? "to_number" : type === "unsigned" ? "utoi" : "ftoi", "number", operand);
}

/** A number expression over the bound variables, at most `depth` operators deep. */
export function numExpr(sc: Scope, depth: number): MTerm {
  const { rng } = sc;
  if (depth <= 0 || rng.chance(0.3)) return numLeaf(sc);
  const sub = () => numExpr(sc, depth - 1);
  const syms = sc.vars("symbol");
  switch (rng.int(0, 9)) {
    case 0:
    case 1:
    case 2:
      return bin(rng.pick<ArithOp>(["+", "-", "*"]), sub(), sub());
    case 3:
      return bin(rng.pick<ArithOp>(["/", "%"]), sub(), num(rng.pick(DIVISORS)));
    case 4:
      return bin("^", numLeaf(sc), num(rng.int(0, 3)));
    case 5:
      return bin(rng.pick<ArithOp>(["band", "bor", "bxor", "land", "lor", "lxor"]), sub(), sub());
    case 6:
      return bin(rng.pick<ArithOp>(["bshl", "bshr", "bshru"]), sub(), rng.chance(0.7) ? num(rng.int(0, 4)) : sub());
    case 7:
      return un(rng.pick(["neg", "bnot", "lnot"] as const), sub());
    case 8:
      return rng.chance(0.8) ? call(rng.pick(["min", "max"]), "number", sub(), sub()) : call("abs", "number", sub());
    default:
      if (rng.chance(0.5)) return fromOtherNumeric(sc) ?? sub();
      return syms.length > 0 ? call("strlen", "number", v(rng.pick(syms), "symbol")) : sub();
  }
}

/** An unsigned expression: wrap-around arithmetic, bit operations, conversions from number. */
function unsExpr(sc: Scope, depth: number): MTerm {
  const { rng } = sc;
  if (depth <= 0 || rng.chance(0.3)) return leaf(sc, "unsigned");
  const sub = () => unsExpr(sc, depth - 1);
  const u = (op: ArithOp, l: MTerm, r: MTerm) => bin(op, l, r, "unsigned");
  switch (rng.int(0, 6)) {
    case 0:
    case 1:
      return u(rng.pick<ArithOp>(["+", "-", "*"]), sub(), sub());
    case 2:
      return u(rng.pick<ArithOp>(["/", "%"]), sub(), uns(rng.pick([2, 3, 7])));
    case 3:
      return rng.chance(0.7) ? u(rng.pick<ArithOp>(["band", "bor", "bxor", "land"]), sub(), sub()) : un("bnot", sub());
    case 4:
      return u(rng.pick<ArithOp>(["bshl", "bshr", "bshru"]), sub(), uns(rng.int(0, 4)));
    case 5:
      return call(rng.pick(["min", "max"]), "unsigned", sub(), sub());
    default: {
      // as() reinterprets a number variable's bits (a constant would be typed unsigned itself).
      const vars = sc.vars("number");
      if (vars.length > 0 && rng.chance(0.5)) return { kind: "cast", type: "unsigned", term: v(rng.pick(vars)), span };
      return call(rng.pick(["itou", "to_unsigned"]), "unsigned", numExpr(sc, depth - 1));
    }
  }
}

/** A float expression: float32 arithmetic and conversions from number. */
function fltExpr(sc: Scope, depth: number): MTerm {
  const { rng } = sc;
  if (depth <= 0 || rng.chance(0.3)) return leaf(sc, "float");
  const sub = () => fltExpr(sc, depth - 1);
  switch (rng.int(0, 5)) {
    case 0:
    case 1:
      return bin(rng.pick<ArithOp>(["+", "-", "*"]), sub(), sub(), "float");
    case 2:
      return bin("/", sub(), flt(rng.pick([2, -0.5, 4])), "float");
    case 3:
      return un("neg", sub());
    case 4:
      return rng.chance(0.7) ? call(rng.pick(["min", "max"]), "float", sub(), sub()) : call("abs", "float", sub());
    default:
      return call(rng.pick(["itof", "to_float"]), "float", numExpr(sc, depth - 1));
  }
}

/** A number expression whose value is bounded in a recursive rule: there it is taken modulo 3, 5 or 7. */
export function boundedNumExpr(sc: Scope, depth: number): MTerm {
  const e = numExpr(sc, depth);
  if (!sc.recursive || e.kind === "var" || e.kind === "const") return e;
  return bin("%", e, num(sc.rng.pick([3, 5, 7])));
}

/** A symbol expression; in recursive rules only ones that cannot build ever longer strings. */
export function symExpr(sc: Scope, depth: number): MTerm {
  const { rng } = sc;
  const vars = sc.vars("symbol");
  const leaf = () => (vars.length > 0 && rng.chance(0.75) ? v(rng.pick(vars), "symbol") : symConst(rng));
  if (depth <= 0 || rng.chance(0.4)) return leaf();
  switch (rng.int(sc.recursive ? 2 : 0, 3)) {
    case 0:
      return rng.chance(0.7) ? call("cat", "symbol", leaf(), leaf()) : bin("+", leaf(), leaf(), "symbol");
    case 1:
      return call("to_string", "symbol", numExpr(sc, 1));
    default:
      return call("substr", "symbol", leaf(), num(rng.int(0, 3)), num(rng.int(-1, 3)));
  }
}

/** An expression of `type`; in recursive rules, bounded (numbers and unsigned modulo a constant, floats plain). */
export function expr(sc: Scope, type: BaseType, depth: number): MTerm {
  switch (type) {
    case "symbol":
      return symExpr(sc, depth);
    case "number":
      return boundedNumExpr(sc, depth);
    case "float":
      return sc.recursive ? leaf(sc, "float") : fltExpr(sc, depth);
    case "unsigned": {
      const e = unsExpr(sc, depth);
      return sc.recursive && e.kind !== "var" && e.kind !== "const" ? bin("%", e, uns(sc.rng.pick([3, 5])), "unsigned") : e;
    }
  }
}
