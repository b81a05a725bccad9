// Maps spans in preprocessed text back to the original file: exact outside
// macro expansions, and the whole invocation for text a macro produced.

import { LineIndex } from "../line-index.js";
import type { ExpansionSite } from "./preprocess.js";
import type { Span } from "../span.js";

function isSpan(v: unknown): v is Span {
  return typeof v === "object" && v !== null && "file" in v && "start" in v && "end" in v;
}

/** A copy of `node` with every span mapped by `f`. */
export function mapSpans<T>(node: T, f: (s: Span) => Span): T {
  if (Array.isArray(node)) return node.map((x) => mapSpans(x, f)) as T;
  if (typeof node !== "object" || node === null) return node;
  if (isSpan(node)) return f(node) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = mapSpans(v, f);
  return out as T;
}

/** The function that maps a span of the preprocessed text of `file` to the original `text`. */
export function spanMapper(file: string, text: string, sites: readonly ExpansionSite[]): (s: Span) => Span {
  const lines = new LineIndex(file, text);
  // The last site that starts at or before `o` in the output.
  const siteBefore = (o: number): ExpansionSite | undefined => {
    let lo = 0;
    let hi = sites.length - 1;
    let found: ExpansionSite | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sites[mid]!.outStart <= o) {
        found = sites[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const map = (o: number, isEnd: boolean): number => {
    const site = siteBefore(isEnd ? o - 1 : o);
    if (!site) return o;
    if (o < site.outEnd || (isEnd && o === site.outEnd && o > site.outStart)) return isEnd ? site.srcEnd : site.srcStart;
    return o - site.outEnd + site.srcEnd;
  };
  return (s) => (s.file === file ? lines.spanAt(map(s.start.offset, false), map(s.end.offset, true)) : s);
}
