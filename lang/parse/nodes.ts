// AST node constructors shared by the grammar's actions and the hand-written
// fast path, so that both build the very same objects (same keys, same order).

import type {
  AggregateFn,
  ArithOp,
  Atom,
  Attribute,
  Clause,
  ComponentDecl,
  ComponentInit,
  ComponentRef,
  DirectiveKind,
  Directive,
  FunctorDecl,
  LatticeDecl,
  Literal,
  NumberLit,
  Pragma,
  Item,
  Override,
  PlanEntry,
  RelationDecl,
  Subsumption,
  Term,
  TypeRef,
} from "../ast.js";
import type { Dnf } from "./body.js";
import type { DecodedNumber } from "./literals.js";
import type { Span } from "../span.js";

export function numberNode(text: string, decoded: DecodedNumber, span: Span): NumberLit {
  const { value, numType } = decoded;
  return { kind: "number", text, value, span, ...(numType ? { numType } : {}) };
}

/** `-5` is the literal -5, as in Soufflé; `-x`, `-(-5)` and `-2^2` stay negations. */
export function negativeNode(inner: Term, span: Span): Term {
  if (inner.kind === "number" && !inner.text.startsWith("-")) {
    const lit: NumberLit = { ...inner, text: `-${inner.text}`, value: -inner.value, span };
    return lit;
  }
  return { kind: "unary", op: "neg", operand: inner, span };
}

/** An operand of a flat operator chain, with the offsets of the text it came from. */
export interface Operand {
  readonly term: Term;
  readonly start: number;
  readonly end: number;
}

/** Soufflé's binding strength of the binary operators other than `^` (all left-associative). */
const PRECEDENCE: Readonly<Record<string, number>> = {
  lor: 1,
  lxor: 2,
  land: 3,
  bor: 4,
  bxor: 5,
  band: 6,
  bshl: 7,
  bshr: 7,
  bshru: 7,
  "+": 8,
  "-": 8,
  "*": 9,
  "/": 9,
  "%": 9,
};

/** The tree of `t0 op1 t1 op2 t2 …`, by precedence climbing. */
export function climb(
  first: Operand,
  ops: readonly ArithOp[],
  rest: readonly Operand[],
  spanAt: (start: number, end: number) => Span,
): Term {
  let i = 0;
  const parse = (left: Operand, minPrec: number): Operand => {
    while (i < ops.length && PRECEDENCE[ops[i]!]! >= minPrec) {
      const op = ops[i]!;
      let right = rest[i++]!;
      while (i < ops.length && PRECEDENCE[ops[i]!]! > PRECEDENCE[op]!) right = parse(right, PRECEDENCE[ops[i]!]!);
      const span = spanAt(left.start, right.end);
      left = { term: { kind: "binary", op, left: left.term, right: right.term, span }, start: left.start, end: right.end };
    }
    return left;
  };
  return parse(first, 0).term;
}

export function aggregateNode(fn: AggregateFn, target: Term | undefined, body: Literal[], span: Span): Term {
  return { kind: "aggregate", fn, ...(target ? { target } : {}), body, span };
}

export function atomNode(relation: string, args: Term[], span: Span): Atom {
  return { kind: "atom", relation, args, span };
}

export function ruleNode(heads: Atom[], body: Dnf, span: Span, plan?: PlanEntry[]): Clause {
  return { kind: "clause", heads, body, span, ...(plan ? { plan } : {}) };
}

export function subsumptionNode(dominated: Atom, dominating: Atom, body: Dnf, span: Span): Subsumption {
  return { kind: "subsumption", dominated, dominating, body, span };
}

export function componentNode(type: ComponentRef, bases: ComponentRef[], items: Item[], span: Span): ComponentDecl {
  return { kind: "component", name: type.name, params: type.args, bases, items, span };
}

export function initNode(instance: string, component: ComponentRef, span: Span): ComponentInit {
  return { kind: "init", instance, component, span };
}

export function overrideNode(relation: string, span: Span): Override {
  return { kind: "override", relation, span };
}

export function factNode(atom: Atom, span: Span): Clause {
  return { kind: "clause", heads: [atom], span };
}

/** A type as written: `args` undefined for a plain name, [] for `Name<>`. */
export function typeRefNode(name: string, args: TypeRef[] | undefined, span: Span): TypeRef {
  return { name, ...(args ? { args } : {}), span };
}

export function attributeNode(name: string, type: TypeRef, span: Span): Attribute {
  return { name, type, span };
}

export function functorNode(name: string, params: Attribute[], result: TypeRef, qualifiers: string[], span: Span): FunctorDecl {
  return { kind: "functor", name, params, result, qualifiers, span };
}

/** The operator names a `.lattice` declaration may give. */
export const LATTICE_OPS: ReadonlySet<string> = new Set(["Bottom", "Top", "Lub", "Glb"]);

export type LatticeOpNode = LatticeDecl["ops"][number];

export function latticeOpNode(op: LatticeOpNode["op"], term: Term, span: Span): LatticeOpNode {
  return { op, term, span };
}

export function latticeNode(name: string, ops: LatticeOpNode[], span: Span): LatticeDecl {
  return { kind: "lattice", name, ops, span };
}

/** `.decl a, b(…) quals`: one declaration per name, sharing attributes and qualifiers. */
export function declNodes(
  names: readonly { name: string; span: Span }[],
  attributes: Attribute[],
  qualifiers: string[],
  span: Span,
): RelationDecl[] {
  return names.map((n): RelationDecl => ({ kind: "decl", name: n.name, attributes, qualifiers, span, nameSpan: n.span }));
}

/** `.input a, b(k=v, …)`: one directive per relation, each with its own copy of the parameters. */
export function directiveNodes(
  directive: DirectiveKind,
  names: readonly { name: string; span: Span }[],
  pairs: readonly [string, string][],
  span: Span,
): Directive[] {
  const params: Record<string, string> = {};
  for (const [key, value] of pairs) params[key] = value;
  return names.map((n) => ({ kind: "directive", directive, relation: n.name, params: { ...params }, span, relationSpan: n.span }));
}

export function pragmaNode(key: string, value: string | undefined, span: Span): Pragma {
  return { kind: "pragma", key, ...(value !== undefined ? { value } : {}), span };
}
