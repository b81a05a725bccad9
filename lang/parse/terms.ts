// Semantic actions for terms (arithmetic, functors, casts, aggregates,
// literals) and rule bodies (atoms, constraints, negation, `,` and `;`).

import type { ActionDict, Node } from "ohm-js";
import type { AggregateFn, ArithOp, Atom, Literal, Term, UnaryOp } from "../ast.js";
import { conjoin, disjoin, negate, toDnf, type Dnf } from "./body.js";
import { cx } from "./context.js";
import { decodeNumber, decodeString } from "./literals.js";
import { aggregateNode, atomNode, climb, negativeNode, numberNode, type Operand } from "./nodes.js";

/** Runs the `ast` operation on a node. */
export function ast<T>(node: Node): T {
  return node["ast"]() as T;
}

/** `ast` of every element of a ListOf / NonemptyListOf node. */
export function list<T>(node: Node): T[] {
  return node.asIteration().children.map((c) => ast<T>(c));
}

/** The value of a string literal node; an unknown escape is reported. */
export function stringValue(node: Node): string {
  const { value, badEscape } = decodeString(node.sourceString);
  if (badEscape) {
    const at = cx().at(node.source.startIdx + badEscape.offset);
    cx().syntax(`unknown escape sequence \\${badEscape.char}`, cx().spanAt(at, at + 2));
  }
  return value;
}

/** A stand-in term for a construct that was reported as unsupported. */
function placeholder(node: Node): Term {
  return { kind: "wildcard", span: cx().span(node) };
}

/** Builds the tree of `t0 op1 t1 op2 t2 …` (operands evaluated last to first, as before). */
function climbNodes(first: Node, opNodes: readonly Node[], restNodes: readonly Node[]): Term {
  const operand = (n: Node): Operand => ({ term: ast<Term>(n), start: cx().at(n.source.startIdx), end: cx().at(n.source.endIdx) });
  const ops = opNodes.map((o) => o.sourceString as ArithOp);
  const rest = restNodes.map(operand);
  return climb(operand(first), ops, rest, (start, end) => cx().spanAt(start, end));
}

function unary(op: UnaryOp) {
  return function (this: Node, _op: Node, operand: Node): Term {
    return { kind: "unary", op, operand: ast<Term>(operand), span: cx().span(this) };
  };
}

/** `-5` is the literal -5, as in Soufflé; `-x`, `-(-5)` and `-2^2` stay negations. */
function negative(this: Node, _minus: Node, operand: Node): Term {
  return negativeNode(ast<Term>(operand), cx().span(this));
}

function call(this: Node, name: string, args: Term[]): Term {
  return { kind: "call", name, args, span: cx().span(this) };
}

/** The body of an aggregate, which must be a single conjunction. */
function aggregateBody(node: Node): Literal[] {
  const body = toDnf(ast<Literal | Dnf>(node));
  if (body.length !== 1) {
    cx().unsupported("disjunction in aggregate bodies", cx().span(node), false);
    return body[0] ?? [];
  }
  return body[0]!;
}

export const termActions: ActionDict<unknown> = {
  Term(first, ops, rest) {
    if (ops.numChildren === 0) return ast<Term>(first);
    return climbNodes(first, ops.children, rest.children);
  },
  PowExp_op(left, _caret, right) {
    return { kind: "binary", op: "^", left: ast<Term>(left), right: ast<Term>(right), span: cx().span(this) };
  },
  UnaryExp_neg: negative,
  UnaryExp_bnot: unary("bnot"),
  UnaryExp_lnot: unary("lnot"),

  Primary_paren(_l, term, _r) {
    return ast<Term>(term);
  },
  Primary_cast(_as, _l, term, _comma, type, _r) {
    return { kind: "cast", term: ast<Term>(term), typeName: type.sourceString, span: cx().span(this) };
  },
  Primary_userAggregate(_at1, _at2, _name, _args, _colon, _target, _comma, _body) {
    cx().unsupported("user-defined aggregates", cx().span(this));
    return placeholder(this);
  },
  Primary_userFunctor(_at, name, _l, args, _r) {
    return call.call(this, `@${name.sourceString}`, list<Term>(args));
  },
  Primary_adt(_dollar, name, _l, args, _r) {
    return { kind: "adt", branch: name.sourceString, args: list<Term>(args), span: cx().span(this) };
  },
  Primary_counter(_dollar) {
    return call.call(this, "autoinc", []);
  },
  Primary_autoinc(_kw, _l, _r) {
    return call.call(this, "autoinc", []);
  },
  Primary_range(_kw, _l, args, _r) {
    return call.call(this, "range", list<Term>(args));
  },
  Primary_iteration(_kw, _l, _r) {
    cx().unsupported("recursive_iteration_cnt", cx().span(this), false);
    return placeholder(this);
  },
  Primary_nil(_kw) {
    return { kind: "nil", span: cx().span(this) };
  },
  Primary_record(_l, args, _r) {
    return { kind: "record", args: list<Term>(args), span: cx().span(this) };
  },
  Primary_call(name, _l, args, _r) {
    return call.call(this, name.sourceString, list<Term>(args));
  },
  Primary_number(num) {
    const text = num.sourceString;
    const decoded = decodeNumber(text);
    if (decoded.problem) cx().syntax(decoded.problem, cx().span(this));
    return numberNode(text, decoded, cx().span(this));
  },
  Primary_string(str) {
    return { kind: "string", value: stringValue(str), span: cx().span(this) };
  },
  Primary_wildcard(_u) {
    return { kind: "wildcard", span: cx().span(this) };
  },
  Primary_var(name) {
    return { kind: "var", name: name.sourceString, span: cx().span(this) };
  },

  Aggregate(fnNode, targets, _colon, body) {
    // Whether count has no target and the others one is for the checks (bad-aggregate); only
    // a second target has no place in the AST.
    const terms = list<Term>(targets);
    if (terms.length > 1) cx().syntax("an aggregate takes at most one target expression", cx().span(targets));
    return aggregateNode(fnNode.sourceString as AggregateFn, terms[0], aggregateBody(body), cx().span(this));
  },
  AggregateBody_braces(_l, body, _r) {
    return ast<Dnf>(body);
  },

  Atom(name, _l, args, _r): Atom {
    return atomNode(name.sourceString, list<Term>(args), cx().span(this));
  },

  Disjunction(alternatives) {
    return disjoin(list<Dnf>(alternatives));
  },
  Conjunction(items) {
    return conjoin(items.asIteration().children.map((c) => toDnf(ast<Literal | Dnf>(c))));
  },
  BodyTerm_not(_bang, term) {
    return negate(toDnf(ast<Literal | Dnf>(term)), cx().span(this));
  },
  BodyTerm_paren(_l, body, _r) {
    return ast<Dnf>(body);
  },

  Constraint_match(_kw, _l, a, _comma, b, _r) {
    return { kind: "test", name: "match", args: [ast<Term>(a), ast<Term>(b)], negated: false, span: cx().span(this) };
  },
  Constraint_contains(_kw, _l, a, _comma, b, _r) {
    return { kind: "test", name: "contains", args: [ast<Term>(a), ast<Term>(b)], negated: false, span: cx().span(this) };
  },
  Constraint_true(_kw) {
    return { kind: "test", name: "true", args: [], negated: false, span: cx().span(this) };
  },
  Constraint_false(_kw) {
    return { kind: "test", name: "false", args: [], negated: false, span: cx().span(this) };
  },
  Constraint_compare(left, op, right) {
    return { kind: "compare", op: op.sourceString, left: ast<Term>(left), right: ast<Term>(right), span: cx().span(this) };
  },
};
