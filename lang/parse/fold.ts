// Long string literals, comments and annotations shortened in the text ohm matches for the
// message of a syntax error. Ohm spends far more time and memory on each
// character than the fast path, and what a complete literal or comment holds
// does not change where the match fails, so a huge one costs nothing there;
// the failure's offset is mapped back to the text as written.

import { Ch } from "./chars.js";
import { annotationEnd, stringEnd } from "./scan.js";

const AT = 64;
const BANG = 33;
const OPEN_BRACKET = 91;

/** Literals and comments up to this long are left as they are. */
const LONGEST = 64;

export interface Folded {
  readonly text: string;
  /** Whether anything was shortened. */
  readonly changed: boolean;
  /** The offset in the text as written of an offset in `text`. */
  toOriginal(offset: number): number;
}

interface Fold {
  /** Where the shortened token is in the folded text, and where it was. */
  readonly at: number;
  readonly length: number;
  readonly originalAt: number;
  readonly originalLength: number;
}

/** `text` with each complete string literal and comment longer than LONGEST replaced by a short one. */
export function foldLongTokens(text: string): Folded {
  const folds: Fold[] = [];
  let out = "";
  let copied = 0;
  const fold = (start: number, end: number, short: string) => {
    if (end - start <= LONGEST) return;
    out += text.slice(copied, start);
    folds.push({ at: out.length, length: short.length, originalAt: start, originalLength: end - start });
    out += short;
    copied = end;
  };
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    let end = i + 1;
    if (c === Ch.Quote) {
      end = stringEnd(text, i);
      if (end < 0) break;
      fold(i, end, '""');
    } else if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) {
      const nl = text.indexOf("\n", i);
      end = nl < 0 ? text.length : nl;
      fold(i, end, "//");
    } else if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) break;
      end = close + 2;
      fold(i, end, "/**/");
    } else if (c === AT && (text.charCodeAt(i + 1) === OPEN_BRACKET || text.charCodeAt(i + 1) === BANG)) {
      // An annotation is read whole (a quote or `/*` inside it starts nothing); one that does not close stops folding.
      end = annotationEnd(text, i);
      if (end < 0) {
        if (text.charCodeAt(i + 1) === OPEN_BRACKET || text.charCodeAt(i + 2) === OPEN_BRACKET) break;
        end = i + 1;
      } else fold(i, end, "@[]");
    }
    i = end;
  }
  if (folds.length === 0) return { text, changed: false, toOriginal: (offset) => offset };
  out += text.slice(copied);
  const toOriginal = (offset: number): number => {
    let shift = 0;
    for (const f of folds) {
      if (offset < f.at) break;
      // Inside a shortened token: its start (the match reads it whole, so only its start can fail).
      if (offset < f.at + f.length) return f.originalAt;
      shift = f.originalAt + f.originalLength - (f.at + f.length);
    }
    return offset + shift;
  };
  return { text: out, changed: true, toOriginal };
}
