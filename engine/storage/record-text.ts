// The text form of record and algebraic-data-type values, as Soufflé reads
// and writes them in facts and outputs: `[1, [2, nil]]`, `nil`, `$A(0)`,
// `$Zero` (a branch without fields), `$S($S($Zero))`; symbols inside are
// written as they are and read up to the next `,`, `]` or `)`, or in double
// quotes. Values are ids in the record table (engine/storage/records.ts).

import type { FieldType, StructuredType } from "../../lang/model.js";
import { parseCell } from "./cell-text.js";
import type { RecordTable } from "./records.js";
import type { SymbolTable } from "./symbols.js";
import { formatCell } from "./values.js";

/** How one column of a record or ADT type is read and written. */
export interface StructuredText {
  /** The column's type name. */
  readonly type: string;
  /** `quote`: symbols inside in double quotes, `"` and `\` escaped (as Soufflé writes them in RFC 4180 output). */
  format(cell: number, quote?: boolean): string;
  /** The cell `text` stands for, or the message saying why it is not a value of the type. */
  parse(text: string): number | string;
}

class ParseError extends Error {}

export class RecordText {
  constructor(
    private readonly types: ReadonlyMap<string, StructuredType>,
    private readonly records: RecordTable,
    private readonly symbols: SymbolTable,
  ) {}

  /** The text form of the column type `type`. */
  column(type: string): StructuredText {
    return {
      type,
      format: (cell, quote = false) => this.format(cell, { structured: type }, quote),
      parse: (text) => {
        try {
          const r = this.read(text, 0, { structured: type });
          const end = skipSpace(text, r.end);
          if (end < text.length) return `"${text}" is not a value of ${type}: unexpected "${text.slice(end, end + 10)}"`;
          return r.cell;
        } catch (e) {
          if (e instanceof ParseError) return `"${text}" is not a value of ${type}: ${e.message}`;
          throw e;
        }
      },
    };
  }

  format(cell: number, t: FieldType, quote = false): string {
    if (typeof t === "string") {
      const text = formatCell(t, cell, this.symbols);
      return quote && t === "symbol" ? `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"` : text;
    }
    const s = this.types.get(t.structured)!;
    if (s.kind === "record") {
      if (cell === 0) return "nil";
      const n = s.fields.length;
      return `[${s.fields.map((f, i) => this.format(this.records.field(cell, n, i), f, quote)).join(", ")}]`;
    }
    if (s.enumeration) return `$${s.branches[cell]?.name ?? cell}`;
    const b = s.branches[this.records.field(cell, 2, 0)]!;
    const payload = this.records.field(cell, 2, 1);
    if (b.fields.length === 0) return `$${b.name}`;
    if (b.fields.length === 1) return `$${b.name}(${this.format(payload, b.fields[0]!, quote)})`;
    const n = b.fields.length;
    return `$${b.name}(${b.fields.map((f, i) => this.format(this.records.field(payload, n, i), f, quote)).join(", ")})`;
  }

  private read(text: string, at: number, t: FieldType): { cell: number; end: number } {
    const pos = skipSpace(text, at);
    if (typeof t === "string") {
      let end = pos;
      let value: string;
      if (t === "symbol" && text[pos] === '"') {
        let s = "";
        end = pos + 1;
        while (end < text.length && text[end] !== '"') {
          if (text[end] === "\\" && end + 1 < text.length) end++;
          s += text[end++];
        }
        if (end >= text.length) throw new ParseError("unterminated string");
        end++;
        value = s;
      } else {
        while (end < text.length && text[end] !== "," && text[end] !== "]" && text[end] !== ")") end++;
        value = text.slice(pos, end).trim();
      }
      const cell = parseCell(t, value, this.symbols);
      if (typeof cell === "string") throw new ParseError(cell);
      return { cell, end };
    }
    const s = this.types.get(t.structured)!;
    if (s.kind === "record") {
      if (text.startsWith("nil", pos)) return { cell: 0, end: pos + 3 };
      if (text[pos] !== "[") throw new ParseError(`expected "[" or nil for a value of ${s.name}`);
      const cells: number[] = [];
      let end = pos + 1;
      s.fields.forEach((f, i) => {
        if (i > 0) end = expect(text, end, ",");
        const r = this.read(text, end, f);
        cells.push(r.cell);
        end = r.end;
      });
      end = expect(text, end, "]");
      return { cell: this.records.pack(cells.length, cells), end };
    }
    if (text[pos] !== "$") throw new ParseError(`expected "$" and a branch of ${s.name}`);
    let end = pos + 1;
    while (end < text.length && /[\w?.]/.test(text[end]!)) end++;
    const name = text.slice(pos + 1, end);
    const index = s.branches.findIndex((b) => b.name === name);
    if (index < 0) throw new ParseError(`${name} is not a branch of ${s.name}`);
    const fields = s.branches[index]!.fields;
    const cells: number[] = [];
    const open = skipSpace(text, end);
    if (text[open] === "(") {
      end = open + 1;
      fields.forEach((f, i) => {
        if (i > 0) end = expect(text, end, ",");
        const r = this.read(text, end, f);
        cells.push(r.cell);
        end = r.end;
      });
      end = expect(text, end, ")");
    } else if (fields.length > 0) throw new ParseError(`$${name} needs ${fields.length} field(s) in parentheses`);
    if (s.enumeration) return { cell: index, end };
    const payload = cells.length === 0 ? 0 : cells.length === 1 ? cells[0]! : this.records.pack(cells.length, cells);
    return { cell: this.records.pack2(index, payload), end };
  }
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && (text[at] === " " || text[at] === "\t")) at++;
  return at;
}

function expect(text: string, at: number, ch: string): number {
  const pos = skipSpace(text, at);
  if (text[pos] !== ch)
    throw new ParseError(pos >= text.length ? `expected "${ch}" before the end` : `expected "${ch}" at "${text.slice(pos, pos + 10)}"`);
  return pos + 1;
}

/**
 * Where a structured field starting at `from` ends: the first `delim` outside
 * brackets, parentheses and double quotes, or `to`.
 */
export function structuredFieldEnd(bytes: Uint8Array, from: number, to: number, delim: Uint8Array): number {
  let depth = 0;
  let quoted = false;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (quoted) {
      if (b === 92) i++;
      else if (b === 34) quoted = false;
      continue;
    }
    if (b === 34) quoted = true;
    else if (b === 91 || b === 40) depth++;
    else if (b === 93 || b === 41) depth--;
    else if (depth <= 0 && b === delim[0]) {
      let k = 1;
      while (k < delim.length && bytes[i + k] === delim[k]) k++;
      if (k === delim.length) return i;
    }
  }
  return to;
}
