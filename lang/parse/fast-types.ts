// The fast path for relation and type declarations: `.decl` with its columns
// (plain types and lattice types such as min<number>, pair<A, B>, Sign<>) and
// qualifiers, `.type`, `.number_type` and `.symbol_type`, read exactly as
// grammar.ohm's RelationDecl, Attribute, AttrType and TypeDecl. The forms Cairn
// reports as unsupported (record types, algebraic data types, choice-domain,
// debug_delta) are read too, to their end, and leave their item to the grammar.

import type { Attribute, Item, TypeDecl, TypeRef } from "../ast.js";
import type { Cursor } from "./cursor.js";
import { attributeNode, declNodes, typeRefNode } from "./nodes.js";
import { ident, keywordAt, qualifiedName, wordIn } from "./scan.js";
import type { Span } from "../span.js";
import { Ch } from "./chars.js";

const QUALIFIERS: ReadonlySet<string> = new Set([
  "btree_delete",
  "btree",
  "brie",
  "eqrel",
  "inline",
  "no_inline",
  "magic",
  "no_magic",
  "overridable",
  "input",
  "output",
  "printsize",
]);

/** latticeTypeName = qualifiedName | ("min" | "max") ~identPart */
function latticeTypeNameEnd(text: string, pos: number): number {
  const end = qualifiedName(text, pos);
  if (end >= 0) return end;
  if (keywordAt(text, pos, "min") || keywordAt(text, pos, "max")) return pos + 3;
  return -1;
}

/** AttrType = latticeTypeName "<" ListOf<AttrType, ","> ">" | qualifiedName */
function attrType(c: Cursor): TypeRef | undefined {
  const save = c.pos;
  const at = c.next();
  const nameEnd = latticeTypeNameEnd(c.text, at);
  if (nameEnd >= 0) {
    c.pos = nameEnd;
    if (c.eatChar(Ch.Lt)) {
      const args = c.listOf(attrType);
      if (c.eatChar(Ch.Gt)) return typeRefNode(c.text.slice(at, nameEnd), args, c.span(at, c.pos));
    }
    c.pos = save;
  }
  const plain = c.lexeme(qualifiedName);
  if (plain) return typeRefNode(plain.text, undefined, plain.span);
  c.pos = save;
  return undefined;
}

/** Attribute = ident ":" AttrType */
function attribute(c: Cursor): Attribute | undefined {
  const save = c.pos;
  const at = c.next();
  const name = c.lexeme(ident);
  if (name && c.eatChar(Ch.Colon)) {
    const type = attrType(c);
    if (type) return attributeNode(name.text, type, c.span(at, c.pos));
  }
  c.pos = save;
  return undefined;
}

/** qualifier* */
function qualifiers(c: Cursor): string[] {
  const out: string[] = [];
  for (;;) {
    const q = c.next();
    const word = wordIn(c.text, q, QUALIFIERS);
    if (word === undefined) return out;
    out.push(word);
    c.pos = q + word.length;
  }
}

/** RelationDecl = declKw NonemptyListOf<relName, ","> "(" ListOf<Attribute, ","> ")" qualifier* ChoiceDomain? | (debug_delta) */
export function relationDecl(c: Cursor, at: number): Item[] | undefined {
  c.pos = at + 5;
  const names = c.lexemeList(qualifiedName, Ch.Comma);
  if (!names) return undefined;
  if (c.eatChar(Ch.LParen)) {
    const attributes = c.listOf(attribute);
    if (c.eatChar(Ch.RParen)) {
      const quals = qualifiers(c);
      if (choiceDomain(c)) c.leaveToGrammar();
      return declNodes(
        names.map((n) => ({ name: n.text, span: n.span })),
        attributes,
        quals,
        c.span(at, c.pos),
      );
    }
  }
  return debugDelta(c, at) ? [] : undefined;
}

