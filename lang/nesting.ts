// How deeply a program may nest: terms, rule bodies, components and
// preprocessor conditions. Every stage after parsing (checks, the planner, the
// generated JavaScript and the engine that compiles it) walks terms
// recursively, so parsing refuses what they could not all handle, with a
// located error, rather than let one of them run out of stack.

import { error, type Diagnostic } from "./diagnostics.js";
import type { Span } from "./span.js";

/**
 * The most levels a term, a body or a component may nest. Each parenthesis,
 * operator, call, negation and component around a term adds a level, and an
 * aggregate two (its term and its body). The bound keeps every stage, ohm's
 * grammar included (the heaviest, for the items it parses), well inside the
 * default stack of Node's main thread.
 */
export const MAX_NESTING = 100;

/** The error for text nested more than MAX_NESTING levels, at the level past the limit. */
export function tooDeep(span: Span): Diagnostic {
  return error(
    "too-deep",
    `nested too deeply: more than ${MAX_NESTING} levels of parentheses, operators, calls, aggregates or components`,
    span,
  );
}

/** Whether `e` is V8's error for a call stack that ran out. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message.includes("call stack size");
}
