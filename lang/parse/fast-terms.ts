// The fast path for terms: grammar.ohm's Term, UnaryExp, PowExp, Primary and
// Aggregate as ordered choices tried exactly as ohm tries them, building the
// AST the actions would (user functors, range, records and ADTs included). The alternatives
// Cairn reports as unsupported (user aggregates, recursive_iteration_cnt) and literals
// with a diagnostic are read too, and leave their item to the grammar.

import type { AggregateFn, ArithOp, Term } from "../ast.js";
import { toDnf } from "./body.js";
import type { Cursor } from "./cursor.js";
import { aggregateNode, climb, negativeNode, numberNode, type Operand } from "./nodes.js";
import { decodeNumber, decodeString, RESERVED_WORDS } from "./literals.js";
import { ident, isIdentStart, keywordAt, numberEnd, qualifiedName, stringEnd, wordEnd, wordIn } from "./scan.js";
import { Ch } from "./chars.js";

const WORD_OPS: ReadonlySet<string> = new Set(["lor", "lxor", "land", "bor", "bxor", "band", "bshru", "bshl", "bshr"]);
const AGGREGATE_FNS: ReadonlySet<string> = new Set(["count", "sum", "min", "max", "mean"]);
const BUILTIN_FUNCTORS: ReadonlySet<string> = new Set([
  "cat",
  "ord",
  "strlen",
  "substr",
  "to_float",
  "to_number",
  "to_string",
  "to_unsigned",
  "min",
  "max",
]);

/** binaryOp: a word operator not followed by identPart, or + - * / %. */
function binaryOp(c: Cursor): ArithOp | undefined {
  const at = c.next();
  const ch = c.text.charCodeAt(at);
  if (ch === Ch.Plus || ch === Ch.Minus || ch === Ch.Star || ch === Ch.Slash || ch === Ch.Percent) {
    c.pos = at + 1;
    return c.text[at] as ArithOp;
  }
  const word = wordIn(c.text, at, WORD_OPS);
  if (word === undefined) return undefined;
  c.pos = at + word.length;
  return word as ArithOp;
}

/** Term = UnaryExp (binaryOp UnaryExp)*, with the actions' precedence climbing (each term read once at a position). */
export function term(c: Cursor): Operand | undefined {
  return c.memoTerm(operatorChain);
}

/** Term's reading: each operator nests the operands after it one level deeper, as the tree it climbs to does. */
function operatorChain(c: Cursor): Operand | undefined {
  const first = unaryExp(c);
  if (!first) return undefined;
  const depth = c.depth;
  let ops: ArithOp[] | undefined;
  let rest: Operand[] | undefined;
  for (;;) {
    const save = c.pos;
    const op = binaryOp(c);
    if (op === undefined) break;
    const right = c.enter(save) ? unaryExp(c) : undefined;
    if (!right) {
      c.pos = save;
      break;
    }
    (ops ??= []).push(op);
    (rest ??= []).push(right);
  }
  c.depth = depth;
  if (!ops || !rest) return first;
  return { term: climb(first, ops, rest, c.spanAt), start: first.start, end: rest[rest.length - 1]!.end };
}

/** ListOf<Term, ",">. */
export function termList(c: Cursor): Operand[] {
  return c.listOf(term);
}

function terms(list: readonly Operand[]): Term[] {
  return list.map((o) => o.term);
}

/** UnaryExp, one level deeper than what it is in (lang/nesting.ts). */
function unaryExp(c: Cursor): Operand | undefined {
  return c.nested(c.next(), unaryOperand);
}

function unaryOperand(c: Cursor): Operand | undefined {
  const save = c.pos;
  const at = c.next();
  const text = c.text;
  if (text.charCodeAt(at) === Ch.Minus) {
    c.pos = at + 1;
    const inner = unaryExp(c);
    if (inner) return { term: negativeNode(inner.term, c.span(at, inner.end)), start: at, end: inner.end };
    c.pos = save;
  }
  for (const op of ["bnot", "lnot"] as const) {
    if (!keywordAt(text, at, op)) continue;
    c.pos = at + 4;
    const inner = unaryExp(c);
    if (inner) return { term: { kind: "unary", op, operand: inner.term, span: c.span(at, inner.end) }, start: at, end: inner.end };
    c.pos = save;
  }
  return powExp(c);
}

