// The fast path for directives: `.input`/`.output`/`.printsize`/`.limitsize`
// with their parameters, and `.pragma`, read as grammar.ohm reads them.

import type { DirectiveKind, Item } from "../ast.js";
import type { Cursor } from "./cursor.js";
import { decodeString } from "./literals.js";
import { directiveNodes, pragmaNode } from "./nodes.js";
import { isIdentStart, numberEnd, qualifiedName, stringEnd, wordEnd } from "./scan.js";
import { Ch } from "./chars.js";

/** A string literal's value; an unknown escape has a diagnostic, so the item is left to the grammar. */
function stringValue(c: Cursor, text: string): string {
  const { value, badEscape } = decodeString(text);
  if (badEscape) c.leaveToGrammar();
  return value;
}

/** Pragma = ".pragma" stringLit stringLit? */
export function pragma(c: Cursor, at: number): Item[] | undefined {
  c.pos = at + 7;
  const key = c.lexeme(stringEnd);
  if (!key) return undefined;
  const value = c.lexeme(stringEnd);
  return [pragmaNode(stringValue(c, key.text), value ? stringValue(c, value.text) : undefined, c.span(at, c.pos))];
}

/** IODirective = ioKeyword NonemptyListOf<relName, ","> IOParams? */
export function ioDirective(c: Cursor, at: number, directive: DirectiveKind): Item[] | undefined {
  c.pos = at + 1 + directive.length;
  const names = c.lexemeList(qualifiedName, Ch.Comma);
  if (!names) return undefined;
  const save = c.pos;
  const pairs = ioParams(c);
  if (!pairs) c.pos = save;
  const relations = names.map((n) => ({ name: n.text, span: n.span }));
  return directiveNodes(directive, relations, pairs ?? [], c.span(at, c.pos));
}

/** IOParams = "(" ListOf<KeyValue, ","> ")" */
function ioParams(c: Cursor): [string, string][] | undefined {
  if (!c.eatChar(Ch.LParen)) return undefined;
  const pairs: [string, string][] = [];
  let pair = keyValue(c);
  while (pair) {
    pairs.push(pair);
    const save = c.pos;
    pair = c.eatChar(Ch.Comma) ? keyValue(c) : undefined;
    if (!pair) c.pos = save;
  }
  return c.eatChar(Ch.RParen) ? pairs : undefined;
}

/** paramKey = identStart identPart* (reserved words allowed) */
function paramKeyEnd(text: string, pos: number): number {
  return isIdentStart(text.charCodeAt(pos)) ? wordEnd(text, pos + 1) : -1;
}

/** KeyValue = paramKey "=" paramValue, paramValue = stringLit | number | paramKey */
function keyValue(c: Cursor): [string, string] | undefined {
  const save = c.pos;
  const key = c.lexeme(paramKeyEnd);
  if (key && c.eatChar(Ch.Eq)) {
    const at = c.next();
    const str = stringEnd(c.text, at);
    if (str >= 0) {
      c.pos = str;
      return [key.text, stringValue(c, c.text.slice(at, str))];
    }
    let end = numberEnd(c.text, at);
    if (end < 0) end = paramKeyEnd(c.text, at);
    if (end >= 0) {
      c.pos = end;
      return [key.text, c.text.slice(at, end)];
    }
  }
  c.pos = save;
  return undefined;
}
