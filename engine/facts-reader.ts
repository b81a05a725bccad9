// Reads Soufflé-style fact files: one tuple a line, fields split by a
// delimiter (tab by default), parsed per column type straight into a
// relation. A malformed field is a located diagnostic naming file, line, column.

import type { BaseType } from "../lang/model.js";
import { error, type Diagnostic } from "../lang/diagnostics.js";
import type { Relation } from "./relation.js";
import type { SymbolTable } from "./symbols.js";
import { bitsOfFloat } from "./values.js";

export interface FactsSource {
  /** The name shown in diagnostics (a path, or `<stdin>`). */
  readonly file: string;
  readonly text: string;
}

export interface ReadOptions {
  readonly delimiter: string;
  /** Skip the first line (a header). */
  readonly headers: boolean;
}

const INT = /^[+-]?(?:\d+|0x[0-9a-fA-F]+|0b[01]+)$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|nan|infinity)$/i;

function parseInt32(s: string): number | undefined {
  if (!INT.test(s)) return undefined;
  const neg = s.startsWith("-");
  const body = s.replace(/^[+-]/, "");
  const n = Number(body);
  return neg ? -n : n;
}

/** Parses one field; returns the cell or an error message. */
export function parseField(type: BaseType, field: string, symbols: SymbolTable): number | string {
  switch (type) {
    case "symbol":
      return symbols.intern(field);
    case "number": {
      const n = parseInt32(field.trim());
      if (n === undefined || n < -2147483648 || n > 2147483647) return `"${field}" is not a number`;
      return n | 0;
    }
    case "unsigned": {
      const n = parseInt32(field.trim());
      if (n === undefined || n < 0 || n > 4294967295) return `"${field}" is not an unsigned number`;
      return n | 0;
    }
    case "float": {
      const t = field.trim();
      if (!FLOAT.test(t)) return `"${field}" is not a float`;
      return bitsOfFloat(Number(t.toLowerCase().startsWith("nan") ? NaN : t.replace(/inf(inity)?$/i, "Infinity")));
    }
  }
}

/** Loads every line of `src` into `rel`; returns the diagnostics of malformed lines (the run must then stop). */
export function readFacts(rel: Relation, src: FactsSource, opts: ReadOptions, symbols: SymbolTable): Diagnostic[] {
  const { text, file } = src;
  const arity = rel.arity;
  const types = rel.types;
  const tmp = rel.tmp;
  const delim = opts.delimiter;
  const diagnostics: Diagnostic[] = [];
  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    line++;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const lineStart = pos;
    pos = end + 1;
    if (line === 1 && opts.headers) continue;
    if (lineEnd === lineStart && arity > 0) continue;
    let fieldStart = lineStart;
    let c = 0;
    for (; c < arity; c++) {
      let fieldEnd = text.indexOf(delim, fieldStart);
      if (fieldEnd < 0 || fieldEnd > lineEnd) fieldEnd = c === arity - 1 ? lineEnd : -1;
      else if (c === arity - 1) {
        const at = { line, col: fieldEnd - lineStart + 1, offset: fieldEnd };
        diagnostics.push(error("bad-fact", `expected ${arity} fields for relation "${rel.name}", found more`, { file, start: at, end: at }));
        break;
      }
      if (fieldEnd < 0) {
        const at = { line, col: lineEnd - lineStart + 1, offset: lineEnd };
        diagnostics.push(
          error("bad-fact", `expected ${arity} fields for relation "${rel.name}", found ${c + 1}`, { file, start: at, end: at }),
        );
        break;
      }
      const field = text.slice(fieldStart, fieldEnd);
      const cell = parseField(types[c]!, field, symbols);
      if (typeof cell === "string") {
        const start = { line, col: fieldStart - lineStart + 1, offset: fieldStart };
        const stop = { line, col: fieldEnd - lineStart + 1, offset: fieldEnd };
        diagnostics.push(error("bad-fact", `${cell} (column ${c + 1} of "${rel.name}" has type ${types[c]})`, { file, start, end: stop }));
        break;
      }
      tmp[c] = cell;
      fieldStart = fieldEnd + delim.length;
    }
    if (c === arity && diagnostics.length === 0) rel.add();
    if (diagnostics.length >= 20) break;
  }
  return diagnostics;
}
