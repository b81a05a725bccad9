// Formats relations the way Soufflé writes them: one tuple a line, cells
// separated by a delimiter (tab by default, comma with rfc4180=true, which
// also quotes symbols), floats in C++ stream form.
// Rows are encoded straight into fixed-size byte buffers, handed to a sink as
// each fills, so writing a relation never builds one big string.

import type { Relation } from "../storage/relation.js";
import type { SymbolTable } from "../storage/symbols.js";
import { floatOfBits, formatFloat } from "../storage/values.js";

const CHUNK = 1 << 20;
const NUMBER = 0;
const UNSIGNED = 1;
const FLOAT = 2;
const SYMBOL = 3;
const LATTICE = 4;
const STRUCTURED = 5;
const encoder = new TextEncoder();

/** A symbol as an RFC 4180 field: in double quotes, each quote doubled. */
function quoted(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * Streams the rows of `rel` as UTF-8 bytes to `sink` (each chunk is only valid
 * during the call). With `rfc4180`, symbols are written quoted (RFC 4180), so
 * that delimiters, quotes and line breaks inside them read back.
 */
/** Writes the relation's live rows to `sink`, in derivation order or, given `order`, in that order of rows. */
export function writeRows(
  rel: Relation,
  symbols: SymbolTable,
  sink: (bytes: Uint8Array) => void,
  delimiter = "\t",
  rfc4180 = false,
  order?: Int32Array,
): void {
  const { arity, types, data } = rel;
  const delim = encoder.encode(delimiter);
  const buf = new Uint8Array(CHUNK);
  let pos = 0;
  const flush = () => {
    if (pos > 0) sink(buf.subarray(0, pos));
    pos = 0;
  };
  const ensure = (n: number) => {
    if (pos + n > CHUNK) flush();
  };
  // A number's digits, written back to front into the room its length needs (at most 10 bytes).
  const putUnsigned = (v: number) => {
    let n = v;
    let len = 1;
    for (let p = 10; len < 10 && n >= p; p *= 10) len++;
    let at = pos + len;
    pos = at;
    do {
      const q = Math.floor(n / 10);
      buf[--at] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  };
  const putInt = (v: number) => {
    if (v < 0) {
      buf[pos++] = 45;
      putUnsigned(-v);
    } else putUnsigned(v);
  };
  const putText = (s: string) => {
    const bytes = s.length * 3;
    if (bytes > CHUNK) {
      flush();
      sink(encoder.encode(s));
      return;
    }
    ensure(bytes);
    pos += encoder.encodeInto(s, buf.subarray(pos)).written;
  };
  const dead = rel.lattice ? rel.dead : undefined;
  // How each column is written; a lattice whose cells are plain values of a type is written as that type.
  const io = rel.latticeIO;
  const structured = rel.structuredIO;
  const kinds = types.map((t, c) => {
    if (structured?.[c]) return STRUCTURED;
    if (c === arity - 1 && io) {
      if (io.plain === undefined) return LATTICE;
      t = io.plain;
    }
    return t === "number" ? NUMBER : t === "unsigned" ? UNSIGNED : t === "float" ? FLOAT : SYMBOL;
  });
  const oneByte = delim.length === 1 ? delim[0]! : -1;
  const count = order ? order.length : rel.size;
  for (let k = 0; k < count; k++) {
    const r = order ? order[k]! : k;
    if (dead && dead[r] === 1) continue;
    const b = r * arity;
    ensure(arity * (12 + delim.length) + 3);
    if (arity === 0) {
      buf[pos++] = 40; // "()"
      buf[pos++] = 41;
    }
    for (let c = 0; c < arity; c++) {
      if (c > 0) {
        if (oneByte >= 0) buf[pos++] = oneByte;
        else {
          buf.set(delim, pos);
          pos += delim.length;
        }
      }
      const cell = data[b + c]!;
      switch (kinds[c]) {
        case NUMBER:
          putInt(cell);
          break;
        case UNSIGNED:
          putUnsigned(cell >>> 0);
          break;
        case FLOAT:
          putText(formatFloat(floatOfBits(cell)));
          break;
        case SYMBOL:
          putText(rfc4180 ? quoted(symbols.text(cell)) : symbols.text(cell));
          break;
        case STRUCTURED:
          putText(rfc4180 ? quoted(structured![c]!.format(cell, true)) : structured![c]!.format(cell));
          break;
        default:
          putText(io!.format(cell));
          break;
      }
    }
    buf[pos++] = 10;
  }
  flush();
}

/** The relation's rows as one string (for standard output and small relations). */
export function formatRows(rel: Relation, symbols: SymbolTable, delimiter = "\t", rfc4180 = false, order?: Int32Array): string {
  const decoder = new TextDecoder();
  let out = "";
  writeRows(rel, symbols, (bytes) => (out += decoder.decode(bytes, { stream: true })), delimiter, rfc4180, order);
  return out + decoder.decode();
}

/** Soufflé's framing of a relation printed to standard output; `header` (the column names, if shown) ends with a newline. */
export function stdoutBlock(name: string, header: string, body: string): string {
  return `---------------\n${name}\n${header}===============\n${body}===============\n`;
}
