// Reads Soufflé-style fact files: one tuple a line, fields split by a
// delimiter (tab by default), parsed per column type straight into a
// relation. A malformed field is a located diagnostic naming file, line, column,
// with the piece of its line the frame quotes (the file's text is not kept).

import { error, type Diagnostic } from "../../lang/diagnostics.js";
import type { Position, SourceMap } from "../../lang/span.js";
import type { Relation } from "../storage/relation.js";
import type { SymbolTable } from "../storage/symbols.js";
import { parseCell, quoteCell } from "../storage/cell-text.js";
import { structuredFieldEnd } from "../storage/record-text.js";
import { FactPositions, nextLineBreak, textExcerpt } from "./fact-positions.js";
import { bytesText, DEFAULT_LIMITS } from "./input-limits.js";
import { utf8Bytes, utf8Slicer } from "../runtime.js";

export interface FactsSource {
  /** The name shown in diagnostics (a path, or `<stdin>`). */
  readonly file: string;
  /** The facts as UTF-8 bytes (a file as read), or as text (standard input). */
  readonly bytes?: Uint8Array;
  readonly text?: string;
  /** Where in `bytes` to start: the lines before it were read by an earlier run (lines are numbered from the start). */
  readonly from?: number;
}

export interface ReadOptions {
  readonly delimiter: string;
  /** Skip the first line (a header). */
  readonly headers: boolean;
  /** Fields may be quoted as RFC 4180 says ("a ""b""", holding delimiters and line breaks). */
  readonly rfc4180?: boolean;
  /** A longer field is an error (default: the longest string V8 holds; see read-input.ts). */
  readonly maxFieldBytes?: number;
}

/**
 * The cell for `text` in column `c` of `rel` (a lattice value in a lattice
 * column), or the message saying why it is not one.
 */
function cellOf(rel: Relation, c: number, text: string, symbols: SymbolTable): number | string {
  if (c === rel.arity - 1 && rel.latticeIO) {
    const cell = rel.latticeIO.parse(text);
    return cell ?? `${quoteCell(text)} is not a value of ${rel.latticeIO.lattice.name} (column ${c + 1} of "${rel.name}")`;
  }
  const structured = rel.structuredIO?.[c];
  if (structured) {
    const cell = structured.parse(text);
    return typeof cell === "string" ? `${cell} (column ${c + 1} of "${rel.name}")` : cell;
  }
  const parsed = parseCell(rel.types[c]!, text, symbols);
  return typeof parsed === "string" ? `${parsed} (column ${c + 1} of "${rel.name}" has type ${rel.types[c]})` : parsed;
}

/** The note on a bad line that holds a double quote, read without rfc4180=true. */
const QUOTED_HINT =
  "this line has a double quote: to read quoted fields (which may hold the delimiter), add rfc4180=true to the .input directive";

/**
 * Parses a plain decimal integer field of bytes[start, end) without allocating;
 * returns undefined for anything else (hex, binary, junk), which the slow path handles.
 */
