// Splits a file into the lines of simple facts, which the fast path reads, and
// the text between them, which ohm parses piece by piece.

import type { Clause } from "../ast.js";
import type { ParseContext } from "./context.js";
import { factLine } from "./facts.js";

export type Segment =
  | { readonly kind: "text"; readonly start: number; readonly end: number }
  | { readonly kind: "facts"; readonly clauses: readonly Clause[] };

/** Characters after which a line continues the item before it. */
const CONTINUES = new Set([...("," + ";(=|!<>:{[+-*/%^&@$")]);

/**
 * The pieces of `text` from `from` (0, or where an item starts), in order.
 * Why parsing them one by one cannot change the result: a fact line is only
 * taken where the previous line does not visibly continue (it does not end
 * in `,` `:-` `(` …), and every way an item
 * can go on (qualifiers, `(params)`, `,`, `|`, `=`, `<:`, a second string,
 * `stateful`, `.plan`, …) starts with something no fact starts with. So if
 * each piece parses as whole items, the file parses as the same items; and a
 * failing piece starts an item (ohm.ts relies on that for its errors).
 */
export function segments(text: string, ctx: ParseContext, from = 0): Segment[] {
  const out: Segment[] = [];
  let chunkStart = from;
  const flush = (end: number) => {
    if (end > chunkStart && /\S/.test(text.slice(chunkStart, end))) out.push({ kind: "text", start: chunkStart, end });
  };
  let inComment = false;
  let inString = false;
  let last = "";
  let pos = from;
  while (pos <= text.length) {
    let lineEnd = text.indexOf("\n", pos);
    if (lineEnd < 0) lineEnd = text.length;
    if (!inComment && !inString && !CONTINUES.has(last)) {
      const facts = factLine(text, pos, lineEnd, ctx);
      if (facts) {
        flush(pos);
        out.push({ kind: "facts", clauses: facts.clauses });
        chunkStart = facts.rest;
        last = ".";
        pos = lineEnd + 1;
        continue;
      }
    }
    // Follow comments and strings through the line (strings may span lines).
    let i = pos;
    while (i < lineEnd) {
      if (inComment) {
        const close = text.indexOf("*/", i);
        if (close < 0 || close >= lineEnd) i = lineEnd;
        else {
          inComment = false;
          i = close + 2;
        }
      } else if (inString) {
        const c = text[i];
        if (c === "\\") i += 2;
        else {
          if (c === '"') {
            inString = false;
            last = '"';
          }
          i++;
        }
      } else {
        const c = text[i]!;
        if (c === "/" && text[i + 1] === "/") break;
        if (c === "/" && text[i + 1] === "*") {
          inComment = true;
          i += 2;
        } else {
          if (c === '"') inString = true;
          else if (c !== " " && c !== "\t" && c !== "\r") last = c;
          i++;
        }
      }
    }
    pos = lineEnd + 1;
  }
  flush(text.length);
  return out;
}
