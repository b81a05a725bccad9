// Grounding: every variable must be bound by a positive atom or by an equality
// with a grounded term, scope by scope (an aggregate's body is a scope). Also:
// where `_` may appear, and that facts hold only constants.

import type { Aggregate, Literal, Term, Variable } from "../ast.js";
import { error, type Diagnostic, type Note } from "../diagnostics.js";
import type { ScopeNode, Scoped } from "./scope.js";
import { literalTerms, subterms, walkTerm } from "./ast-terms.js";
import { groundFixpoint } from "./ground-fixpoint.js";

/** Variable occurrences of a scope (not entering nested aggregates): its terms first, then its literals. */
function occurrences(s: ScopeNode): { v: Variable; literal?: Literal }[] {
  const out: { v: Variable; literal?: Literal }[] = [];
  const add = (ts: readonly Term[], literal?: Literal): void => {
    for (const t of ts)
      walkTerm(t, (x) => {
        if (x.kind === "var") out.push({ v: x, literal });
      });
  };
  add(s.terms);
  for (const l of s.literals) add(literalTerms(l), l);
  return out;
}

/** Reports each variable of a rule that is not grounded in its scope, once, at its first occurrence; and witnesses that cannot be. */
export function checkGrounding(scoped: Scoped, diagnostics: Diagnostic[], inlineHead?: string): void {
  const name = (v: Variable) => scoped.names.get(v);
  const groundedIn = new Map<ScopeNode, Set<string>>();
  const reported = new Set<string>();
  // Witnesses ground the rule's variable; one that cannot be a witness is reported as such, not as ungrounded.
  const witnessed = new Set<string>();
  for (const w of scoped.witnesses) {
    witnessed.add(w.name);
    if (!w.problem || reported.has(w.name)) continue;
    reported.add(w.name);
    diagnostics.push(error("aggregate-witness", w.problem.message, w.at, [...w.problem.notes]));
  }
  const visit = (s: ScopeNode, inherited: ReadonlySet<string>): void => {
    const g = groundFixpoint(s.literals, name, inherited, () => true);
    groundedIn.set(s, g);
    s.children.forEach((c) => visit(c, g));
  };
  visit(scoped.root, witnessed);

  const check = (s: ScopeNode): void => {
    const g = groundedIn.get(s)!;
    const occ = occurrences(s);
    for (const { v } of occ) {
      const m = name(v)!;
      if (g.has(m) || reported.has(m)) continue;
      reported.add(m);
      const notes: Note[] = [];
      const negated = occ.find((o) => name(o.v) === m && o.literal?.kind === "negation");
      if (negated) notes.push({ message: `"${v.name}" occurs in a negated atom here, which does not ground it`, span: negated.v.span });
      if (s.aggregate) {
        notes.push({ message: `variables of an aggregate's body are local to it unless grounded outside it`, span: s.aggregate.span });
        const inner = boundBelow(s, v.name, scoped, groundedIn);
        if (inner) {
          const why =
            inner.fn === "min" || inner.fn === "max"
              ? "only the rule itself, outside every aggregate, receives witnesses"
              : `${inner.fn} has no witnesses`;
          notes.push({ message: `"${v.name}" is bound inside this ${inner.fn}, but ${why}`, span: inner.span });
        }
      } else if (inlineHead) {
        notes.push({
          message: `"${inlineHead}" is declared inline, but is also read where its rules cannot be substituted (negated, in an aggregate, or through a cycle), so they must be grounded on their own`,
        });
      }
      const where = s.aggregate ? "in this aggregate" : "in this rule";
      diagnostics.push(error("ungrounded-variable", `variable "${v.name}" is not grounded ${where}`, v.span, notes));
    }
    s.children.forEach(check);
  };
  check(scoped.root);
}

/** A nested aggregate in which a same-named local variable is grounded, if any. */
function boundBelow(s: ScopeNode, shown: string, scoped: Scoped, groundedIn: ReadonlyMap<ScopeNode, Set<string>>): Aggregate | undefined {
  for (const c of s.children) {
    const g = groundedIn.get(c)!;
    for (const m of c.locals) {
      if (scoped.display.get(m) === shown && g.has(m)) return c.aggregate;
    }
    const deeper = boundBelow(c, shown, scoped, groundedIn);
    if (deeper) return deeper;
  }
  return undefined;
}

/** `_` may only be an argument of an atom of the body, or a side of an equality in the body (`_ = max x : …` discards a value). */
export function checkWildcards(headArgs: readonly Term[], body: readonly Literal[], diagnostics: Diagnostic[]): void {
  const inTerm = (t: Term, allowedHere: boolean, inHead: boolean): void => {
    if (t.kind === "wildcard") {
      if (inHead) diagnostics.push(error("wildcard-in-head", `"_" cannot be used in the head of a rule`, t.span));
      else if (!allowedHere)
        diagnostics.push(error("wildcard-misplaced", `"_" can only be an argument of an atom, or a side of an equality`, t.span));
      return;
    }
    if (t.kind === "aggregate") {
      if (t.target) inTerm(t.target, false, false);
      inLiterals(t.body);
      return;
    }
    // A field of a record or branch pattern may be `_` wherever the pattern may.
    const fieldsToo = (t.kind === "record" || t.kind === "adt") && allowedHere;
    for (const s of subterms(t)) inTerm(s, fieldsToo, inHead);
  };
  const inLiterals = (ls: readonly Literal[]): void => {
    for (const l of ls) {
      if (l.kind === "compare" && l.op === "=") {
        inTerm(l.left, l.right.kind !== "wildcard", false);
        inTerm(l.right, l.left.kind !== "wildcard", false);
        continue;
      }
      const allowed = l.kind === "atom" || l.kind === "negation";
      for (const t of literalTerms(l)) inTerm(t, allowed, false);
    }
  };
  for (const t of headArgs) inTerm(t, false, true);
  inLiterals(body);
}

/** A fact's arguments must be constants or functors over constants (a fact with an aggregate is checked as a rule). */
export function checkFact(headArgs: readonly Term[], diagnostics: Diagnostic[]): void {
  const bad = (t: Term): string | undefined => {
    switch (t.kind) {
      case "var":
        return `variable "${t.name}"`;
      case "call":
        return t.name === "autoinc" ? "autoinc()" : t.args.map(bad).find((x) => x !== undefined);
      case "wildcard":
        return undefined; // reported as a wildcard in the head
      default:
        return subterms(t)
          .map(bad)
          .find((x) => x !== undefined);
    }
  };
  for (const t of headArgs) {
    const what = bad(t);
    if (what) diagnostics.push(error("non-constant-fact", `a fact can only hold constants, but this argument contains ${what}`, t.span));
  }
}
