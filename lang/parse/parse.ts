// parse(): one file's text to its AST, with syntax errors and uses of
// unsupported features reported as located diagnostics, never thrown.

import type { Item } from "../ast.js";
import { ParseContext } from "./context.js";
import { readItem } from "./fast-items.js";
import { grammarItem, grammarRest, parseWhole } from "./ohm.js";
import type { ParseOptions, ParseResult } from "./result.js";
import { skipSpace } from "./scan.js";
import { isStackOverflow, tooDeep } from "../nesting.js";

export { parseWhole };
export type { GrammarUse, ParseOptions, ParseResult } from "./result.js";

/**
 * Parses the text of one file (already preprocessed: no `#` directives, no
 * `.include`), item after item, as grammar.ohm's `Program = Item* end` does.
 * The hand-written fast path reads each item exactly as the grammar's Item
 * would, from where the previous one ended. An item whose AST or diagnostics
 * only the grammar's actions give (an unsupported feature, a literal with a
 * diagnostic) is read to its end all the same, and ohm parses that item's
 * text alone; the fast path goes on after it. Where no item starts, ohm
 * matches the text from the item before on, which fails there with the
 * syntax error a parse of the whole text reports. So ohm never reads more
 * than one item, and the failing one, and parsing stays linear in the text.
 */
export function parse(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const ctx = new ParseContext(file, text);
  const out: Item[] = [];
  let previous = { start: 0, items: 0, diagnostics: 0 };
  let pos = 0;
  for (;;) {
    const start = skipSpace(text, pos);
    if (start >= text.length) return { program: { items: out }, diagnostics: ctx.diagnostics };
    const diagnostics = ctx.diagnostics.length;
    const read = readItem(text, start, ctx);
    // An item nested too deeply for the stages after parsing is where reading stops.
    if (read?.kind === "too-deep") return stopAt(ctx, out, read.at);
    let items: Item[] | undefined;
    if (read?.kind === "fast") items = read.items;
    else if (read) {
      options.onGrammar?.({ kind: "item", start, end: read.end });
      const grammar = withStack(() => grammarItem(ctx, start, read.end));
      if (grammar === "overflow") return stopAt(ctx, out, start);
      items = grammar;
    }
    if (!read || !items) {
      // The item before is read again with the rest, since it may have looked ahead into this one.
      out.length -= previous.items;
      ctx.diagnostics.length = previous.diagnostics;
      options.onGrammar?.({ kind: "rest", start: previous.start, end: text.length });
      const rest = withStack(() => grammarRest(ctx, previous.start, out));
      return rest === "overflow" ? stopAt(ctx, out, start) : rest;
    }
    out.push(...items);
    previous = { start, items: items.length, diagnostics };
    pos = read.end;
  }
}

/** The items read before an item nested too deeply (at `at`), and the error there. */
function stopAt(ctx: ParseContext, items: Item[], at: number): ParseResult {
  return { program: { items }, diagnostics: [...ctx.diagnostics, tooDeep(ctx.spanAt(at, at + 1))] };
}

/**
 * `parse` (ohm's, which takes far more stack for each level of nesting than
 * the fast path), or "overflow" where the stack ran out all the same.
 */
function withStack<T>(parse: () => T): T | "overflow" {
  try {
    return parse();
  } catch (e) {
    if (isStackOverflow(e)) return "overflow";
    throw e;
  }
}
