// Evaluation of `#if` / `#elif` conditions: C integer expressions over
// numbers, `defined X`, ! ~ unary +/-, * / % + - << >> < <= > >= == != & ^ |
// && || and ?:, after macro expansion; unknown identifiers are 0. Values are
// 64-bit, as in C's preprocessors, and wrap.

import { MAX_NESTING } from "../nesting.js";

class DivisionByZero extends Error {}
class TooDeep extends Error {}

type Tok = { readonly kind: "num"; readonly value: bigint } | { readonly kind: "op"; readonly text: string };

const TOKEN = /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_][A-Za-z0-9_]*)|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>!~&^|?:()]))/y;

function tokenize(expr: string): Tok[] | undefined {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    if (/^\s*$/.test(expr.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(expr);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push({ kind: "num", value: BigInt.asIntN(64, BigInt(m[1])) });
    else if (m[2] !== undefined) out.push({ kind: "num", value: m[2] === "true" ? 1n : 0n });
    else out.push({ kind: "op", text: m[3]! });
  }
  return out;
}

const BINARY: Readonly<Record<string, number>> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "^": 4,
  "&": 5,
  "==": 6,
  "!=": 6,
  "<": 7,
  "<=": 7,
  ">": 7,
  ">=": 7,
  "<<": 8,
  ">>": 8,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};

/** A shift by more than a value's 64 bits gives what a shift by 64 does (and never a huge number). */
const shift = (b: bigint) => (b > 64n ? 64n : b < -64n ? -64n : b);

/** `a op b` as C's 64-bit integers compute it (wrapping). */
function apply(op: string, a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, exact(op, a, op === "<<" || op === ">>" ? shift(b) : b));
}

function exact(op: string, a: bigint, b: bigint): bigint {
  const bool = (x: boolean) => (x ? 1n : 0n);
  switch (op) {
    case "||":
      return bool(a !== 0n || b !== 0n);
    case "&&":
      return bool(a !== 0n && b !== 0n);
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    case "&":
      return a & b;
    case "==":
      return bool(a === b);
    case "!=":
      return bool(a !== b);
    case "<":
      return bool(a < b);
    case "<=":
      return bool(a <= b);
    case ">":
      return bool(a > b);
    case ">=":
      return bool(a >= b);
    case "<<":
      return a << b;
    case ">>":
      return a >> b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0n) throw new DivisionByZero();
      return a / b;
    case "%":
      if (b === 0n) throw new DivisionByZero();
      return a % b;
  }
  throw new SyntaxError(op);
}

/** The value of a condition whose `defined` operators and macros have already been replaced. */
export function evaluateCondition(expr: string): { value: boolean } | { error: string } {
  const toks = tokenize(expr);
  if (!toks) return { error: `invalid preprocessor expression \`${expr.trim()}\`` };
  if (toks.length === 0) return { error: "#if with no expression" };
  let i = 0;
  // Parentheses, unary operators and `?:` nest; past MAX_NESTING levels the condition is refused.
  let depth = 0;
  const nested = <T>(read: () => T): T => {
    if (++depth > MAX_NESTING) throw new TooDeep();
    const value = read();
    depth--;
    return value;
  };
  const peek = () => toks[i];
  const expectOp = (text: string) => {
    const t = toks[i++];
    if (t?.kind !== "op" || t.text !== text) throw new SyntaxError(text);
  };
  const primary = (): bigint => {
    const t = toks[i++];
    if (!t) throw new SyntaxError("end");
    if (t.kind === "num") return t.value;
    if (t.text === "(") {
      const v = nested(ternary);
      expectOp(")");
      return v;
    }
    if (t.text === "!") return nested(primary) === 0n ? 1n : 0n;
    if (t.text === "~") return ~nested(primary);
    if (t.text === "-") return BigInt.asIntN(64, -nested(primary));
    if (t.text === "+") return nested(primary);
    throw new SyntaxError(t.text);
  };
  const binary = (minPrec: number): bigint => {
    let left = primary();
    for (;;) {
      const t = peek();
      const prec = t && t.kind === "op" ? BINARY[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      i++;
      const right = binary(prec + 1);
      left = apply((t as { text: string }).text, left, right);
    }
  };
  const ternary = (): bigint => {
    const cond = binary(1);
    const t = peek();
    if (t?.kind !== "op" || t.text !== "?") return cond;
    i++;
    const a = nested(ternary);
    expectOp(":");
    const b = nested(ternary);
    return cond !== 0n ? a : b;
  };
  try {
    const v = ternary();
    if (i !== toks.length) throw new SyntaxError("trailing");
    return { value: v !== 0n };
  } catch (e) {
    if (e instanceof TooDeep) return { error: `preprocessor expression nested too deeply (more than ${MAX_NESTING} levels)` };
    if (e instanceof DivisionByZero) return { error: "division by zero in preprocessor expression" };
    return { error: `invalid preprocessor expression \`${expr.trim()}\`` };
  }
}