/** PowExp = Primary "^" UnaryExp | Primary */
function powExp(c: Cursor): Operand | undefined {
  const left = primary(c);
  if (!left) return undefined;
  const save = c.pos;
  if (c.eatChar(Ch.Caret)) {
    const right = unaryExp(c);
    if (right) {
      const span = c.span(left.start, right.end);
      return { term: { kind: "binary", op: "^", left: left.term, right: right.term, span }, start: left.start, end: right.end };
    }
    c.pos = save;
  }
  return left;
}

function done(c: Cursor, term: Term, start: number): Operand {
  return { term, start, end: c.pos };
}

/** A construct read up to `c.pos` whose AST and diagnostic the grammar's actions give: a stand-in, as theirs. */
function grammarOnly(c: Cursor, start: number): Operand {
  c.leaveToGrammar();
  return done(c, { kind: "wildcard", span: c.span(start, c.pos) }, start);
}

/**
 * Primary's alternatives, in the grammar's order. Only the alternatives of one
 * group can start with a given character, so the first character picks it.
 * Like every reader here, it leaves the position as it was when it fails.
 */
function primary(c: Cursor): Operand | undefined {
  const at = c.next();
  const text = c.text;
  const ch = text.charCodeAt(at);
  if (isIdentStart(ch)) return wordPrimary(c, at);
  if (ch === Ch.LParen) {
    const save = c.pos;
    c.pos = at + 1;
    const inner = term(c);
    if (inner && c.eatChar(Ch.RParen)) return done(c, inner.term, at);
    c.pos = save;
    return undefined;
  }
  if (ch === Ch.Quote) {
    const strEnd = stringEnd(text, at);
    if (strEnd < 0) return undefined;
    const { value, badEscape } = decodeString(text.slice(at, strEnd));
    if (badEscape) c.leaveToGrammar();
    c.pos = strEnd;
    return done(c, { kind: "string", value, span: c.span(at, strEnd) }, at);
  }
  if (ch === Ch.Dollar) return dollar(c, at);
  if (ch === Ch.At) return atSign(c, at);
  if (ch === Ch.LBracket) return record(c, at);
  const numEnd = numberEnd(text, at);
  if (numEnd < 0) return undefined;
  const spelling = text.slice(at, numEnd);
  const decoded = decodeNumber(spelling);
  if (decoded.problem) c.leaveToGrammar();
  c.pos = numEnd;
  return done(c, numberNode(spelling, decoded, c.span(at, numEnd)), at);
}

/** `"$" qualifiedName "(" ListOf<Term, ","> ")"`, an ADT constructor, else the counter `"$"`. */
function dollar(c: Cursor, at: number): Operand {
  c.pos = at + 1;
  const branch = c.lexeme(qualifiedName);
  if (branch && c.eatChar(Ch.LParen)) {
    const args = termList(c);
    if (c.eatChar(Ch.RParen)) return done(c, { kind: "adt", branch: branch.text, args: terms(args), span: c.span(at, c.pos) }, at);
  }
  c.pos = at + 1;
  return done(c, { kind: "call", name: "autoinc", args: [], span: c.span(at, at + 1) }, at);
}

/**
 * `"@" "@" ident ListOf<Term, ","> ":" Term "," AggregateBody`, a user-defined
 * aggregate (unsupported), else `"@" ident "(" ListOf<Term, ","> ")"`, a user
 * functor, named with its `@`.
 */
function atSign(c: Cursor, at: number): Operand | undefined {
  const save = c.pos;
  c.pos = at + 1;
  if (c.eatChar(Ch.At) && c.lexeme(ident)) {
    termList(c);
    if (c.eatChar(Ch.Colon) && term(c) && c.eatChar(Ch.Comma) && c.aggregateBody(c)) return grammarOnly(c, at);
  }
  c.pos = at + 1;
  const name = c.lexeme(ident);
  if (name && c.eatChar(Ch.LParen)) {
    const args = termList(c);
    if (c.eatChar(Ch.RParen)) return done(c, { kind: "call", name: `@${name.text}`, args: terms(args), span: c.span(at, c.pos) }, at);
  }
  c.pos = save;
  return undefined;
}