/** ChoiceDomain = "choice-domain" NonemptyListOf<Dependency, ","> (unsupported): whether one was read. */
function choiceDomain(c: Cursor): boolean {
  const save = c.pos;
  if (c.eat("choice-domain") && dependency(c)) {
    c.more(Ch.Comma, dependency, [true]);
    return true;
  }
  c.pos = save;
  return false;
}

/** Dependency = ident | "(" NonemptyListOf<ident, ","> ")" */
function dependency(c: Cursor): true | undefined {
  if (c.lexeme(ident)) return true;
  const save = c.pos;
  if (c.eatChar(Ch.LParen) && c.lexemeList(ident, Ch.Comma) && c.eatChar(Ch.RParen)) return true;
  c.pos = save;
  return undefined;
}

/** RelationDecl_debugDelta = declKw relName "=" debugDeltaKw "(" qualifiedName ")" qualifier* (unsupported). */
function debugDelta(c: Cursor, at: number): boolean {
  c.pos = at + 5;
  if (!c.lexeme(qualifiedName) || !c.eatChar(Ch.Eq)) return false;
  const kw = c.next();
  if (!keywordAt(c.text, kw, "debug_delta")) return false;
  c.pos = kw + "debug_delta".length;
  if (!c.eatChar(Ch.LParen) || !c.lexeme(qualifiedName) || !c.eatChar(Ch.RParen)) return false;
  qualifiers(c);
  c.leaveToGrammar();
  return true;
}

function typeNode(name: string, form: TypeDecl["form"], of: TypeRef[], span: Span): TypeDecl[] {
  return [{ kind: "type", name, form, of, span }];
}

/** TypeDecl: subtype, record, ADT, union or equivalence, bare, .number_type, .symbol_type. */
export function typeDecl(c: Cursor, at: number, kw: string): Item[] | undefined {
  c.pos = at + kw.length;
  const name = c.lexeme(ident);
  if (!name) return undefined;
  if (kw !== ".type") {
    const of = { name: kw === ".number_type" ? "number" : "symbol", span: c.span(at, at + kw.length) };
    return typeNode(name.text, "subtype", [of], c.span(at, c.pos));
  }
  const afterName = c.pos;
  if (c.eat("<:")) {
    const of = c.lexeme(qualifiedName);
    if (of) return typeNode(name.text, "subtype", [{ name: of.text, span: of.span }], c.span(at, c.pos));
    c.pos = afterName;
  }
  if (c.eatChar(Ch.Eq)) {
    const afterEq = c.pos;
    if (recordType(c) || adtBranches(c)) {
      c.leaveToGrammar();
      return [];
    }
    c.pos = afterEq;
    const of = c.lexemeList(qualifiedName, Ch.Bar);
    if (of) {
      const refs = of.map((n) => ({ name: n.text, span: n.span }));
      return typeNode(name.text, refs.length === 1 ? "equivalence" : "union", refs, c.span(at, c.pos));
    }
    c.pos = afterName;
  }
  // `.type A` is the old spelling of `.type A <: symbol`.
  return typeNode(name.text, "subtype", [{ name: "symbol", span: name.span }], c.span(at, afterName));
}

/** RecordType = "[" ListOf<Attribute, ","> "]" (unsupported): whether one was read. */
function recordType(c: Cursor): boolean {
  const save = c.pos;
  if (c.eatChar(Ch.LBracket)) {
    c.listOf(attribute);
    if (c.eatChar(Ch.RBracket)) return true;
  }
  c.pos = save;
  return false;
}

/** NonemptyListOf<AdtBranch, "|"> (unsupported): whether one was read. */
function adtBranches(c: Cursor): boolean {
  if (!adtBranch(c)) return false;
  c.more(Ch.Bar, adtBranch, [true]);
  return true;
}

/** AdtBranch = ident "{" ListOf<Attribute, ","> "}" */
function adtBranch(c: Cursor): true | undefined {
  const save = c.pos;
  if (c.lexeme(ident) && c.eatChar(Ch.LBrace)) {
    c.listOf(attribute);
    if (c.eatChar(Ch.RBrace)) return true;
  }
  c.pos = save;
  return undefined;
}
