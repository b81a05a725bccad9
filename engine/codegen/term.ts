// Compiles a typed term of the checked program to a JavaScript expression over
// 32-bit cells. Every expression evaluates to the cell encoding of its value.

import type { CompareOp } from "../../lang/ast.js";
import type { BaseType, MTerm } from "../../lang/model.js";
import type { SymbolTable } from "../storage/symbols.js";
import { bitsOfFloat } from "../storage/values.js";

export interface TermContext {
  readonly symbols: SymbolTable;
  /** The JavaScript name bound to each Datalog variable in scope. */
  readonly vars: ReadonlyMap<string, string>;
  /** Source for the autoinc() counter expression. */
  readonly counter: string;
}

/** The cell encoding of a constant. */
export function constCell(type: BaseType, value: number | string, symbols: SymbolTable): number {
  switch (type) {
    case "symbol":
      return symbols.intern(String(value));
    case "float":
      return bitsOfFloat(Number(value));
    default:
      return Number(value) | 0;
  }
}

function literal(n: number): string {
  return n < 0 ? `(${n})` : String(n);
}

function arith(op: string, type: BaseType, a: string, b: string): string {
  if (type === "float") {
    const fa = `fx.fv(${a})`;
    const fbv = `fx.fv(${b})`;
    switch (op) {
      case "+":
      case "-":
      case "*":
      case "/":
        return `fx.fb(${fa} ${op} ${fbv})`;
      case "%":
        return `fx.fb(${fa} % ${fbv})`;
      case "^":
        return `fx.fpow(${a}, ${b})`;
      default:
        throw new Error(`operator ${op} is not defined on float`);
    }
  }
  const u = type === "unsigned";
  switch (op) {
    case "+":
      return `((${a} + ${b}) | 0)`;
    case "-":
      return `((${a} - ${b}) | 0)`;
    case "*":
      return `Math.imul(${a}, ${b})`;
    case "/":
      return u ? `fx.udiv(${a}, ${b})` : `fx.idiv(${a}, ${b})`;
    case "%":
      return u ? `fx.umod(${a}, ${b})` : `fx.imod(${a}, ${b})`;
    case "^":
      return u ? `fx.upow(${a}, ${b})` : `fx.ipow(${a}, ${b})`;
    case "band":
      return `(${a} & ${b})`;
    case "bor":
      return `(${a} | ${b})`;
    case "bxor":
      return `(${a} ^ ${b})`;
    case "bshl":
      return `(${a} << ${b})`;
    case "bshr":
      return u ? `((${a} >>> ${b}) | 0)` : `(${a} >> ${b})`;
    case "bshru":
      return `((${a} >>> ${b}) | 0)`;
    case "land":
      return `((${a} !== 0 && ${b} !== 0) ? 1 : 0)`;
    case "lor":
      return `((${a} !== 0 || ${b} !== 0) ? 1 : 0)`;
    case "lxor":
      return `(((${a} !== 0) !== (${b} !== 0)) ? 1 : 0)`;
  }
  throw new Error(`unknown operator ${op}`);
}

function conversion(name: string, from: BaseType, a: string): string {
  switch (name) {
    case "to_float":
    case "itof":
    case "utof":
      if (from === "float") return a;
      if (from === "symbol") return `fx.toFloatOfSymbol(${a})`;
      return from === "unsigned" ? `fx.fb(${a} >>> 0)` : `fx.fb(${a})`;
    case "to_unsigned":
    case "itou":
    case "ftou":
      if (from === "symbol") return `fx.toUnsigned(${a})`;
      return from === "float" ? `(Math.trunc(fx.fv(${a})) | 0)` : a;
    case "to_number":
    case "utoi":
    case "ftoi":
      if (from === "symbol") return `fx.toNumber(${a})`;
      return from === "float" ? `(Math.trunc(fx.fv(${a})) | 0)` : a;
    case "to_string":
      if (from === "symbol") return a;
      if (from === "float") return `fx.floatToString(${a})`;
      return from === "unsigned" ? `fx.unsignedToString(${a})` : `fx.numberToString(${a})`;
  }
  throw new Error(`unknown conversion ${name}`);
}

