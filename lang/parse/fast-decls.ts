// The fast path for the declarations around lattices: `.functor` and
// `.lattice`, read exactly as grammar.ohm's FunctorDecl and LatticeDecl (column
// types, lattice types among them, are fast-types.ts's).

import type { Attribute, Item } from "../ast.js";
import type { Cursor } from "./cursor.js";
import { term } from "./fast-terms.js";
import { attributeNode, functorNode, LATTICE_OPS, latticeNode, latticeOpNode, typeRefNode, type LatticeOpNode } from "./nodes.js";
import { ident, isIdentStart, keywordAt, qualifiedName } from "./scan.js";
import { Ch } from "./chars.js";

/** FunctorParam = ident ":" qualifiedName | qualifiedName */
function functorParam(c: Cursor): Attribute | undefined {
  const save = c.pos;
  const at = c.next();
  const name = c.lexeme(ident);
  if (name && c.eatChar(Ch.Colon)) {
    const type = c.lexeme(qualifiedName);
    if (type) return attributeNode(name.text, typeRefNode(type.text, undefined, type.span), c.span(at, c.pos));
  }
  c.pos = save;
  const type = c.lexeme(qualifiedName);
  if (type) return attributeNode("", typeRefNode(type.text, undefined, type.span), type.span);
  c.pos = save;
  return undefined;
}

/** FunctorQualifier = statefulKw | monotoneKw ~"(", monotoneKw = "monotone" ~identPart ~("." identStart) */
function functorQualifier(c: Cursor): string | undefined {
  const at = c.next();
  const text = c.text;
  if (keywordAt(text, at, "stateful")) {
    c.pos = at + 8;
    return "stateful";
  }
  if (!keywordAt(text, at, "monotone")) return undefined;
  if (text.charCodeAt(at + 8) === Ch.Dot && isIdentStart(text.charCodeAt(at + 9))) return undefined;
  const save = c.pos;
  c.pos = at + 8;
  if (c.peek() === Ch.LParen) {
    c.pos = save;
    return undefined;
  }
  return "monotone";
}

/** FunctorDecl = ".functor" ident "(" ListOf<FunctorParam, ","> ")" ":" qualifiedName FunctorQualifier* */
export function functorDecl(c: Cursor, at: number): Item[] | undefined {
  c.pos = at + 8;
  const name = c.lexeme(ident);
  if (!name || !c.eatChar(Ch.LParen)) return undefined;
  const params = c.listOf(functorParam);
  if (!c.eatChar(Ch.RParen) || !c.eatChar(Ch.Colon)) return undefined;
  const result = c.lexeme(qualifiedName);
  if (!result) return undefined;
  const qualifiers: string[] = [];
  for (let q = functorQualifier(c); q !== undefined; q = functorQualifier(c)) qualifiers.push(q);
  return [functorNode(name.text, params, typeRefNode(result.text, undefined, result.span), qualifiers, c.span(at, c.pos))];
}

/** LatticeOp = ident "->" Term; an unknown operator name has a diagnostic, so the item is left to the grammar. */
function latticeOp(c: Cursor): LatticeOpNode | undefined {
  const save = c.pos;
  const at = c.next();
  const name = c.lexeme(ident);
  if (name && c.eat("->")) {
    const value = term(c);
    if (value) {
      if (!LATTICE_OPS.has(name.text)) c.leaveToGrammar();
      return latticeOpNode(name.text as LatticeOpNode["op"], value.term, c.span(at, value.end));
    }
  }
  c.pos = save;
  return undefined;
}

/** LatticeDecl = ".lattice" ident "<" ">" "{" ListOf<LatticeOp, ","> "}" */
export function latticeDecl(c: Cursor, at: number): Item[] | undefined {
  c.pos = at + 8;
  const name = c.lexeme(ident);
  if (!name || !c.eatChar(Ch.Lt) || !c.eatChar(Ch.Gt) || !c.eatChar(Ch.LBrace)) return undefined;
  const ops = c.listOf(latticeOp);
  if (!c.eatChar(Ch.RBrace)) return undefined;
  return [latticeNode(name.text, ops, c.span(at, c.pos))];
}
