// What parsing one file gives (its items and diagnostics), and the hook that
// shows where the grammar, rather than the fast path, read the text.

import type { Program } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

/**
 * A piece of text that ohm parsed: the text of one item the fast path left to
 * the grammar ("item"), or the text from an item to the end of the file,
 * matched once for the message of a syntax error ("rest").
 */
export interface GrammarUse {
  readonly kind: "item" | "rest";
  readonly start: number;
  readonly end: number;
}

export interface ParseOptions {
  /** Called for each piece of text handed to ohm (tests check that only the items that need it are). */
  readonly onGrammar?: (use: GrammarUse) => void;
}
