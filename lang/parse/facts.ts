// A fast path for the lines that make up fact files: `name(c1, c2, …).` with
// number and string constants only. It builds exactly the AST the grammar's
// actions would (tests compare the two); anything else is left to ohm.

import type { Atom, Clause, Term } from "../ast.js";
import type { ParseContext } from "./context.js";
import { decodeNumber, decodeString, RESERVED_WORDS } from "./literals.js";

const WS = /[ \t\r]*/y;
const NAME = /[A-Za-z_?][A-Za-z0-9_?]*(?:\.[A-Za-z_?][A-Za-z0-9_?]*)*/y;
// The grammar's `number`, minus dotted IPv4 (left to ohm), in the same order of preference.
const NUMBER = /0x[0-9a-fA-F]+u?|0b[01]+u?|\d+\.\d+(?:[eE][+-]?\d+)?|\d+u?/y;
const STRING = /"(?:[^"\\\n]|\\[^\n])*"/y;
const IDENT_PART = /[A-Za-z0-9_?]/;

class Cursor {
  constructor(
    readonly text: string,
    public pos: number,
    readonly end: number,
  ) {}

  skip(): void {
    WS.lastIndex = this.pos;
    WS.exec(this.text);
    this.pos = Math.min(WS.lastIndex, this.end);
  }

  eat(c: string): boolean {
    this.skip();
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  /** The match of a sticky regex at the cursor (after spaces), within the line. */
  take(re: RegExp): string | undefined {
    this.skip();
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m || re.lastIndex > this.end) return undefined;
    this.pos = re.lastIndex;
    return m[0];
  }
}

function validName(name: string): boolean {
  return name.split(".").every((part) => part !== "_" && !RESERVED_WORDS.has(part));
}

function constant(c: Cursor, ctx: ParseContext): Term | undefined {
  c.skip();
  const start = c.pos;
  const negative = c.text[c.pos] === "-";
  if (negative) c.pos++;
  const numText = c.take(NUMBER);
  if (numText !== undefined) {
    if (c.pos < c.end && IDENT_PART.test(c.text[c.pos]!)) return undefined;
    const { value, numType } = decodeNumber(numText);
    const span = ctx.spanAt(start, c.pos);
    const text = negative ? `-${numText}` : numText;
    return { kind: "number", text, value: negative ? -value : value, span, ...(numType ? { numType } : {}) };
  }
  if (negative) return undefined;
  const strText = c.take(STRING);
  if (strText === undefined) return undefined;
  const { value, badEscape } = decodeString(strText);
  if (badEscape) return undefined;
  return { kind: "string", value, span: ctx.spanAt(start, c.pos) };
}

function fact(c: Cursor, ctx: ParseContext): Clause | undefined {
  c.skip();
  const start = c.pos;
  const relation = c.take(NAME);
  if (relation === undefined || !validName(relation)) return undefined;
  if (!c.eat("(")) return undefined;
  const args: Term[] = [];
  if (!c.eat(")")) {
    for (;;) {
      const arg = constant(c, ctx);
      if (!arg) return undefined;
      args.push(arg);
      if (c.eat(")")) break;
      if (!c.eat(",")) return undefined;
    }
  }
  const atomEnd = c.pos;
  if (!c.eat(".")) return undefined;
  const atom: Atom = { kind: "atom", relation, args, span: ctx.spanAt(start, atomEnd) };
  return { kind: "clause", heads: [atom], span: ctx.spanAt(start, c.pos) };
}

/**
 * The facts on the line `[start, end)` when the line holds nothing but simple
 * facts, optionally followed by a `//` comment; `undefined` otherwise.
 * `rest` is where the trailing space or comment starts.
 */
export function factLine(text: string, start: number, end: number, ctx: ParseContext): { clauses: Clause[]; rest: number } | undefined {
  const c = new Cursor(text, start, end);
  const clauses: Clause[] = [];
  for (;;) {
    const f = fact(c, ctx);
    if (!f) return undefined;
    clauses.push(f);
    const rest = c.pos;
    c.skip();
    if (c.pos >= end || text.startsWith("//", c.pos)) return { clauses, rest };
  }
}
