// The text and API forms of pair<A, B>: written (a, b) with each component in
// its own lattice's form, read back the same way; through the API, [a, b].

import type { LatticeIO } from "./lattice-io.js";
import { type PairLattice, pairOf } from "./pair.js";
import type { ValueTable } from "./value-table.js";

/** Splits "x, y" at top-level commas (outside quotes, braces and parentheses), so components may be sets or pairs. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === "{" || ch === "(") depth++;
    else if (ch === "}" || ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

export function pairIO(lattice: PairLattice, first: LatticeIO, second: LatticeIO, table: ValueTable): LatticeIO {
  return {
    lattice,
    plain: undefined,
    format(p) {
      const [x, y] = table.get(p);
      return `(${first.format(x!)}, ${second.format(y!)})`;
    },
    parse(text) {
      const t = text.trim();
      if (!t.startsWith("(") || !t.endsWith(")")) return undefined;
      const parts = splitTopLevel(t.slice(1, -1));
      if (parts.length !== 2) return undefined;
      const x = first.parse(parts[0]!);
      const y = second.parse(parts[1]!);
      return x === undefined || y === undefined ? undefined : pairOf(table, x, y);
    },
    toValue(p) {
      const [x, y] = table.get(p);
      return [first.toValue(x!), second.toValue(y!)];
    },
    fromValue(v) {
      if (!Array.isArray(v) || v.length !== 2) return undefined;
      const x = first.fromValue(v[0]);
      const y = second.fromValue(v[1]);
      return x === undefined || y === undefined ? undefined : pairOf(table, x, y);
    },
  };
}
