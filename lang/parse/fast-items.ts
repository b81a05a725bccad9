// The fast path for one item: relation, type, functor and lattice declarations,
// I/O directives, pragmas, facts, rules, subsumptions and components, read exactly as grammar.ohm's Item
// would read them (same extent, same AST); anything else is left to ohm (undefined).

import type { Atom, Attribute, ComponentRef, DirectiveKind, Item, PlanEntry, TypeDecl, TypeRef } from "../ast.js";
import type { ParseContext } from "./context.js";
import { BAIL, Cursor } from "./cursor.js";
import { atom, disjunction } from "./fast-body.js";
import { attrType, functorDecl, latticeDecl } from "./fast-decls.js";
import { ioDirective, pragma } from "./fast-directives.js";
import { attributeNode, componentNode, declNodes, factNode, initNode, overrideNode, ruleNode, subsumptionNode } from "./nodes.js";
import { decimalEnd, ident, isIdentStart, keywordAt, qualifiedName, wordEnd, wordIn } from "./scan.js";
import type { Span } from "../span.js";

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
const IO_KEYWORDS: ReadonlySet<string> = new Set([".input", ".output", ".printsize", ".limitsize"]);

const LPAREN = 40;
const RPAREN = 41;
const COMMA = 44;
const DOT = 46;
const COLON = 58;
const EQ = 61;
const LBRACKET = 91;
const LBRACE = 123;
const RBRACE = 125;
const LT = 60;
const GT = 62;
const BAR = 124;

export interface FastItem {
  readonly items: Item[];
  /** Where the item's text ends (before any following spaces). */
  readonly end: number;
}

