// Soufflé's subsumption in its general form, `R(a…) <= R(b…) :- body.`: a
// tuple of R matching the left atom is deleted when another tuple of R matches
// the right one and the body holds. Forms that are a dominance on the last
// column become a lattice column (subsumption.ts); for any other, the program
// is rewritten before the checks into plain Datalog with the same result once
// evaluation ends: R's rules derive `R$all`; `R$dominated` holds the tuples of
// `R$all` that another tuple of it dominates (one rule per column in which the
// two may differ, since a tuple never dominates itself); and
//   R(x…) :- R$all(x…), !R$dominated(x…).
// so everything else reads, and outputs, only the tuples no other one
// dominates. Soufflé deletes dominated tuples while it iterates; here R's own
// rules still see them, which gives the same final R when what a dominated
// tuple derives is dominated too (as in the interval and shortest-path uses).

import type { Atom, Clause, Directive, Item, Literal, Program, RelationDecl, Subsumption, Term } from "../ast.js";
import { allAtoms, mapLiteral } from "./ast-terms.js";
import { readSubsumption } from "./subsumption.js";

export const ALL = "$all";
export const DOMINATED = "$dominated";

/** The program with each relation that has a subsumption of a form other than a dominance on its last column rewritten. */
export function rewriteSubsumptions(program: Program): Program {
  const arity = new Map<string, number>();
  for (const it of program.items) if (it.kind === "decl" && !arity.has(it.name)) arity.set(it.name, it.attributes.length);
  // Only subsumptions on a declared relation with atoms of its arity (the checks report the others).
  const fits = (s: Subsumption) =>
    s.dominated.relation === s.dominating.relation &&
    arity.get(s.dominated.relation) === s.dominated.args.length &&
    s.dominating.args.length === s.dominated.args.length;
  const general = new Set<string>();
  for (const it of program.items) {
    if (it.kind === "subsumption" && fits(it) && typeof readSubsumption(it) === "string") general.add(it.dominated.relation);
  }
  if (general.size === 0) return program;
  // A subsumption whose two atoms are the same tuple dominates nothing (a tuple never dominates itself).
  const someRule = new Set<string>();
  for (const it of program.items) {
    if (it.kind !== "subsumption" || !general.has(it.dominated.relation) || !fits(it)) continue;
    if (dominance(it, (l) => l).length > 0) someRule.add(it.dominated.relation);
  }
  const idle = new Set([...general].filter((r) => !someRule.has(r)));
  for (const r of idle) general.delete(r);
  const decls = new Map<string, RelationDecl>();
  for (const it of program.items) if (it.kind === "decl" && general.has(it.name) && !decls.has(it.name)) decls.set(it.name, it);

  // Relations recursive with R (R's own rules, and those of the relations its subsumptions read that read R) see
  // every tuple R ever derived, as they would while Soufflé iterates: they read R$all.
  const reads = new Map<string, Set<string>>();
  const edge = (from: string, body: readonly (readonly Literal[])[]) => {
    const set = reads.get(from) ?? new Set<string>();
    allAtoms(body.flat(), [], (atom) => {
      set.add(atom.relation);
    });
    reads.set(from, set);
  };
  for (const it of program.items) {
    if (it.kind === "clause") for (const h of it.heads) edge(h.relation, it.body ?? []);
    else if (it.kind === "subsumption" && general.has(it.dominated.relation)) edge(it.dominated.relation, it.body);
  }
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      for (const n of reads.get(stack.pop()!) ?? []) if (!seen.has(n)) stack.push(n), seen.add(n);
    }
    return seen;
  };
  const cycleOf = new Map<string, Set<string>>();
  for (const r of general) cycleOf.set(r, new Set([r, ...[...reach(r)].filter((n) => reach(n).has(r))]));
  const seesAll = (head: string, r: string) => cycleOf.get(r)?.has(head) ?? false;

  const renameFor =
    (head: string | undefined) =>
    (a: Atom): Atom =>
      general.has(a.relation) && (head === undefined || seesAll(head, a.relation)) ? { ...a, relation: a.relation + ALL } : a;
  const bodyFor = (head: string | undefined) => {
    const rename = renameFor(head);
    return (l: Literal): Literal =>
      mapLiteral(
        l,
        (t) => t,
        (x) => (x.kind === "atom" ? rename(x) : x.kind === "negation" ? { ...x, atom: rename(x.atom) } : x),
      );
  };
  const rename = renameFor(undefined);
  const inBody = bodyFor(undefined);
  const out: Item[] = [];
  for (const it of program.items) {
    if (it.kind === "decl" && decls.get(it.name) === it) {
      out.push(it, { ...it, name: it.name + ALL, qualifiers: [] }, { ...it, name: it.name + DOMINATED, qualifiers: [] });
      out.push(filtered(it));
    } else if (it.kind === "clause" && it.heads.some((h) => [...general].some((r) => seesAll(h.relation, r)))) {
      // R's rules derive R$all; rules recursive with R read R$all (what they see while R is computed).
      const body = bodyFor(it.heads[0]!.relation);
      out.push({
        ...it,
        heads: it.heads.map((h) => (general.has(h.relation) ? rename(h) : h)),
        ...(it.body ? { body: it.body.map((conj) => conj.map(body)) } : {}),
      });
    } else if (it.kind === "subsumption" && general.has(it.dominated.relation) && fits(it)) {
      out.push(...dominance(it, inBody));
    } else if (it.kind === "subsumption" && idle.has(it.dominated.relation) && fits(it)) {
      // A subsumption that dominates nothing is dropped.
    } else if (it.kind === "directive" && it.directive === "input" && general.has(it.relation)) {
      const params = it.params["filename"] === undefined ? { ...it.params, filename: `${it.relation}.facts` } : it.params;
      out.push({ ...it, relation: it.relation + ALL, params } satisfies Directive);
    } else out.push(it);
  }
  return { items: out };
}

