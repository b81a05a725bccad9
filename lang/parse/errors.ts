// Turns a failed ohm match into one located `syntax` diagnostic with a short
// message such as `expected ")" or ","`, built from ohm's rightmost failures.

import type { MatchResult } from "ohm-js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { ParseContext } from "./context.js";
import { RESERVED_WORDS } from "./literals.js";

/** What ohm reports for one expression that did not match (not in ohm's .d.ts). */
interface OhmFailure {
  getText(): string;
  getType(): "description" | "string" | "code";
  isFluffy(): boolean;
}

const ARITHMETIC = new Set(["+", "-", "*", "/", "%", "^", "band", "bor", "bxor", "bshl", "bshr", "bshru", "land", "lor", "lxor"]);
const COMPARISON = new Set(["=", "!=", "<", "<=", ">", ">="]);
/** Tokens that can start a term; many of them at once read better as "a term". */
const TERM_START = new Set([
  "an identifier",
  "a number",
  "a string",
  "_",
  "(",
  "-",
  "[",
  "$",
  "@",
  "as",
  "nil",
  "autoinc",
  "range",
  "recursive_iteration_cnt",
  "count",
  "sum",
  "min",
  "max",
  "mean",
  "cat",
  "ord",
  "strlen",
  "substr",
  "to_float",
  "to_number",
  "to_string",
  "to_unsigned",
  "bnot",
  "lnot",
]);
const LITERAL_START = new Set(["!", "true", "false", "match", "contains", "a relation or type name"]);
/** Separators and closers worth naming even where ohm marks them optional ("fluffy"). */
const PUNCTUATION = new Set([")", ",", ".", ";", "}", "]", ":-", ":"]);
const ORDER = [")", ",", ".", ":-", ";", "}", "]", ":", "(", "="];

function quote(item: string, type: string): string {
  return type === "string" ? JSON.stringify(item) : item;
}

/** The expected things at the failure, grouped into phrases and ordered. */
function expectedPhrases(failures: readonly OhmFailure[]): string[] {
  const items = new Map<string, string>(); // text -> type
  for (const f of failures) {
    const text = f.getText();
    if (f.getType() === "code") {
      items.set("an identifier", "description"); // character ranges only come from identifier rules
      continue;
    }
    if (!f.isFluffy() || (f.getType() === "string" && PUNCTUATION.has(text))) items.set(text, f.getType());
  }
  if (items.has("end of input")) {
    // Nothing at this point starts an item.
    return ["a declaration, a directive, or a clause"];
  }
  if (items.has("an identifier")) for (const k of ["?", "_"]) items.delete(k);
  if (items.has("an identifier") && items.has("a relation or type name")) items.delete("an identifier");
  const keys = [...items.keys()];
  const phrases: string[] = [];
  const termStarts = keys.filter((k) => TERM_START.has(k));
  if (termStarts.length >= 6) {
    const literalStarts = keys.filter((k) => LITERAL_START.has(k));
    for (const k of [...termStarts, ...literalStarts]) items.delete(k);
    phrases.push(literalStarts.length >= 2 ? "an atom, a negation or a constraint" : "a term");
  }
  const comparisons = keys.filter((k) => COMPARISON.has(k));
  if (comparisons.length >= 3) phrases.push("a comparison operator");
  // A lone ">" closes a type's arguments (min<number>) rather than starting a comparison.
  const ops = keys.filter((k) => ARITHMETIC.has(k) || (COMPARISON.has(k) && !(k === ">" && comparisons.length === 1)));
  if (comparisons.length >= 3 || items.size > ops.length) for (const k of ops) items.delete(k);
  const rank = (k: string) => {
    const i = ORDER.indexOf(k);
    return i < 0 ? ORDER.length : i;
  };
  const rest = [...items.entries()].sort((a, b) => rank(a[0]) - rank(b[0]));
  return [...rest.map(([text, type]) => quote(text, type)), ...phrases];
}

function joinOr(phrases: readonly string[]): string {
  if (phrases.length <= 1) return phrases[0] ?? "something else";
  if (phrases.length === 2) return `${phrases[0]} or ${phrases[1]}`;
  return `${phrases.slice(0, -1).join(", ")}, or ${phrases[phrases.length - 1]}`;
}

/** The end of the token that starts at `pos`, for the width of the caret. */
function tokenEnd(text: string, pos: number): number {
  const m = /^(?:[A-Za-z0-9_?]+|\S)/.exec(text.slice(pos, pos + 200));
  return pos + (m ? m[0].length : 0);
}

/** An unterminated block comment or string: the likeliest cause of a failure, so named first. */
function findUnterminated(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) return { offset: i, message: "unterminated comment: missing `*/`" };
      i = close + 2;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) return { offset: i, message: 'unterminated string: missing closing `"`' };
      i = j + 1;
    } else {
      i++;
    }
  }
  return undefined;
}

/**
 * The diagnostic for a failed match of the text of `ctx` from `ctx.base` on
 * (or of that text with long tokens shortened: `toOriginal` maps its offsets back).
 */
export function syntaxError(match: MatchResult, ctx: ParseContext, toOriginal = (offset: number) => offset): Diagnostic {
  const text = ctx.text;
  const failed = match as MatchResult & {
    getRightmostFailurePosition(): number;
    getRightmostFailures(): OhmFailure[];
  };
  let pos = ctx.base + toOriginal(failed.getRightmostFailurePosition());
  const unterminated = findUnterminated(text);
  if (unterminated && unterminated.offset <= pos) {
    const { offset, message } = unterminated;
    return error("syntax", message, ctx.spanAt(offset, offset + (message.includes("comment") ? 2 : 1)));
  }
  // At the end of the input, point just after the last thing written, as Soufflé does.
  if (pos >= text.length) pos = text.trimEnd().length;
  const expected = joinOr(expectedPhrases(failed.getRightmostFailures()));
  const end = tokenEnd(text, pos);
  const word = text.slice(pos, end);
  const directive = /^\.[A-Za-z_]\w*/.exec(text.slice(pos, pos + 100));
  if (directive && expected.startsWith("a declaration")) {
    return error("syntax", `unknown directive \`${directive[0]}\``, ctx.spanAt(pos, pos + directive[0].length));
  }
  let message = `expected ${expected}`;
  if (text.slice(pos).trim() === "") message += " at end of input";
  else if (RESERVED_WORDS.has(word) && /identifier|name/.test(expected)) message = `\`${word}\` is a reserved word; ${message}`;
  return error("syntax", message, ctx.spanAt(pos, end));
}
