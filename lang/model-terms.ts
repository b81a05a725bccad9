// Walks over the checked program's terms and literals (lang/model.ts): the
// terms directly under a term, a literal or a rule; searches, visits and
// rebuilds (bottom-up, or top-down replacing whole subterms) of a term with
// everything under it (aggregate bodies included); the variables of a term or
// a literal; every atom a rule reads with where it stands. The checks (stratification, witnesses, lattice reads), the CALM
// analysis, the magic-set transformation and code generation share them, so
// only these functions spell out which fields of a term hold other terms.

import type { AggregateFn } from "./ast.js";
import type { MAtom, MLiteral, MTerm, Rule } from "./model.js";

/** The terms directly under a literal. */
export function literalTerms(l: MLiteral): readonly MTerm[] {
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

/** The terms directly under a term: operands, arguments, and an aggregate's target and the terms of its body's literals. */
export function subterms(t: MTerm): readonly MTerm[] {
  switch (t.kind) {
    case "binary":
      return [t.left, t.right];
    case "unary":
      return [t.operand];
    case "cast":
      return [t.term];
    case "call":
      return t.args;
    case "aggregate":
      return [...(t.target ? [t.target] : []), ...t.body.flatMap(literalTerms)];
    case "const":
    case "var":
    case "wildcard":
      return [];
  }
}

/** The terms of a rule: the head's arguments, then the terms of its body's literals. */
export function ruleTerms(r: Rule): readonly MTerm[] {
  return [...r.head.args, ...r.body.flatMap(literalTerms)];
}

/**
 * Calls `visit` on `t` and on every term under it, outermost first (an aggregate before
 * its target and body). Where `visit` returns false, the terms under that one are skipped.
 */
export function visitTerms(t: MTerm, visit: (t: MTerm) => unknown): void {
  if (visit(t) === false) return;
  for (const s of subterms(t)) visitTerms(s, visit);
}

/** Whether `t` or a term under it (aggregate bodies included) satisfies `p`. */
export function someTerm(t: MTerm, p: (t: MTerm) => boolean): boolean {
  return p(t) || subterms(t).some((s) => someTerm(s, p));
}

/**
 * `t` rebuilt bottom-up: the terms under it (aggregate bodies included) are mapped first,
 * then `f` is applied to the term rebuilt from them. A term whose children `f` left as they
 * were is passed to `f` as it is, so an `f` that changes nothing returns `t` itself.
 */
export function mapTerm(t: MTerm, f: (t: MTerm) => MTerm): MTerm {
  return f(withSubterms(t, (s) => mapTerm(s, f)));
}

/**
 * `t` rebuilt top-down: where `f` gives a term, that term stands in place of the one it was
 * given and nothing under that one is visited; where `f` gives undefined, the terms under it
 * are visited in turn (aggregate bodies included). Lifting each outermost aggregate out of a
 * term, or replacing a variable, is such a rebuild; what `f` leaves keeps its identity.
 */
export function replaceTerms(t: MTerm, f: (t: MTerm) => MTerm | undefined): MTerm {
  return f(t) ?? withSubterms(t, (s) => replaceTerms(s, f));
}

/**
 * `t` with each term directly under it (as subterms() lists them: an aggregate's target and
 * the terms of its body's literals) replaced by `g` of it; `t` itself when none changed.
 */
function withSubterms(t: MTerm, g: (t: MTerm) => MTerm): MTerm {
  switch (t.kind) {
    case "binary": {
      const left = g(t.left);
      const right = g(t.right);
      return left === t.left && right === t.right ? t : { ...t, left, right };
    }
    case "unary": {
      const operand = g(t.operand);
      return operand === t.operand ? t : { ...t, operand };
    }
    case "cast": {
      const term = g(t.term);
      return term === t.term ? t : { ...t, term };
    }
    case "call": {
      const args = mapAll(t.args, g);
      return args === t.args ? t : { ...t, args };
    }
    case "aggregate": {
      const target = t.target && g(t.target);
      const body = mapAll(t.body, (l) => withTerms(l, g));
      return target === t.target && body === t.body ? t : { ...t, ...(target ? { target } : {}), body };
    }
    case "const":
    case "var":
    case "wildcard":
      return t;
  }
}

/** A literal with each of its terms rebuilt by mapTerm; the literal itself when none changed. */
export function mapLiteral(l: MLiteral, f: (t: MTerm) => MTerm): MLiteral {
  return withTerms(l, (t) => mapTerm(t, f));
}

/** A literal with each term directly under it replaced by `g` of it; the literal itself when none changed. */
function withTerms(l: MLiteral, g: (t: MTerm) => MTerm): MLiteral {
  const atom = (a: MAtom): MAtom => {
    const args = mapAll(a.args, g);
    return args === a.args ? a : { ...a, args };
  };
  switch (l.kind) {
    case "atom":
      return atom(l);
    case "negation": {
      const inner = atom(l.atom);
      return inner === l.atom ? l : { ...l, atom: inner };
    }
    case "compare": {
      const left = g(l.left);
      const right = g(l.right);
      return left === l.left && right === l.right ? l : { ...l, left, right };
    }
    case "test": {
      const args = mapAll(l.args, g);
      return args === l.args ? l : { ...l, args };
    }
  }
}

/** `xs` mapped, or `xs` itself when every element maps to itself (the AST's walkers use it too). */
export function mapAll<T>(xs: readonly T[], f: (x: T) => T): readonly T[] {
  const ys = xs.map(f);
  return ys.every((y, i) => y === xs[i]) ? xs : ys;
}

/** The variables of a term, aggregates' local variables included, added to `out`. */
export function termVars(t: MTerm, out: Set<string> = new Set()): Set<string> {
  visitTerms(t, (s) => {
    if (s.kind === "var") out.add(s.name);
  });
  return out;
}

/** The variables of a literal, added to `out`. */
export function literalVars(l: MLiteral, out: Set<string> = new Set()): Set<string> {
  for (const t of literalTerms(l)) termVars(t, out);
  return out;
}

/** Where an atom stands in a rule: under negation, and inside which aggregate (the outermost), if any. */
export interface AtomPlace {
  readonly negated: boolean;
  readonly aggregate?: AggregateFn;
}

/**
 * Calls `visit` for every atom a rule reads, negated ones and those inside
 * aggregates (of the head's terms or the body) included, with its place and
 * the literal it stands in.
 */
export function visitRuleAtoms(rule: Rule, visit: (atom: MAtom, place: AtomPlace, literal: MLiteral) => void): void {
  const inTerm = (t: MTerm, agg: AggregateFn | undefined): void =>
    visitTerms(t, (s) => {
      if (s.kind !== "aggregate") return true;
      if (s.target) inTerm(s.target, agg ?? s.fn);
      inLiterals(s.body, agg ?? s.fn);
      return false;
    });
  const inLiterals = (ls: readonly MLiteral[], agg: AggregateFn | undefined): void => {
    for (const l of ls) {
      if (l.kind === "atom") visit(l, { negated: false, aggregate: agg }, l);
      else if (l.kind === "negation") visit(l.atom, { negated: true, aggregate: agg }, l);
      for (const t of literalTerms(l)) inTerm(t, agg);
    }
  };
  for (const t of rule.head.args) inTerm(t, undefined);
  inLiterals(rule.body, undefined);
}
