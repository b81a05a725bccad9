// Parsing with the ohm grammar and its actions: the reference parse of a whole
// text, and the parse of the rest of a text from an item on, which is where
// the fast path hands over (fact lines still take facts.ts's path).

import type * as ohm from "ohm-js";
import type { Item, Program } from "../ast.js";
import { souffleGrammar } from "./grammar.js";
import { ParseContext, withContext } from "./context.js";
import { syntaxError } from "./errors.js";
import { itemActions } from "./items.js";
import { segments } from "./segments.js";
import { termActions } from "./terms.js";
import type { ParseResult } from "./parse.js";

let semantics: ohm.Semantics | undefined;

function getSemantics(): ohm.Semantics {
  semantics ??= souffleGrammar()
    .createSemantics()
    .addOperation("ast", { ...termActions, ...itemActions });
  return semantics;
}

/** The items of a successful match of the piece of `ctx.text` that starts at `base`. */
function items(match: ohm.MatchResult, ctx: ParseContext, base: number): Item[] {
  ctx.base = base;
  return withContext(ctx, () => (getSemantics()(match)["ast"]() as Program).items as Item[]);
}

/**
 * Parses `ctx.text` from `from` (where an item starts, or 0) on, after the
 * items `before`. Fact lines take a fast path and ohm matches the text between
 * them, piece by piece (see segments.ts for why that is equivalent).
 * When a piece fails, everything before it was parsed correctly and it starts
 * an item, so the rest of the file is matched in one go for the error, which
 * is then the one a plain parse of the whole text reports.
 */
export function parseRest(ctx: ParseContext, from: number, before: Item[]): ParseResult {
  const text = ctx.text;
  const out = before;
  for (const seg of segments(text, ctx, from)) {
    if (seg.kind === "facts") {
      out.push(...seg.clauses);
      continue;
    }
    const match = souffleGrammar().match(text.slice(seg.start, seg.end));
    if (match.succeeded()) {
      out.push(...items(match, ctx, seg.start));
      continue;
    }
    const rest = souffleGrammar().match(text.slice(seg.start));
    if (rest.failed()) {
      ctx.base = seg.start;
      return { program: { items: [] }, diagnostics: [syntaxError(rest, ctx)] };
    }
    // Not expected (see above), but then the rest parses: take it.
    out.push(...items(rest, ctx, seg.start));
    break;
  }
  return { program: { items: out }, diagnostics: ctx.diagnostics };
}

/** The reference parse: the whole text in one ohm match, no fast paths (used on errors, and by tests). */
export function parseWhole(text: string, file: string): ParseResult {
  const ctx = new ParseContext(file, text);
  const match = souffleGrammar().match(text);
  if (match.failed()) return { program: { items: [] }, diagnostics: [syntaxError(match, ctx)] };
  return { program: { items: items(match, ctx, 0) }, diagnostics: ctx.diagnostics };
}
