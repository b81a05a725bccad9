// Reading one cell of a base type from text, as Soufflé reads a facts field:
// decimal, hex (0x) and binary (0b) integers, floats with inf and nan, symbols
// as they stand. It sits in storage, below both the facts reader and the
// lattices' text forms, so neither has to import the other to parse a number.
// The range of each integer type is values.ts's isValueOf, the check the
// API's values and user functors' results pass too. (Writing a cell back is
// formatCell in values.ts.)

import type { BaseType } from "../../lang/model.js";
import type { SymbolTable } from "./symbols.js";
import { bitsOfFloat, isValueOf } from "./values.js";

const INT = /^[+-]?(?:\d+|0x[0-9a-fA-F]+|0b[01]+)$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|nan|infinity)$/i;

/** Of a field quoted in a message, the characters shown; a longer one is cut, marked with "…". */
const QUOTED = 40;

/** `text` in double quotes for a message, cut to its first QUOTED characters. */
export function quoteCell(text: string): string {
  return `"${text.length > QUOTED ? `${text.slice(0, QUOTED)}…` : text}"`;
}

function parseInteger(s: string): number | undefined {
  if (!INT.test(s)) return undefined;
  const neg = s.startsWith("-");
  const body = s.replace(/^[+-]/, "");
  const n = Number(body);
  return neg ? -n : n;
}

/** The cell `text` stands for as a value of `type`, or the message saying why it is not one. */
export function parseCell(type: BaseType, text: string, symbols: SymbolTable): number | string {
  switch (type) {
    case "symbol":
      return symbols.intern(text);
    case "number": {
      const n = parseInteger(text.trim());
      if (n === undefined || !isValueOf("number", n)) return `${quoteCell(text)} is not a number`;
      return n | 0;
    }
    case "unsigned": {
      const n = parseInteger(text.trim());
      if (n === undefined || !isValueOf("unsigned", n)) return `${quoteCell(text)} is not an unsigned number`;
      return n | 0;
    }
    case "float": {
      const t = text.trim();
      if (!FLOAT.test(t)) return `${quoteCell(text)} is not a float`;
      return bitsOfFloat(Number(t.toLowerCase().startsWith("nan") ? NaN : t.replace(/inf(inity)?$/i, "Infinity")));
    }
  }
}