/** The item that starts at `start` (a position after spaces), or undefined when ohm has to read it. */
export function fastItem(text: string, start: number, ctx: ParseContext): FastItem | undefined {
  const c = new Cursor(text, ctx, start);
  try {
    const items = item(c, start);
    return items ? { items, end: c.pos } : undefined;
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

function item(c: Cursor, at: number): Item[] | undefined {
  const text = c.text;
  const ch = text.charCodeAt(at);
  if (isIdentStart(ch)) return clause(c, at);
  if (ch !== DOT) return undefined;
  const word = text.slice(at, wordEnd(text, at + 1));
  switch (word) {
    case ".decl":
      return relationDecl(c, at);
    case ".type":
    case ".number_type":
    case ".symbol_type":
      return typeDecl(c, at, word);
    case ".pragma":
      return pragma(c, at);
    case ".functor":
      return functorDecl(c, at);
    case ".lattice":
      return latticeDecl(c, at);
    case ".comp":
      return componentDecl(c, at);
    case ".init":
      return componentInit(c, at);
    case ".override": {
      c.pos = at + word.length;
      const name = c.lexeme(ident);
      return name ? [overrideNode(name.text, c.span(at, c.pos))] : undefined;
    }
    default:
      return IO_KEYWORDS.has(word) ? ioDirective(c, at, word.slice(1) as DirectiveKind) : undefined;
  }
}

/**
 * Fact = Atom "." ; Rule = NonemptyListOf<Atom, ","> ":-" Disjunction "." QueryPlan? ;
 * Subsumption = Atom "<=" Atom ":-" Disjunction "." QueryPlan?
 */
function clause(c: Cursor, at: number): Item[] | undefined {
  const first = atom(c);
  if (!first) return undefined;
  if (c.eatChar(DOT)) return [factNode(first.atom, c.span(at, c.pos))];
  let dominating: Atom | undefined;
  if (c.eat("<=")) {
    dominating = atom(c)?.atom;
    if (!dominating) return undefined;
  }
  const heads = dominating ? [first.atom] : c.more(COMMA, (c) => atom(c)?.atom, [first.atom]);
  if (!c.eat(":-")) return undefined;
  const body = disjunction(c);
  if (!body || !c.eatChar(DOT)) return undefined;
  const span = c.span(at, c.pos);
  const save = c.pos;
  const plan = queryPlan(c);
  if (!plan) c.pos = save;
  return [dominating ? subsumptionNode(first.atom, dominating, body, span) : ruleNode(heads, body, span, plan)];
}

/** ComponentType = ident TypeParams? ; TypeParams = "<" ListOf<qualifiedName, ","> ">" */
function componentType(c: Cursor): ComponentRef | undefined {
  const at = c.next();
  const name = c.lexeme(ident);
  if (!name) return undefined;
  const afterName = c.pos;
  const args: string[] = [];
  if (c.eatChar(LT)) {
    const list = c.peek() === GT ? [] : c.lexemeList(qualifiedName, COMMA);
    if (list && c.eatChar(GT)) args.push(...list.map((l) => l.text));
    else c.pos = afterName;
  }
  return { name: name.text, args, span: c.span(at, c.pos) };
}

/** ComponentDecl = ".comp" ComponentType (("," | ":") ComponentType)* "{" Item* "}" */
function componentDecl(c: Cursor, at: number): Item[] | undefined {
  c.pos = at + 5;
  const type = componentType(c);
  if (!type) return undefined;
  const bases: ComponentRef[] = [];
  for (;;) {
    const save = c.pos;
    const base = c.eatChar(COLON) || c.eatChar(COMMA) ? componentType(c) : undefined;
    if (!base) {
      c.pos = save;
      break;
    }
    bases.push(base);
  }
  if (!c.eatChar(LBRACE)) return undefined;
  const items: Item[] = [];
  for (;;) {
    const next = c.next();
    if (c.text.charCodeAt(next) === RBRACE) {
      c.pos = next + 1;
      return [componentNode(type, bases, items, c.span(at, c.pos))];
    }
    const inner = item(c, next);
    if (!inner) return undefined;
    items.push(...inner);
  }
}

/** ComponentInit = ".init" ident "=" ComponentType */
function componentInit(c: Cursor, at: number): Item[] | undefined {
  c.pos = at + 5;
  const name = c.lexeme(ident);
  if (!name || !c.eatChar(EQ)) return undefined;
  const type = componentType(c);
  return type ? [initNode(name.text, type, c.span(at, c.pos))] : undefined;
}

/** QueryPlan = ".plan" NonemptyListOf<PlanEntry, ","> */
function queryPlan(c: Cursor): PlanEntry[] | undefined {
  const at = c.next();
  if (!keywordAt(c.text, at, ".plan")) return undefined;
  c.pos = at + 5;
  const first = planEntry(c);
  if (!first) return undefined;
  const out = [first];
  for (;;) {
    const save = c.pos;
    const next = c.eatChar(COMMA) ? planEntry(c) : undefined;
    if (!next) {
      c.pos = save;
      return out;
    }
    out.push(next);
  }
}

/** PlanEntry = decimal ":" "(" ListOf<decimal, ","> ")" */
function planEntry(c: Cursor): PlanEntry | undefined {
  const save = c.pos;
  const at = c.next();
  const version = decimal(c);
  if (version !== undefined && c.eatChar(COLON) && c.eatChar(LPAREN)) {
    const order: number[] = [];
    let d = decimal(c);
    while (d !== undefined) {
      order.push(d);
      const more = c.pos;
      d = c.eatChar(COMMA) ? decimal(c) : undefined;
      if (d === undefined) c.pos = more;
    }
    if (c.eatChar(RPAREN)) return { version, order, span: c.span(at, c.pos) };
  }
  c.pos = save;
  return undefined;
}

/** A decimal number token (after spaces), or undefined. */
function decimal(c: Cursor): number | undefined {
  const at = c.next();
  const end = decimalEnd(c.text, at);
  if (end < 0) return undefined;
  c.pos = end;
  return Number(c.text.slice(at, end));
}

/** RelationDecl_relations; anything else (debug_delta, choice-domain) is left to ohm. */
function relationDecl(c: Cursor, at: number): Item[] | undefined {
  c.pos = at + 5;
  const names = c.lexemeList(qualifiedName, COMMA);
  if (!names || !c.eatChar(LPAREN)) return undefined;
  const attributes: Attribute[] = [];
  let attr = attribute(c);
  while (attr) {
    attributes.push(attr);
    const save = c.pos;
    attr = c.eatChar(COMMA) ? attribute(c) : undefined;
    if (!attr) c.pos = save;
  }
  if (!c.eatChar(RPAREN)) return undefined;
  const qualifiers: string[] = [];
  for (;;) {
    const q = c.next();
    const word = wordIn(c.text, q, QUALIFIERS);
    if (word === undefined) break;
    qualifiers.push(word);
    c.pos = q + word.length;
  }
  if (c.text.startsWith("choice-domain", c.next())) return undefined;
  return declNodes(
    names.map((n) => ({ name: n.text, span: n.span })),
    attributes,
    qualifiers,
    c.span(at, c.pos),
  );
}

/** Attribute = ident ":" AttrType */
function attribute(c: Cursor): Attribute | undefined {
  const save = c.pos;
  const at = c.next();
  const name = c.lexeme(ident);
  if (name && c.eatChar(COLON)) {
    const type = attrType(c);
    if (type) return attributeNode(name.text, type, c.span(at, c.pos));
  }
  c.pos = save;
  return undefined;
}

function typeNode(name: string, form: TypeDecl["form"], of: TypeRef[], span: Span): TypeDecl[] {
  return [{ kind: "type", name, form, of, span }];
}

/** TypeDecl: subtype, union or equivalence, bare, .number_type, .symbol_type; records and ADTs are left to ohm. */
function typeDecl(c: Cursor, at: number, kw: string): Item[] | undefined {
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
  if (c.eatChar(EQ)) {
    const afterEq = c.pos;
    if (c.peek() === LBRACKET) throw BAIL; // a record type
    if (c.lexeme(ident) && c.peek() === LBRACE) throw BAIL; // an algebraic data type
    c.pos = afterEq;
    const of = c.lexemeList(qualifiedName, BAR);
    if (of) {
      const refs = of.map((n) => ({ name: n.text, span: n.span }));
      return typeNode(name.text, refs.length === 1 ? "equivalence" : "union", refs, c.span(at, c.pos));
    }
    c.pos = afterName;
  }
  // `.type A` is the old spelling of `.type A <: symbol`.
  return typeNode(name.text, "subtype", [{ name: "symbol", span: name.span }], c.span(at, afterName));
}
