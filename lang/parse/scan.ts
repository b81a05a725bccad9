// The grammar's lexical rules (spaces and comments, identifiers, qualified
// names, numbers, strings, keywords) as plain functions over character codes,
// for the hand-written fast path. Each returns the end of its match or -1.

import { RESERVED_WORDS } from "./literals.js";
import { Ch } from "./chars.js";

const BOM = 0xfeff;

/** identStart: a-z A-Z _ ? */
export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 63;
}

/** identPart: a-z A-Z 0-9 _ ? */
export function isIdentPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 63;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Where ohm's implicit space skipping stops: `space` is "\x00".." ", a
 * byte-order mark, or a comment; an unterminated block comment is not space.
 */
export function skipSpace(text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c <= 32 || c === BOM) {
      pos++;
    } else if (c === Ch.Slash && text.charCodeAt(pos + 1) === Ch.Slash) {
      const nl = text.indexOf("\n", pos + 2);
      pos = nl < 0 ? text.length : nl;
    } else if (c === Ch.Slash && text.charCodeAt(pos + 1) === Ch.Star) {
      const close = text.indexOf("*/", pos + 2);
      if (close < 0) return pos;
      pos = close + 2;
    } else if (c === AT) {
      const end = annotationEnd(text, pos);
      if (end < 0) return pos;
      pos = end;
    } else {
      return pos;
    }
  }
}

const AT = 64;
const BANG = 33;
const OPEN_BRACKET = 91;
const CLOSERS: Readonly<Record<string, string>> = { "[": "]", "(": ")", "{": "}" };

/**
 * The end of the annotation `@[…]` or `@![…]` at `pos` (the grammar's
 * `annotation`: brackets, parentheses and braces balanced, strings whole),
 * just past its `]`; -1 when there is none there or it does not close.
 */
export function annotationEnd(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== AT) return -1;
  pos += text.charCodeAt(pos + 1) === BANG ? 2 : 1;
  if (text.charCodeAt(pos) !== OPEN_BRACKET) return -1;
  pos++;
  const open: string[] = ["]"];
  while (pos < text.length) {
    const ch = text[pos]!;
    if (ch === '"') {
      pos++;
      while (pos < text.length && text[pos] !== '"') pos += text[pos] === "\\" ? 2 : 1;
      if (pos >= text.length) return -1;
      pos++;
      continue;
    }
    const closer = CLOSERS[ch];
    if (closer !== undefined) open.push(closer);
    else if (ch === "]" || ch === ")" || ch === "}") {
      if (open.pop() !== ch) return -1;
      if (open.length === 0) return pos + 1;
    }
    pos++;
  }
  return -1;
}

/** The end of the run of identPart characters from `pos`. */
export function wordEnd(text: string, pos: number): number {
  while (isIdentPart(text.charCodeAt(pos))) pos++;
  return pos;
}

/** The word at `pos` when it is one of `words`, followed by no identPart (PEG `(w1 | w2 …) ~identPart`). */
export function wordIn(text: string, pos: number, words: ReadonlySet<string>): string | undefined {
  const end = wordEnd(text, pos);
  if (end === pos) return undefined;
  const word = text.slice(pos, end);
  return words.has(word) ? word : undefined;
}

/** `kw ~identPart`: the keyword `kw` (letters, possibly after a dot) at `pos`. */
export function keywordAt(text: string, pos: number, kw: string): boolean {
  return text.startsWith(kw, pos) && !isIdentPart(text.charCodeAt(pos + kw.length));
}

/** ident: not a reserved word, not a lone `_`, then identStart identPart*. */
export function ident(text: string, pos: number): number {
  if (!isIdentStart(text.charCodeAt(pos))) return -1;
  const end = wordEnd(text, pos + 1);
  // The grammar's ~keyword is exactly "the whole word is reserved" (longer words precede their prefixes there).
  if (end === pos + 1 && text.charCodeAt(pos) === 95) return -1;
  if (end - pos <= 23 && RESERVED_WORDS.has(text.slice(pos, end))) return -1;
  return end;
}

/** qualifiedName = ident ("." ident)* */
export function qualifiedName(text: string, pos: number): number {
  let end = ident(text, pos);
  if (end < 0) return -1;
  while (text.charCodeAt(end) === 46) {
    const next = ident(text, end + 1);
    if (next < 0) break;
    end = next;
  }
  return end;
}

function digits(text: string, pos: number): number {
  while (isDigit(text.charCodeAt(pos))) pos++;
  return pos;
}

/** digit+ "." digit+ …: the end of `count` dot-separated digit runs, or -1. */
function dottedDigits(text: string, pos: number, count: number): number {
  let end = digits(text, pos);
  if (end === pos) return -1;
  for (let i = 1; i < count; i++) {
    if (text.charCodeAt(end) !== 46) return -1;
    const next = digits(text, end + 1);
    if (next === end + 1) return -1;
    end = next;
  }
  return end;
}

/** An optional "u" and then no identPart; -1 when an identPart follows. */
function unsignedTail(text: string, pos: number): number {
  if (text.charCodeAt(pos) === 117) pos++;
  return isIdentPart(text.charCodeAt(pos)) ? -1 : pos;
}

/** number: hex | binary | ip | float | decimal, tried in that order as the grammar does. */
export function numberEnd(text: string, pos: number): number {
  const c0 = text.charCodeAt(pos);
  if (!isDigit(c0)) return -1;
  if (c0 === 48 && text.charCodeAt(pos + 1) === 120) {
    let end = pos + 2;
    while (isHexDigit(text.charCodeAt(end))) end++;
    if (end > pos + 2) {
      const tail = unsignedTail(text, end);
      if (tail >= 0) return tail;
    }
  }
  if (c0 === 48 && text.charCodeAt(pos + 1) === 98) {
    let end = pos + 2;
    while (text.charCodeAt(end) === 48 || text.charCodeAt(end) === 49) end++;
    if (end > pos + 2) {
      const tail = unsignedTail(text, end);
      if (tail >= 0) return tail;
    }
  }
  const ip = dottedDigits(text, pos, 4);
  if (ip >= 0) return ip;
  let end = dottedDigits(text, pos, 2);
  if (end >= 0) {
    const e = text.charCodeAt(end);
    if (e === 101 || e === 69) {
      let exp = end + 1;
      const sign = text.charCodeAt(exp);
      if (sign === 43 || sign === 45) exp++;
      const expEnd = digits(text, exp);
      if (expEnd > exp) end = expEnd;
    }
    if (!isIdentPart(text.charCodeAt(end))) return end;
  }
  return unsignedTail(text, digits(text, pos));
}

/** stringLit = "\"" ("\\" any | ~("\"" | "\\") any)* "\"" */
export function stringEnd(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== 34) return -1;
  let i = pos + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c)) return -1; // NaN: end of text
    if (c === 34) return i + 1;
    if (c === 92) {
      if (i + 1 >= text.length) return -1;
      i += 2;
    } else {
      i++;
    }
  }
}

/** decimal = digit+ */
export function decimalEnd(text: string, pos: number): number {
  const end = digits(text, pos);
  return end > pos ? end : -1;
}