function fastInt(bytes: Uint8Array, start: number, end: number): number | undefined {
  if (start >= end) return undefined;
  let i = start;
  let neg = false;
  const first = bytes[i]!;
  if (first === 45 /* - */) {
    neg = true;
    i++;
  } else if (first === 43 /* + */) i++;
  if (i >= end || end - i > 10) return undefined;
  let n = 0;
  for (; i < end; i++) {
    const d = bytes[i]! - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  n = neg ? -n : n;
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

/**
 * Loads every line of `src` into `rel`; returns the diagnostics of malformed
 * lines (the run must then stop), located in the text the bytes decode to,
 * and keeps in `sources` the pieces of their lines that their frames quote.
 * Fields are parsed from the bytes; only symbols and unusual numbers are decoded.
 */
export function readFacts(rel: Relation, src: FactsSource, opts: ReadOptions, symbols: SymbolTable, sources?: SourceMap): Diagnostic[] {
  if (opts.rfc4180) return readQuotedFacts(rel, src, opts, symbols, sources);
  const { file } = src;
  const bytes = src.bytes ?? utf8Bytes(src.text ?? "");
  const field = utf8Slicer(bytes);
  const maxField = opts.maxFieldBytes ?? DEFAULT_LIMITS.fieldBytes;
  const arity = rel.arity;
  const types = rel.types;
  // Which columns hold plain numbers, parsed from the bytes when they are in decimal (a lattice column as its cells' type).
  const io = rel.latticeIO;
  const structured = rel.structuredIO;
  const isNumber = types.map((t, c) => !structured?.[c] && (c === arity - 1 && io ? io.plain : t) === "number");
  const tmp = rel.tmp;
  const delim = new TextEncoder().encode(opts.delimiter);
  const delimByte = delim.length === 1 ? delim[0]! : -1;
  const diagnostics: Diagnostic[] = [];
  // Positions are byte offsets here; a diagnostic gives them as characters of the decoded text.
  const positions = new FactPositions(file, bytes, src.from);
  let lineEnd = 0;
  const fail = (line: number, lineStart: number, from: number, to: number, message: string) => {
    const { span, excerpt } = positions.place(line, lineStart, lineEnd, from, to);
    // A quoted field (CSV written by other tools) is read as it stands without rfc4180=true.
    const quoted = bytes.indexOf(34, lineStart) >= 0 && bytes.indexOf(34, lineStart) < lineEnd;
    diagnostics.push(error("bad-fact", message, span, quoted ? [{ message: QUOTED_HINT }] : []));
    sources?.addExcerpt(file, span.start.line, excerpt);
  };
  let pos = src.from ?? 0;
  let line = 0;
  const length = bytes.length;
  rel.reserve(countLines(bytes, pos));
  // Rows go straight into the relation's array past its end, deduplicated in
  // one pass at the end (Relation.addWritten), where the relation allows it.
  const direct = rel.takesWrittenRows();
  const data = rel.data;
  let written = 0;
  while (pos < length) {
    let end = nextLineBreak(bytes, pos);
    if (end < 0) end = length;
    line++;
    lineEnd = end;
    if (lineEnd > pos && bytes[lineEnd - 1] === 13) lineEnd--;
    const lineStart = pos;
    pos = end + 1;
    if (line === 1 && opts.headers) continue;
    if (lineEnd === lineStart && arity > 0) continue;
    let fieldStart = lineStart;
    let c = 0;
    for (; c < arity; c++) {
      // Find the end of this field: the next delimiter on this line, or the line's end.
      let fieldEnd = fieldStart;
      if (structured?.[c]) fieldEnd = structuredFieldEnd(bytes, fieldStart, lineEnd, delim);
      else if (delimByte >= 0) {
        while (fieldEnd < lineEnd && bytes[fieldEnd] !== delimByte) fieldEnd++;
      } else {
        fieldEnd = indexOfBytes(bytes, delim, fieldStart, lineEnd);
      }
      const last = c === arity - 1;
      if (last && fieldEnd < lineEnd) {
        fail(line, lineStart, fieldEnd, fieldEnd, `expected ${arity} fields for relation "${rel.name}", found more`);
        break;
      }
      if (!last && fieldEnd >= lineEnd) {
        fail(line, lineStart, lineEnd, lineEnd, `expected ${arity} fields for relation "${rel.name}", found ${c + 1}`);
        break;
      }
      let cell = isNumber[c] ? fastInt(bytes, fieldStart, fieldEnd) : undefined;
      if (cell === undefined && fieldEnd - fieldStart > maxField) {
        const size = bytesText(fieldEnd - fieldStart);
        const most = bytesText(maxField);
        fail(
          line,
          lineStart,
          fieldStart,
          fieldEnd,
          `a field of ${size} is too long (column ${c + 1} of "${rel.name}"): Cairn reads fields of at most ${most}`,
        );
        break;
      }
      if (cell === undefined) {
        const parsed = cellOf(rel, c, field(fieldStart, fieldEnd), symbols);
        if (typeof parsed === "string") {
          fail(line, lineStart, fieldStart, fieldEnd, parsed);
          break;
        }
        cell = parsed;
      }
      tmp[c] = cell;
      fieldStart = fieldEnd + delim.length;
    }
    if (c === arity && diagnostics.length === 0) {
      if (direct) {
        const base = (rel.size + written++) * arity;
        for (let k = 0; k < arity; k++) data[base + k] = tmp[k]!;
      } else rel.addBase();
    }
    if (diagnostics.length >= 20) break;
  }
  if (direct) rel.addWritten(written);
  return diagnostics;
}

/** Where `needle` first starts in bytes[from, to), or `to`. */
function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const n = needle.length;
  for (let i = from; i + n <= to; i++) {
    let k = 0;
    while (k < n && bytes[i + k] === needle[k]) k++;
    if (k === n) return i;
  }
  return to;
}

/** The number of lines of `bytes` from `from` on (a last line without a newline counts). */
function countLines(bytes: Uint8Array, from: number): number {
  let n = 0;
  for (let at = nextLineBreak(bytes, from); at >= 0; at = nextLineBreak(bytes, at + 1)) n++;
  return bytes.length > from && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}

/**
 * The facts of an rfc4180=true input: a field that starts with a double quote
 * runs to the matching quote, a doubled quote standing for one, and may hold
 * the delimiter and line breaks. Read from the decoded text, field by field.
 */
function readQuotedFacts(rel: Relation, src: FactsSource, opts: ReadOptions, symbols: SymbolTable, sources?: SourceMap): Diagnostic[] {
  const decode = src.bytes && utf8Slicer(src.bytes);
  const text = src.text ?? decode!(0, src.bytes!.length);
  const diagnostics: Diagnostic[] = [];
  const arity = rel.arity;
  const delim = opts.delimiter;
  // Reading starts after the lines an earlier run read, if any.
  let pos = decode && src.from ? decode(0, src.from).length : 0;
  let line = 1;
  for (let k = text.indexOf("\n"); k >= 0 && k < pos; k = text.indexOf("\n", k + 1)) line++;
  let lineStart = pos;
  const at = (offset: number) => ({ line, col: offset - lineStart + 1, offset });
  const report = (message: string, start: Position, end: Position) => {
    diagnostics.push(error("bad-fact", message, { file: src.file, start, end }));
    const startOfLine = start.offset - start.col + 1;
    let endOfLine = text.indexOf("\n", startOfLine);
    if (endOfLine < 0) endOfLine = text.length;
    if (endOfLine > startOfLine && text.charCodeAt(endOfLine - 1) === 13) endOfLine--;
    sources?.addExcerpt(src.file, start.line, textExcerpt(text, startOfLine, endOfLine, start.offset));
  };
  const fail = (from: number, to: number, message: string) => report(message, at(from), at(to));
  let first = true;
  while (pos < text.length && diagnostics.length < 20) {
    const fields: { value: string; from: number; to: number; line: number; col: number }[] = [];
    // One record: fields up to an unquoted line break.
    for (;;) {
      const from = pos;
      const where = { line, col: from - lineStart + 1 };
      let value: string;
      if (text[pos] === '"') {
        let out = "";
        let i = pos + 1;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            fail(from, text.length, `a quoted field of relation "${rel.name}" is not closed`);
            return diagnostics;
          }
          for (let k = text.indexOf("\n", i); k >= 0 && k < q; k = text.indexOf("\n", k + 1)) {
            line++;
            lineStart = k + 1;
          }
          out += text.slice(i, q);
          if (text[q + 1] === '"') {
            out += '"';
            i = q + 2;
            continue;
          }
          pos = q + 1;
          break;
        }
        value = out;
      } else {
        let end = pos;
        while (end < text.length && text[end] !== "\n" && !text.startsWith(delim, end)) end++;
        value = text.slice(pos, end);
        if (value.endsWith("\r") && text[end] === "\n") value = value.slice(0, -1);
        pos = end;
      }
      fields.push({ value, from, to: pos, ...where });
      if (text.startsWith(delim, pos)) {
        pos += delim.length;
        continue;
      }
      if (text[pos] === "\r" && text[pos + 1] === "\n") pos++;
      if (pos < text.length && text[pos] !== "\n") {
        fail(pos, pos + 1, `expected the delimiter or the end of the line after a quoted field of relation "${rel.name}"`);
        return diagnostics;
      }
      pos++;
      line++;
      lineStart = pos;
      break;
    }
    if (first && opts.headers) {
      first = false;
      continue;
    }
    first = false;
    if (arity > 0 && fields.length === 1 && fields[0]!.value === "" && fields[0]!.from === fields[0]!.to) continue;
    if (fields.length !== arity) {
      const f = fields[Math.min(fields.length, arity) - 1] ?? fields[0]!;
      const found = fields.length > arity ? "more" : String(fields.length);
      const p = { line: f.line, col: f.col + (f.to - f.from), offset: f.to };
      report(`expected ${arity} fields for relation "${rel.name}", found ${found}`, p, p);
      continue;
    }
    let ok = true;
    for (let c = 0; c < arity; c++) {
      const f = fields[c]!;
      const cell = cellOf(rel, c, f.value, symbols);
      if (typeof cell === "string") {
        const start = { line: f.line, col: f.col, offset: f.from };
        report(cell, start, { ...start, col: f.col + 1, offset: f.from + 1 });
        ok = false;
        break;
      }
      rel.tmp[c] = cell;
    }
    if (ok && diagnostics.length === 0) rel.addBase();
  }
  return diagnostics;
}
