// Formats relations the way Soufflé writes them: one tuple a line, cells
// separated by a delimiter (tab by default), floats in C++ stream form.

import type { Relation } from "./relation.js";
import type { SymbolTable } from "./symbols.js";
import { floatOfBits, formatFloat } from "./values.js";

/** The relation's rows as text chunks (each ends with a newline). */
export function formatRows(rel: Relation, symbols: SymbolTable, delimiter = "\t"): string[] {
  const chunks: string[] = [];
  const { arity, types, data } = rel;
  const fmt = types.map((t) => {
    switch (t) {
      case "symbol": return (c: number) => symbols.text(c);
      case "float": return (c: number) => formatFloat(floatOfBits(c));
      case "unsigned": return (c: number) => String(c >>> 0);
      case "number": return (c: number) => String(c);
    }
  });
  const allNumbers = types.every((t) => t === "number");
  let buf = "";
  const dead = rel.lattice ? rel.dead : undefined;
  for (let r = 0; r < rel.size; r++) {
    if (dead && dead[r] === 1) continue;
    const b = r * arity;
    if (arity === 0) {
      buf += "()\n";
    } else if (allNumbers) {
      let line = String(data[b]!);
      for (let c = 1; c < arity; c++) line += delimiter + data[b + c]!;
      buf += line + "\n";
    } else {
      let line = fmt[0]!(data[b]!);
      for (let c = 1; c < arity; c++) line += delimiter + fmt[c]!(data[b + c]!);
      buf += line + "\n";
    }
    if (buf.length > 1 << 16) {
      chunks.push(buf);
      buf = "";
    }
  }
  if (buf.length > 0) chunks.push(buf);
  return chunks;
}

/** Soufflé's framing of a relation printed to standard output. */
export function stdoutBlock(name: string, rows: readonly string[]): string {
  return `---------------\n${name}\n===============\n${rows.join("")}===============\n`;
}
