// Evaluation of `#if` / `#elif` conditions: C integer expressions over
// numbers, `defined X`, ! ~ unary +/-, * / % + - << >> < <= > >= == != & ^ |
// && || and ?:, after macro expansion; unknown identifiers are 0.

type Tok = { readonly kind: "num"; readonly value: bigint } | { readonly kind: "op"; readonly text: string };

const TOKEN = /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_][A-Za-z0-9_]*)|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>!~&^|?:()]))/y;

function tokenize(expr: string): Tok[] | undefined {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    if (/^\s*$/.test(expr.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(expr);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push({ kind: "num", value: BigInt(m[1]) });
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

function apply(op: string, a: bigint, b: bigint): bigint {
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
      if (b === 0n) throw new RangeError("division by zero");
      return a / b;
    case "%":
      if (b === 0n) throw new RangeError("division by zero");
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
      const v = ternary();
      expectOp(")");
      return v;
    }
    if (t.text === "!") return primary() === 0n ? 1n : 0n;
    if (t.text === "~") return ~primary();
    if (t.text === "-") return -primary();
    if (t.text === "+") return primary();
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
    const a = ternary();
    expectOp(":");
    const b = ternary();
    return cond !== 0n ? a : b;
  };
  try {
    const v = ternary();
    if (i !== toks.length) throw new SyntaxError("trailing");
    return { value: v !== 0n };
  } catch (e) {
    if (e instanceof RangeError) return { error: "division by zero in preprocessor expression" };
    return { error: `invalid preprocessor expression \`${expr.trim()}\`` };
  }
}
