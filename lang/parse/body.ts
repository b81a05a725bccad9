// Rule bodies in disjunctive normal form: `,` distributes over `;`, and `!`
// over a parenthesised body follows De Morgan, as Soufflé's RuleBody does.

import type { CompareOp, Literal } from "../ast.js";
import type { Span } from "../span.js";

/** One conjunction per alternative. */
export type Dnf = Literal[][];

/** The body of a single literal. */
export function single(lit: Literal): Dnf {
  return [[lit]];
}

/** A body term's value (one literal, or a body already in DNF) as a DNF. */
export function toDnf(x: Literal | Dnf): Dnf {
  return Array.isArray(x) ? x : single(x);
}

/** `a ; b`: the alternatives of both. */
export function disjoin(parts: readonly Dnf[]): Dnf {
  return parts.flat();
}

/** `a , b`: every alternative of `a` with every alternative of `b`. */
export function conjoin(parts: readonly Dnf[]): Dnf {
  let acc: Dnf = [[]];
  for (const part of parts) {
    if (part.length === 1) {
      // The common case, a single literal or conjunction: no copying of alternatives.
      const only = part[0]!;
      for (const conj of acc) conj.push(...only);
      continue;
    }
    const next: Dnf = [];
    for (const left of acc) for (const right of part) next.push([...left, ...right]);
    acc = next;
  }
  return acc;
}

const NEGATED_COMPARE: Readonly<Record<CompareOp, CompareOp>> = {
  "=": "!=",
  "!=": "=",
  "<": ">=",
  ">=": "<",
  "<=": ">",
  ">": "<=",
};

/** The negation of one literal; `span`, when given, replaces the literal's own span. */
export function negateLiteral(lit: Literal, span?: Span): Literal {
  switch (lit.kind) {
    case "atom":
      return { kind: "negation", atom: lit, span: span ?? lit.span };
    case "negation":
      return span ? { ...lit.atom, span } : lit.atom;
    case "compare":
      return { ...lit, op: NEGATED_COMPARE[lit.op], span: span ?? lit.span };
    case "test":
      if (lit.name === "true" || lit.name === "false") {
        return { ...lit, name: lit.name === "true" ? "false" : "true", span: span ?? lit.span };
      }
      return { ...lit, negated: !lit.negated, span: span ?? lit.span };
  }
}

/** `!body`: the negation of a whole body, again in DNF. */
export function negate(body: Dnf, span: Span): Dnf {
  const first = body[0];
  if (body.length === 1 && first?.length === 1) return single(negateLiteral(first[0]!, span));
  // !(C1 ; C2 ; …) = !C1 , !C2 , …   and   !(l1 , l2 , …) = !l1 ; !l2 ; …
  return conjoin(body.map((conj) => conj.map((lit) => [negateLiteral(lit)])));
}