/** `R(x…) :- R$all(x…), !R$dominated(x…).` */
function filtered(d: RelationDecl): Clause {
  const span = d.span;
  const args: Term[] = d.attributes.map((_, i) => ({ kind: "var", name: `x${i}`, span }));
  const atom = (relation: string): Atom => ({ kind: "atom", relation, args, span });
  return {
    kind: "clause",
    heads: [atom(d.name)],
    body: [[atom(d.name + ALL), { kind: "negation", atom: atom(d.name + DOMINATED), span }]],
    span,
  };
}

/** The rules of `R$dominated` for one subsumption: one per column in which the dominated and the dominating tuple may differ. */
function dominance(s: Subsumption, inBody: (l: Literal) => Literal): Clause[] {
  const relation = s.dominated.relation;
  let fresh = 0;
  const named = (t: Term): Term => (t.kind === "wildcard" ? { kind: "var", name: `sub'${fresh++}`, span: t.span } : t);
  // The dominated tuple's wildcards become variables: they are the head's.
  const a = s.dominated.args.map(named);
  const out: Clause[] = [];
  a.forEach((ai, i) => {
    const bi = s.dominating.args[i]!;
    if (ai.kind === "var" && bi.kind === "var" && ai.name === bi.name) return;
    const b = s.dominating.args.map((t, j) => (j === i ? named(t) : t));
    const differ: Literal = { kind: "compare", op: "!=", left: ai, right: b[i]!, span: s.span };
    const head: Atom = { kind: "atom", relation: relation + DOMINATED, args: a, span: s.dominated.span };
    const left: Atom = { kind: "atom", relation: relation + ALL, args: a, span: s.dominated.span };
    const right: Atom = { kind: "atom", relation: relation + ALL, args: b, span: s.dominating.span };
    out.push({
      kind: "clause",
      heads: [head],
      body: s.body.map((conj) => [left, right, differ, ...conj.map(inBody)]),
      span: s.span,
    });
  });
  return out;
}
