// Walks over the parser's terms and literals (lang/ast.ts), as the checks and
// the component expansion need them: the terms directly under a term or a
// literal, where an aggregate's body is a scope of its own and is not entered;
// the variables, aggregates and atoms of literals, in source order; and
// bottom-up rebuilds that do enter aggregate bodies (renaming a component's
// relations and types, turning `member(x, s)` atoms into tests, numbering a
// lattice operation's operands). The model's walkers are in lang/model-terms.ts.

import type { Aggregate, Atom, Literal, Term, Variable } from "../ast.js";
import { mapAll } from "../model-terms.js";

/** The direct sub-terms of a term; an aggregate's body is a separate scope and is not entered. */
export function subterms(t: Term): readonly Term[] {
  switch (t.kind) {
    case "binary":
      return [t.left, t.right];
    case "unary":
      return [t.operand];
    case "call":
      return t.args;
    case "cast":
      return [t.term];
    case "record":
    case "adt":
      return t.args;
    default:
      return [];
  }
}

/** The terms a literal is made of. */
export function literalTerms(l: Literal): readonly Term[] {
  switch (l.kind) {
    case "atom":
      return l.args;
    case "negation":
      return l.atom.args;
    case "compare":
      return [l.left, l.right];
    case "test":
      return l.args;
  }
}

/** Visits `t` and its sub-terms, stopping at aggregates (which are visited, but not entered). */
export function walkTerm(t: Term, visit: (t: Term) => void): void {
  visit(t);
  for (const s of subterms(t)) walkTerm(s, visit);
}

/** The variables of the given terms in source order, not entering aggregates. */
export function directVariables(terms: readonly Term[]): Variable[] {
  const out: Variable[] = [];
  for (const t of terms)
    walkTerm(t, (s) => {
      if (s.kind === "var") out.push(s);
    });
  return out;
}

/** The aggregates occurring in the given terms, outermost only. */
export function directAggregates(terms: readonly Term[]): Aggregate[] {
  const out: Aggregate[] = [];
  for (const t of terms)
    walkTerm(t, (s) => {
      if (s.kind === "aggregate") out.push(s);
    });
  return out;
}

/** Every term of a list of literals (not entering aggregates). */
export function termsOfLiterals(ls: readonly Literal[]): Term[] {
  return ls.flatMap((l) => [...literalTerms(l)]);
}

/** Every atom of the literals, with whether it is negated or inside an aggregate, entering aggregates. */
export function allAtoms(
  ls: readonly Literal[],
  extra: readonly Term[],
  visit: (atom: Atom, how: { negated: boolean; aggregate?: Aggregate; literal: Literal }) => void,
  inAggregate?: Aggregate,
): void {
  const inTerms = (ts: readonly Term[]): void => {
    for (const t of ts) {
      walkTerm(t, (s) => {
        if (s.kind === "aggregate") allAtoms(s.body, s.target ? [s.target] : [], visit, inAggregate ?? s);
      });
    }
  };
  for (const l of ls) {
    if (l.kind === "atom") visit(l, { negated: false, aggregate: inAggregate, literal: l });
    else if (l.kind === "negation") visit(l.atom, { negated: true, aggregate: inAggregate, literal: l });
    inTerms(literalTerms(l));
  }
  inTerms(extra);
}

/** Every variable occurrence of the literals and terms, entering aggregates, in source order. */
export function allVariables(ls: readonly Literal[], extra: readonly Term[] = []): Variable[] {
  const out: Variable[] = [];
  const inTerms = (ts: readonly Term[]): void => {
    for (const t of ts) {
      walkTerm(t, (s) => {
        if (s.kind === "var") out.push(s);
        else if (s.kind === "aggregate") {
          if (s.target) inTerms([s.target]);
          inTerms(termsOfLiterals(s.body));
        }
      });
    }
  };
  inTerms(extra);
  inTerms(termsOfLiterals(ls));
  return out;
}

/**
 * `t` rebuilt bottom-up, aggregate bodies included: the terms under a term are mapped
 * first, then `term` is applied to the term rebuilt from them; each literal of an
 * aggregate's body is mapped the same way, then passed to `literal`. What neither
 * function changes keeps its identity, so a rewrite that changes nothing returns `t`.
 */
export function mapTerm(t: Term, term: (t: Term) => Term, literal: (l: Literal) => Literal = (l) => l): Term {
  const map = (s: Term) => mapTerm(s, term, literal);
  switch (t.kind) {
    case "binary": {
      const left = map(t.left);
      const right = map(t.right);
      return term(left === t.left && right === t.right ? t : { ...t, left, right });
    }
    case "unary": {
      const operand = map(t.operand);
      return term(operand === t.operand ? t : { ...t, operand });
    }
    case "cast": {
      const inner = map(t.term);
      return term(inner === t.term ? t : { ...t, term: inner });
    }
    case "call": {
      const args = mapAll(t.args, map);
      return term(args === t.args ? t : { ...t, args });
    }
    case "aggregate": {
      const target = t.target && map(t.target);
      const body = mapAll(t.body, (l) => mapLiteral(l, term, literal));
      return term(target === t.target && body === t.body ? t : { ...t, ...(target ? { target } : {}), body });
    }
    case "record":
    case "adt": {
      const args = mapAll(t.args, map);
      return term(args === t.args ? t : { ...t, args });
    }
    case "number":
    case "string":
    case "var":
    case "wildcard":
    case "nil":
      return term(t);
  }
}

/** A literal with its terms rebuilt by mapTerm, then passed to `literal`. */
export function mapLiteral(l: Literal, term: (t: Term) => Term, literal: (l: Literal) => Literal = (x) => x): Literal {
  const map = (t: Term) => mapTerm(t, term, literal);
  const atom = (a: Atom): Atom => {
    const args = mapAll(a.args, map);
    return args === a.args ? a : { ...a, args };
  };
  switch (l.kind) {
    case "atom":
      return literal(atom(l));
    case "negation": {
      const inner = atom(l.atom);
      return literal(inner === l.atom ? l : { ...l, atom: inner });
    }
    case "compare": {
      const left = map(l.left);
      const right = map(l.right);
      return literal(left === l.left && right === l.right ? l : { ...l, left, right });
    }
    case "test": {
      const args = mapAll(l.args, map);
      return literal(args === l.args ? l : { ...l, args });
    }
  }
}
