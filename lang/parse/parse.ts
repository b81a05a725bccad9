// parse(): one file's text to its AST, with syntax errors and uses of
// unsupported features reported as located diagnostics, never thrown.

import type { Item, Program } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { ParseContext } from "./context.js";
import { fastItem } from "./fast-items.js";
import { parseRest, parseWhole } from "./ohm.js";
import { skipSpace } from "./scan.js";

export { parseWhole };

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses the text of one file (already preprocessed: no `#` directives, no
 * `.include`). Items are read by a hand-written fast path that reads exactly
 * what the grammar's Item reads, starting where the previous item ended, so
 * the items it returns are the grammar's. At the first item it does not take
 * (an unsupported feature, a diagnostic, a syntax error), ohm parses the rest,
 * from the item before it on: that one may have looked ahead into the failing
 * item, and a syntax error is then reported as a plain parse of the file would.
 */
export function parse(text: string, file: string): ParseResult {
  const ctx = new ParseContext(file, text);
  const out: Item[] = [];
  let previousStart = 0;
  let previousCount = 0;
  let pos = 0;
  for (;;) {
    const start = skipSpace(text, pos);
    if (start >= text.length) return { program: { items: out }, diagnostics: ctx.diagnostics };
    const item = fastItem(text, start, ctx);
    if (!item) break;
    out.push(...item.items);
    previousStart = start;
    previousCount = item.items.length;
    pos = item.end;
  }
  out.length -= previousCount;
  return parseRest(ctx, previousStart, out);
}
