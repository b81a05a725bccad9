// Parsing with the ohm grammar and its actions: the reference parse of a whole
// text; the parse of one item's text, for the items the fast path leaves to the
// grammar; and the parse of the text from an item on, for a syntax error.

import type * as ohm from "ohm-js";
import type { Item, Program } from "../ast.js";
import { souffleGrammar } from "./grammar.js";
import { ParseContext, withContext } from "./context.js";
import { syntaxError } from "./errors.js";
import { foldLongTokens } from "./fold.js";
import { itemActions, supportedItems } from "./items.js";
import type { ParseResult } from "./result.js";
import { termActions } from "./terms.js";

let semantics: ohm.Semantics | undefined;

function getSemantics(): ohm.Semantics {
  semantics ??= souffleGrammar()
    .createSemantics()
    .addOperation("ast", { ...termActions, ...itemActions });
  return semantics;
}

/** The items of a successful match of Program on the piece of `ctx.text` that starts at `base`. */
function programItems(match: ohm.MatchResult, ctx: ParseContext, base: number): Item[] {
  ctx.base = base;
  return withContext(ctx, () => (getSemantics()(match)["ast"]() as Program).items as Item[]);
}

/**
 * The items of the one Item that `ctx.text` holds from `start` to `end`, with
 * their diagnostics added to `ctx` (none when the item used an unsupported
 * feature), or undefined when that text is not exactly one Item.
 * Why this is the item a parse of the whole text gives: the fast path read
 * the same extent as the grammar, and whatever the grammar tried past `end`
 * failed there; in the piece, the end of the input is there, and fails too.
 */
export function grammarItem(ctx: ParseContext, start: number, end: number): Item[] | undefined {
  const match = souffleGrammar().match(ctx.text.slice(start, end), "Item");
  if (match.failed()) return undefined;
  ctx.base = start;
  return withContext(ctx, () => supportedItems(getSemantics()(match) as unknown as ohm.Node));
}

/**
 * Parses `ctx.text` from `from` (0, or where an item starts) to its end in one
 * match, after the items `before`. parse() calls it where the fast path finds
 * no item: the match then fails at that item (ohm reads little past it) with
 * the syntax error a parse of the whole text reports, provided `from` is the
 * start of the item before, which may have looked ahead into the failing one.
 */
export function grammarRest(ctx: ParseContext, from: number, before: Item[]): ParseResult {
  const rest = ctx.text.slice(from);
  // Huge literals and comments shortened, so the match fails fast (lang/parse/fold.ts).
  const folded = foldLongTokens(rest);
  let match = souffleGrammar().match(folded.text);
  if (match.failed()) {
    ctx.base = from;
    return { program: { items: [] }, diagnostics: [syntaxError(match, ctx, folded.toOriginal)] };
  }
  if (folded.changed) match = souffleGrammar().match(rest);
  if (match.failed()) {
    ctx.base = from;
    return { program: { items: [] }, diagnostics: [syntaxError(match, ctx)] };
  }
  // Not expected (the fast path reads every Item the grammar reads), but then the rest parses: take it.
  return { program: { items: [...before, ...programItems(match, ctx, from)] }, diagnostics: ctx.diagnostics };
}

/** The reference parse: the whole text in one ohm match, no fast paths (tests compare parse() with it). */
export function parseWhole(text: string, file: string): ParseResult {
  const ctx = new ParseContext(file, text);
  const match = souffleGrammar().match(text);
  if (match.failed()) return { program: { items: [] }, diagnostics: [syntaxError(match, ctx)] };
  return { program: { items: programItems(match, ctx, 0) }, diagnostics: ctx.diagnostics };
}
