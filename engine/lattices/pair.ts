// pair<A, B>: the product of two lattices, ordered and joined component-wise.
// A value is the id of its two component cells in a ValueTable; printed (a, b).

import type { Lattice } from "./lattice.js";
import type { ValueTable } from "./value-table.js";

/** Splits "x, y" at top-level commas (outside quotes, braces and parentheses). */
export function splitTopLevel(text: string): string[] {
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

/** How the components of a pair are written, read and shown through the API. */
export interface Component {
  readonly lattice: Lattice;
  format(c: number): string;
  parse(t: string): number | undefined;
  toValue(c: number): unknown;
  fromValue(v: unknown): number | undefined;
}

export function pairLattice(ca: Component, cb: Component, table: ValueTable): Lattice {
  const a = ca.lattice;
  const b = cb.lattice;
  const pair = (x: number, y: number) => table.intern(Int32Array.of(x, y));
  return {
    name: `pair<${a.name}, ${b.name}>`,
    elem: "number",
    bottom: pair(a.bottom, b.bottom),
    scalar: false,
    join(p, q) {
      if (p === q) return p;
      const [x1, y1] = table.get(p);
      const [x2, y2] = table.get(q);
      return pair(a.join(x1!, x2!), b.join(y1!, y2!));
    },
    leq(p, q) {
      const [x1, y1] = table.get(p);
      const [x2, y2] = table.get(q);
      return a.leq(x1!, x2!) && b.leq(y1!, y2!);
    },
    format(p) {
      const [x, y] = table.get(p);
      return `(${ca.format(x!)}, ${cb.format(y!)})`;
    },
    toValue(p) {
      const [x, y] = table.get(p);
      return [ca.toValue(x!), cb.toValue(y!)];
    },
    fromValue(v) {
      if (!Array.isArray(v) || v.length !== 2) return undefined;
      const x = ca.fromValue(v[0]);
      const y = cb.fromValue(v[1]);
      return x === undefined || y === undefined ? undefined : pair(x, y);
    },
    parse(text) {
      const t = text.trim();
      if (!t.startsWith("(") || !t.endsWith(")")) return undefined;
      const parts = splitTopLevel(t.slice(1, -1));
      if (parts.length !== 2) return undefined;
      const x = ca.parse(parts[0]!);
      const y = cb.parse(parts[1]!);
      return x === undefined || y === undefined ? undefined : pair(x, y);
    },
  };
}
