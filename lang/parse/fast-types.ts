// The fast path for relation and type declarations: `.decl` with its columns
// (plain types and lattice types such as min<number>, pair<A, B>, Sign<>) and
// qualifiers and choice domains, `.type` (records and algebraic data types
// included), `.number_type` and `.symbol_type`, read exactly as grammar.ohm's
// RelationDecl, Attribute, AttrType and TypeDecl. The form Cairn reports as
// unsupported (debug_delta relations) is read too, to its end, and leaves its
// item to the grammar.

import type { AdtBranch, Attribute, Item, TypeDecl, TypeRef } from "../ast.js";
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
      const choice = choiceDomain(c);
      const decls = declNodes(
        names.map((n) => ({ name: n.text, span: n.span })),
        attributes,
        quals,
        c.span(at, c.pos),
      );
      return choice ? decls.map((d) => ({ ...d, choiceDomain: choice })) : decls;
    }
  }
  return debugDelta(c, at) ? [] : undefined;
}

type Domain = { columns: string[]; span: Span };

/** ChoiceDomain = "choice-domain" NonemptyListOf<Dependency, ",">: the domains, if one was read. */
function choiceDomain(c: Cursor): Domain[] | undefined {
  const save = c.pos;
  if (c.eat("choice-domain")) {
    const first = dependency(c);
    if (first) return c.more(Ch.Comma, dependency, [first]);
  }
  c.pos = save;
  return undefined;
}

/** Dependency = ident | "(" NonemptyListOf<ident, ","> ")" */
function dependency(c: Cursor): Domain | undefined {
  const at = c.next();
  const one = c.lexeme(ident);
  if (one) return { columns: [one.text], span: c.span(at, c.pos) };
  const save = c.pos;
  if (c.eatChar(Ch.LParen)) {
    const names = c.lexemeList(ident, Ch.Comma);
    if (names && c.eatChar(Ch.RParen)) return { columns: names.map((n) => n.text), span: c.span(at, c.pos) };
  }
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
    const fields = recordType(c);
    if (fields) return [{ kind: "type", name: name.text, form: "record", of: [], fields, span: c.span(at, c.pos) }];
    const branches = adtBranches(c);
    if (branches) return [{ kind: "type", name: name.text, form: "adt", of: [], branches, span: c.span(at, c.pos) }];
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

/** RecordType = "[" ListOf<Attribute, ","> "]": its fields, if one was read. */
function recordType(c: Cursor): Attribute[] | undefined {
  const save = c.pos;
  if (c.eatChar(Ch.LBracket)) {
    const fields = c.listOf(attribute);
    if (c.eatChar(Ch.RBracket)) return fields;
  }
  c.pos = save;
  return undefined;
}

/** NonemptyListOf<AdtBranch, "|">: the branches, if one was read. */
function adtBranches(c: Cursor): AdtBranch[] | undefined {
  const first = adtBranch(c);
  return first ? c.more(Ch.Bar, adtBranch, [first]) : undefined;
}

/** AdtBranch = ident "{" ListOf<Attribute, ","> "}" */
function adtBranch(c: Cursor): AdtBranch | undefined {
  const save = c.pos;
  const at = c.next();
  const name = c.lexeme(ident);
  if (name && c.eatChar(Ch.LBrace)) {
    const fields = c.listOf(attribute);
    if (c.eatChar(Ch.RBrace)) return { name: name.text, fields, span: c.span(at, c.pos) };
  }
  c.pos = save;
  return undefined;
}
