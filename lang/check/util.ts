// Small helpers shared by the checks: "did you mean" suggestions, ordering
// diagnostics, lists in messages.

import { error, type Diagnostic, type Note } from "../diagnostics.js";
import type { Span } from "../span.js";

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap of
 * two adjacent characters as one edit (optimal string alignment: `egde` is one
 * edit from `edge`), capped: returns `cap + 1` as soon as it is exceeded.
 */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        v = Math.min(v, before[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) return cap + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate closest to `name`, if it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const cap = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDist = cap + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase(), cap);
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** `KIND "NAME" is declared twice`, located at the second declaration, with a note at the first. */
export function declaredTwice(code: string, kind: string, name: string, span: Span, first: Span): Diagnostic {
  return error(code, `${kind} "${name}" is declared twice`, span, [{ message: `"${name}" is first declared here`, span: first }]);
}

/** A "did you mean X?" note (pointing at X's declaration when known), or none. */
export function didYouMean(name: string, candidates: ReadonlyMap<string, Span | undefined>): Note[] {
  const best = closest(name, candidates.keys());
  return best === undefined ? [] : [{ message: `did you mean "${best}"?`, span: candidates.get(best) }];
}

/** Other dialects' names for the predefined types (C, SQL, TypeScript, Python), and Cairn's own. */
const FOREIGN_TYPES: Readonly<Record<string, string>> = {
  int: "number",
  integer: "number",
  int32: "number",
  long: "number",
  i32: "number",
  uint: "unsigned",
  uint32: "unsigned",
  u32: "unsigned",
  nat: "unsigned",
  double: "float",
  real: "float",
  f32: "float",
  string: "symbol",
  str: "symbol",
  text: "symbol",
  varchar: "symbol",
};

/** As didYouMean, for a type name: another dialect's name for a predefined type (`int`, `string`) suggests Cairn's. */
export function didYouMeanType(name: string, candidates: ReadonlyMap<string, Span | undefined>): Note[] {
  const own = FOREIGN_TYPES[name.toLowerCase()];
  if (own !== undefined && !candidates.has(name))
    return [{ message: `did you mean "${own}"? (the predefined types are number, unsigned, float and symbol)` }];
  return didYouMean(name, candidates);
}

export function before(a: Span, b: Span): boolean {
  return a.file === b.file ? a.start.offset < b.start.offset : a.file < b.file;
}

function diagnosticKey(d: Diagnostic): string {
  const s = d.span;
  return `${d.code}|${d.message}|${s ? `${s.file}:${s.start.offset}:${s.end.offset}` : ""}`;
}

/**
 * Drops exact duplicates (a body shared by several heads is checked once per head) and sorts by position:
 * files in `fileOrder` (the order the program's items come from them), then offset.
 */
export function tidy(ds: readonly Diagnostic[], fileOrder: ReadonlyMap<string, number> = new Map()): Diagnostic[] {
  const seen = new Set<string>();
  const unique = ds.filter((d) => {
    const k = diagnosticKey(d);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const indexed = unique.map((d, i) => ({ d, i }));
  indexed.sort((x, y) => {
    const a = x.d.span;
    const b = y.d.span;
    if (a && b) {
      if (a.file !== b.file) {
        const fa = fileOrder.get(a.file) ?? Infinity;
        const fb = fileOrder.get(b.file) ?? Infinity;
        if (fa !== fb) return fa < fb ? -1 : 1;
        return a.file < b.file ? -1 : 1;
      }
      if (a.start.offset !== b.start.offset) return a.start.offset - b.start.offset;
      return x.i - y.i;
    }
    if (a) return -1;
    if (b) return 1;
    return x.i - y.i;
  });
  return indexed.map((x) => x.d);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "a", "a and b", "a, b and c". */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
