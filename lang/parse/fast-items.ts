// The fast path for one item (declarations, directives, pragmas, facts, rules,
// subsumptions and components), read exactly as grammar.ohm's Item reads it:
// the same extent, and the same AST. An item that uses a feature Cairn reports
// as unsupported, or holds a literal with a diagnostic, is read to its end too,
// but its AST and diagnostics are left to the grammar, which parses that item alone.

import type { Atom, ComponentRef, DirectiveKind, Item, PlanEntry } from "../ast.js";
import type { ParseContext } from "./context.js";
import { Cursor } from "./cursor.js";
import { aggregateBody, atom, disjunction } from "./fast-body.js";
import { functorDecl, latticeDecl } from "./fast-decls.js";
import { ioDirective, pragma } from "./fast-directives.js";
import { relationDecl, typeDecl } from "./fast-types.js";
import { componentNode, factNode, initNode, overrideNode, ruleNode, subsumptionNode } from "./nodes.js";
import { decimalEnd, ident, isIdentStart, keywordAt, qualifiedName, wordEnd } from "./scan.js";
import { Ch } from "./chars.js";

const IO_KEYWORDS: ReadonlySet<string> = new Set([".input", ".output", ".printsize", ".limitsize"]);

/**
 * What the fast path read at an item's start: the item's AST ("fast"), or, for
 * an item whose AST and diagnostics only the grammar's actions give, its
 * extent ("grammar"). `end` is where the item's text ends (before any spaces).
 * An item that could not be read where it nested past lang/nesting.ts's
 * limit is "too-deep", `at` the first place that did.
 */
export type ItemRead =
  | { readonly kind: "fast"; readonly items: Item[]; readonly end: number }
  | { readonly kind: "grammar"; readonly end: number }
  | { readonly kind: "too-deep"; readonly at: number };

/** The item that starts at `start` (a position after spaces), or undefined where the grammar's Item fails. */
export function readItem(text: string, start: number, ctx: ParseContext): ItemRead | undefined {
  const c = new Cursor(text, ctx, start, aggregateBody);
  const items = item(c, start);
  if (!items) return c.tooDeep === undefined ? undefined : { kind: "too-deep", at: c.tooDeep };
  return c.needsGrammar ? { kind: "grammar", end: c.pos } : { kind: "fast", items, end: c.pos };
}

function item(c: Cursor, at: number): Item[] | undefined {
  const text = c.text;
  const ch = text.charCodeAt(at);
  if (isIdentStart(ch)) return clause(c, at);
  if (ch !== Ch.Dot) return undefined;
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
  if (c.eatChar(Ch.Dot)) return [factNode(first.atom, c.span(at, c.pos))];
  let dominating: Atom | undefined;
  if (c.eat("<=")) {
    dominating = atom(c)?.atom;
    if (!dominating) return undefined;
  }
  const heads = dominating ? [first.atom] : c.more(Ch.Comma, (c) => atom(c)?.atom, [first.atom]);
  if (!c.eat(":-")) return undefined;
  const body = disjunction(c);
  if (!body || !c.eatChar(Ch.Dot)) return undefined;
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
  if (c.eatChar(Ch.Lt)) {
    const list = c.peek() === Ch.Gt ? [] : c.lexemeList(qualifiedName, Ch.Comma);
    if (list && c.eatChar(Ch.Gt)) args.push(...list.map((l) => l.text));
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
    const base = c.eatChar(Ch.Colon) || c.eatChar(Ch.Comma) ? componentType(c) : undefined;
    if (!base) {
      c.pos = save;
      break;
    }
    bases.push(base);
  }
  if (!c.eatChar(Ch.LBrace)) return undefined;
  const items: Item[] = [];
  for (;;) {
    const next = c.next();
    if (c.text.charCodeAt(next) === Ch.RBrace) {
      c.pos = next + 1;
      return [componentNode(type, bases, items, c.span(at, c.pos))];
    }
    const inner = c.nested(next, (c) => item(c, next));
    if (!inner) return undefined;
    items.push(...inner);
  }
}

/** ComponentInit = ".init" ident "=" ComponentType */
function componentInit(c: Cursor, at: number): Item[] | undefined {
  c.pos = at + 5;
  const name = c.lexeme(ident);
  if (!name || !c.eatChar(Ch.Eq)) return undefined;
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
    const next = c.eatChar(Ch.Comma) ? planEntry(c) : undefined;
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
  if (version !== undefined && c.eatChar(Ch.Colon) && c.eatChar(Ch.LParen)) {
    const order: number[] = [];
    let d = decimal(c);
    while (d !== undefined) {
      order.push(d);
      const more = c.pos;
      d = c.eatChar(Ch.Comma) ? decimal(c) : undefined;
      if (d === undefined) c.pos = more;
    }
    if (c.eatChar(Ch.RParen)) return { version, order, span: c.span(at, c.pos) };
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