function minMax(name: "min" | "max", type: BaseType, args: string[]): string {
  const fn = type === "number" ? `Math.${name}` : type === "unsigned" ? `fx.u${name}` : type === "float" ? `fx.f${name}` : `fx.s${name}`;
  return args.reduce((acc, a) => `${fn}(${acc}, ${a})`);
}

export function compileTerm(t: MTerm, ctx: TermContext): string {
  switch (t.kind) {
    case "const":
      return literal(constCell(t.type, t.value, ctx.symbols));
    case "var": {
      const js = ctx.vars.get(t.name);
      if (js === undefined) throw new Error(`internal: variable ${t.name} is not bound`);
      return js;
    }
    case "wildcard":
      throw new Error("internal: a wildcard has no value");
    case "binary":
      return arith(t.op, t.type, compileTerm(t.left, ctx), compileTerm(t.right, ctx));
    case "unary": {
      const a = compileTerm(t.operand, ctx);
      if (t.op === "neg") return t.type === "float" ? `fx.fb(-fx.fv(${a}))` : `((-${a}) | 0)`;
      if (t.op === "bnot") return `(~${a})`;
      return `(${a} === 0 ? 1 : 0)`;
    }
    case "cast":
      return compileTerm(t.term, ctx);
    case "call": {
      const args = t.args.map((a) => compileTerm(a, ctx));
      if (t.name.startsWith("@")) return `fx.user[${JSON.stringify(t.name.slice(1))}](${args.join(", ")})`;
      switch (t.name) {
        case "cat":
          return args.length === 2 ? `fx.cat2(${args[0]}, ${args[1]})` : `fx.cat(${args.join(", ")})`;
        case "strlen":
          return `fx.strlen(${args[0]})`;
        case "substr":
          return `fx.substr(${args.join(", ")})`;
        case "ord":
          return args[0]!;
        case "min":
        case "max":
          return minMax(t.name, t.type, args);
        case "abs":
          return t.type === "float"
            ? `fx.fb(Math.abs(fx.fv(${args[0]})))`
            : t.type === "unsigned"
              ? args[0]!
              : `(Math.abs(${args[0]}) | 0)`;
        case "autoinc":
          return ctx.counter;
        // Records: ids of interned tuples of cells (engine/storage/records.ts).
        case "$record":
          return args.length >= 1 && args.length <= 4 ? `fx.pack${args.length}(${args.join(", ")})` : `fx.packv([${args.join(", ")}])`;
        case "$field":
          return `fx.field(${args.join(", ")})`;
        // Lattice values: sets and pairs are ids of hash-consed values.
        case "singleton":
          return `fx.singleton(${args[0]})`;
        case "size":
          return `fx.setSize(${args[0]})`;
        case "pair":
          return `fx.pair(${args[0]}, ${args[1]})`;
        case "first":
          return `fx.first(${args[0]})`;
        case "second":
          return `fx.second(${args[0]})`;
        default:
          return conversion(t.name, t.args[0]!.type, args[0]!);
      }
    }
    case "aggregate":
      throw new Error("internal: aggregates are compiled by the rule compiler");
  }
}

/** A JavaScript boolean expression comparing two cells of type `type`. */
export function compileCompare(op: CompareOp, type: BaseType, a: string, b: string): string {
  const js = op === "=" ? "===" : op === "!=" ? "!==" : op;
  switch (type) {
    case "number":
      return `(${a} ${js} ${b})`;
    case "unsigned":
      return op === "=" || op === "!=" ? `(${a} ${js} ${b})` : `((${a} >>> 0) ${js} (${b} >>> 0))`;
    case "float":
      return `(fx.fv(${a}) ${js} fx.fv(${b}))`;
    case "symbol":
      return op === "=" || op === "!=" ? `(${a} ${js} ${b})` : `(fx.scmp(${a}, ${b}) ${js} 0)`;
  }
}
