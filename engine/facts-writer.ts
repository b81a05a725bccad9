// Formats relations the way Soufflé writes them: one tuple a line, cells
// separated by a delimiter (tab by default), floats in C++ stream form.
// Rows are encoded straight into fixed-size byte buffers, handed to a sink as
// each fills, so writing a relation never builds one big string.

import type { Relation } from "./relation.js";
import type { SymbolTable } from "./symbols.js";
import { floatOfBits, formatFloat } from "./values.js";

const CHUNK = 1 << 20;
const encoder = new TextEncoder();

/** Streams the rows of `rel` as UTF-8 bytes to `sink` (each chunk is only valid during the call). */
export function writeRows(rel: Relation, symbols: SymbolTable, sink: (bytes: Uint8Array) => void, delimiter = "\t"): void {
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
  const putInt = (v: number) => {
    // At most 11 bytes: a sign and ten digits.
    if (v === 0) {
      buf[pos++] = 48;
      return;
    }
    let n = v;
    if (n < 0) {
      buf[pos++] = 45;
      n = -n;
    }
    const start = pos;
    while (n > 0) {
      const q = Math.floor(n / 10);
      buf[pos++] = 48 + (n - q * 10);
      n = q;
    }
    for (let i = start, j = pos - 1; i < j; i++, j--) {
      const t = buf[i]!;
      buf[i] = buf[j]!;
      buf[j] = t;
    }
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
  const last = rel.latticeIO ? arity - 1 : -1;
  for (let r = 0; r < rel.size; r++) {
    if (dead && dead[r] === 1) continue;
    const b = r * arity;
    ensure(arity * (12 + delim.length) + 3);
    if (arity === 0) {
      buf[pos++] = 40; // "()"
      buf[pos++] = 41;
    }
    for (let c = 0; c < arity; c++) {
      if (c > 0) {
        buf.set(delim, pos);
        pos += delim.length;
      }
      const cell = data[b + c]!;
      if (c === last) {
        putText(rel.latticeIO!.format(cell));
        continue;
      }
      switch (types[c]) {
        case "number": putInt(cell); break;
        case "unsigned": putInt(cell >>> 0); break;
        case "float": putText(formatFloat(floatOfBits(cell))); break;
        default: putText(symbols.text(cell)); break;
      }
    }
    buf[pos++] = 10;
  }
  flush();
}

/** The relation's rows as one string (for standard output and small relations). */
export function formatRows(rel: Relation, symbols: SymbolTable, delimiter = "\t"): string {
  const decoder = new TextDecoder();
  let out = "";
  writeRows(rel, symbols, (bytes) => (out += decoder.decode(bytes, { stream: true })), delimiter);
  return out + decoder.decode();
}

/** Soufflé's framing of a relation printed to standard output. */
export function stdoutBlock(name: string, body: string): string {
  return `---------------\n${name}\n===============\n${body}===============\n`;
}
