// The fast path for atoms and rule bodies: grammar.ohm's Atom, Disjunction,
// Conjunction, BodyTerm, Constraint and AggregateBody, tried in the grammar's
// order and turned into DNF with the same helpers as the actions.

import type { Atom, CompareOp, Literal, Term } from "../ast.js";
import { conjoin, disjoin, negate, toDnf, type Dnf } from "./body.js";
import type { Cursor } from "./cursor.js";
import { term, termList } from "./fast-terms.js";
import { atomNode, type Operand } from "./nodes.js";
import { ident, keywordAt, qualifiedName } from "./scan.js";
import { Ch } from "./chars.js";

/** Atom = qualifiedName "(" ListOf<Term, ","> ")" */
export function atom(c: Cursor): { atom: Atom; start: number; end: number } | undefined {
  const save = c.pos;
  const at = c.next();
  const nameEnd = qualifiedName(c.text, at);
  if (nameEnd < 0) return undefined;
  c.pos = nameEnd;
  if (c.eatChar(Ch.LParen)) {
    const args = termList(c);
    if (c.eatChar(Ch.RParen)) {
      const node = atomNode(
        c.text.slice(at, nameEnd),
        args.map((a) => a.term),
        c.span(at, c.pos),
      );
      return { atom: node, start: at, end: c.pos };
    }
  }
  c.pos = save;
  return undefined;
}

/** AggregateBody = "{" Disjunction "}" | Atom (the Cursor hands it to the aggregates of fast-terms.ts). */
export function aggregateBody(c: Cursor): Literal | Dnf | undefined {
  const save = c.pos;
  if (c.eatChar(Ch.LBrace)) {
    const body = disjunction(c);
    if (body && c.eatChar(Ch.RBrace)) return body;
    c.pos = save;
  }
  return atom(c)?.atom;
}

/** Disjunction = NonemptyListOf<Conjunction, ";"> */
export function disjunction(c: Cursor): Dnf | undefined {
  const first = conjunction(c);
  if (!first) return undefined;
  return disjoin(c.more(Ch.Semicolon, conjunction, [first]));
}

/** Conjunction = NonemptyListOf<BodyTerm, ","> */
function conjunction(c: Cursor): Dnf | undefined {
  const first = bodyTerm(c);
  if (!first) return undefined;
  const dnf = (c: Cursor): Dnf | undefined => {
    const t = bodyTerm(c);
    return t && toDnf(t.value);
  };
  return conjoin(c.more(Ch.Comma, dnf, [toDnf(first.value)]));
}

interface BodyPart {
  readonly value: Literal | Dnf;
  readonly end: number;
}

/** BodyTerm = "!" BodyTerm | "(" Disjunction ")" | Constraint | Atom */
function bodyTerm(c: Cursor): BodyPart | undefined {
  const save = c.pos;
  const at = c.next();
  const ch = c.text.charCodeAt(at);
  if (ch === Ch.Bang) {
    c.pos = at + 1;
    const inner = c.nested(at, bodyTerm);
    if (inner) return { value: negate(toDnf(inner.value), c.span(at, inner.end)), end: inner.end };
    c.pos = save;
  }
  if (ch === Ch.LParen) {
    c.pos = at + 1;
    const body = c.nested(at, disjunction);
    if (body && c.eatChar(Ch.RParen)) return { value: body, end: c.pos };
    c.pos = save;
  }
  const constraint = constraintAt(c, at);
  if (constraint) return constraint.part ?? callAsAtom(c, at, constraint.call);
  const a = atom(c);
  return a ? { value: a.atom, end: a.end } : undefined;
}

/**
 * The Atom alternative, when the comparison before it began with the call
 * `name(args)` and `name` is an identifier: Atom then reads the very same
 * text (qualifiedName stops at the name, since "(" follows it), so the call's
 * parse is reused instead of reading the arguments a second time.
 */
function callAsAtom(c: Cursor, at: number, call: Operand | undefined): BodyPart | undefined {
  const t = call?.term;
  if (
    !call ||
    t?.kind !== "call" ||
    t.span.start.offset !== at ||
    t.span.end.offset !== call.end ||
    ident(c.text, at) !== at + t.name.length
  ) {
    const a = atom(c);
    return a ? { value: a.atom, end: a.end } : undefined;
  }
  c.pos = call.end;
  return { value: atomNode(t.name, t.args as Term[], t.span), end: call.end };
}

/**
 * Constraint: match(…), contains(…), true, false, or a comparison; when it
 * fails, `call` is the term the comparison began with (for callAsAtom).
 */
function constraintAt(c: Cursor, at: number): { part?: BodyPart; call?: Operand } | undefined {
  const save = c.pos;
  const text = c.text;
  for (const name of ["match", "contains"] as const) {
    if (!keywordAt(text, at, name)) continue;
    c.pos = at + name.length;
    if (c.eatChar(Ch.LParen)) {
      const a = term(c);
      if (a && c.eatChar(Ch.Comma)) {
        const b = term(c);
        if (b && c.eatChar(Ch.RParen)) {
          const lit: Literal = { kind: "test", name, args: [a.term, b.term], negated: false, span: c.span(at, c.pos) };
          return { part: { value: lit, end: c.pos } };
        }
      }
    }
    c.pos = save;
  }
  for (const name of ["true", "false"] as const) {
    if (!keywordAt(text, at, name)) continue;
    c.pos = at + name.length;
    const lit: Literal = { kind: "test", name, args: [], negated: false, span: c.span(at, c.pos) };
    return { part: { value: lit, end: c.pos } };
  }
  const left = term(c);
  if (!left) return undefined;
  const op = compareOp(c);
  if (op !== undefined) {
    const right = term(c);
    if (right) {
      const lit: Literal = { kind: "compare", op, left: left.term, right: right.term, span: c.span(at, right.end) };
      return { part: { value: lit, end: right.end } };
    }
  }
  c.pos = save;
  return { call: left };
}

/** compareOp = "<=" | ">=" | "!=" | "<" ~":" | ">" | "=" */
function compareOp(c: Cursor): CompareOp | undefined {
  const at = c.next();
  const ch = c.text.charCodeAt(at);
  const ch2 = c.text.charCodeAt(at + 1);
  let op: CompareOp | undefined;
  if (ch === Ch.Lt) op = ch2 === Ch.Eq ? "<=" : ch2 === Ch.Colon ? undefined : "<";
  else if (ch === Ch.Gt) op = ch2 === Ch.Eq ? ">=" : ">";
  else if (ch === Ch.Bang) op = ch2 === Ch.Eq ? "!=" : undefined;
  else if (ch === Ch.Eq) op = "=";
  if (op !== undefined) c.pos = at + op.length;
  return op;
}