/** `"[" ListOf<Term, ","> "]"`: a record. */
function record(c: Cursor, at: number): Operand | undefined {
  const save = c.pos;
  c.pos = at + 1;
  const args = termList(c);
  if (c.eatChar(Ch.RBracket)) return done(c, { kind: "record", args: terms(args), span: c.span(at, c.pos) }, at);
  c.pos = save;
  return undefined;
}

/** The alternatives that start with a word: Aggregate, call, var, wildcard, cast, autoinc, and unsupported ones. */
function wordPrimary(c: Cursor, at: number): Operand | undefined {
  const save = c.pos;
  const text = c.text;
  const end = wordEnd(text, at);
  const word = text.slice(at, end);
  const reserved = RESERVED_WORDS.has(word);
  if (reserved && AGGREGATE_FNS.has(word)) {
    const agg = aggregate(c, at, word as AggregateFn);
    if (agg) return agg;
  }
  const isIdent = !reserved && word !== "_";
  if (isIdent || BUILTIN_FUNCTORS.has(word)) {
    c.pos = end;
    if (c.eatChar(Ch.LParen)) {
      const args = termList(c);
      if (c.eatChar(Ch.RParen)) return done(c, { kind: "call", name: word, args: terms(args), span: c.span(at, c.pos) }, at);
    }
    c.pos = save;
  }
  if (isIdent) {
    c.pos = end;
    return done(c, { kind: "var", name: word, span: c.span(at, end) }, at);
  }
  if (word === "_") {
    c.pos = end;
    return done(c, { kind: "wildcard", span: c.span(at, end) }, at);
  }
  if (word === "as") return castTail(c, at);
  if (word === "autoinc") {
    c.pos = end;
    if (c.eatChar(Ch.LParen) && c.eatChar(Ch.RParen))
      return done(c, { kind: "call", name: "autoinc", args: [], span: c.span(at, c.pos) }, at);
    c.pos = save;
    return undefined;
  }
  if (word === "range") {
    c.pos = end;
    if (c.eatChar(Ch.LParen)) {
      const args = termList(c);
      if (c.eatChar(Ch.RParen)) return done(c, { kind: "call", name: "range", args: terms(args), span: c.span(at, c.pos) }, at);
    }
  } else if (word === "recursive_iteration_cnt") {
    // Unsupported.
    c.pos = end;
    if (c.eatChar(Ch.LParen) && c.eatChar(Ch.RParen)) return grammarOnly(c, at);
  } else if (word === "nil") {
    c.pos = end;
    return done(c, { kind: "nil", span: c.span(at, end) }, at);
  }
  c.pos = save;
  return undefined;
}

/** The rest of `as(term, Type)` after `as` at `at`. */
function castTail(c: Cursor, at: number): Operand | undefined {
  const save = c.pos;
  c.pos = at + 2;
  if (c.eatChar(Ch.LParen)) {
    const inner = term(c);
    if (inner && c.eatChar(Ch.Comma)) {
      const typeAt = c.next();
      const typeEnd = qualifiedName(c.text, typeAt);
      if (typeEnd >= 0) {
        c.pos = typeEnd;
        if (c.eatChar(Ch.RParen)) {
          return done(c, { kind: "cast", term: inner.term, typeName: c.text.slice(typeAt, typeEnd), span: c.span(at, c.pos) }, at);
        }
      }
    }
  }
  c.pos = save;
  return undefined;
}

/** Aggregate = aggregateFn ListOf<Term, ","> ":" AggregateBody, after the function name at `at`. */
function aggregate(c: Cursor, at: number, fn: AggregateFn): Operand | undefined {
  const save = c.pos;
  c.pos = at + fn.length;
  const targets = termList(c);
  if (c.eatChar(Ch.Colon)) {
    // The body is one level deeper than the aggregate's term.
    const body = c.nested(c.next(), c.aggregateBody);
    if (body) {
      // A second target, or a disjunction in the body, has a diagnostic: the grammar's actions report it.
      const dnf = toDnf(body);
      if (targets.length > 1 || dnf.length !== 1) c.leaveToGrammar();
      return done(c, aggregateNode(fn, targets[0]?.term, dnf[0] ?? [], c.span(at, c.pos)), at);
    }
  }
  c.pos = save;
  return undefined;
}
