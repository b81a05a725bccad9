// What the checks do with a rule's reads of growing values, as the analysis of
// reads (./reads/) judges them: an atom whose lattice value the rule reads
// exactly is marked `exact` (a freeze point for stratification, with why, in
// the checks' words: the variable and the place); a lattice column of the head
// that a lattice value could move down is an error (non-monotone-head). The
// CALM analysis explains the same judgments in its own words.

import { type Diagnostic, error, type Note } from "../diagnostics.js";
import type { Direction, FunctorInfo, GrowingValue, LatticeRef, MAtom, MTerm, ReadVerdict, Rule, RuleReads, ValueUse } from "../model.js";
import type { Relations } from "./declarations.js";
import { latticeText } from "./lattice-types.js";
import { misfit } from "./reads/direction.js";
import { withExactMarks } from "./reads/exact-marks.js";
import { judgeReads } from "./reads/judge.js";

type LatticeValue = Extract<GrowingValue, { kind: "lattice" }>;
/** A use read exactly: reading a lattice relation's keys alone never is. */
type ExactVerdict = ReadVerdict & { readonly use: Exclude<ValueUse, { kind: "keys" }> };

export interface LatticeReads {
  /** The rule with its exact reads marked. */
  readonly rule: Rule;
  /** Its reads, judged. */
  readonly reads: RuleReads;
  /** Why each exact atom (of `rule`) reads its value exactly. */
  readonly why: ReadonlyMap<MAtom, Note>;
}

/** Judges the reads of `rule`; reports a lattice head column that is not monotone in the lattice values it reads. */
export function latticeReads(
  rule: Rule,
  relations: Relations,
  functors: ReadonlyMap<string, FunctorInfo>,
  display: (name: string) => string,
  diagnostics: Diagnostic[],
): LatticeReads {
  const latticeOf = (a: MAtom) =>
    relations.get(a.relation)?.columns.length === a.args.length ? relations.latticeOf(a.relation) : undefined;
  const reads = judgeReads(rule, { latticeOf, functors });
  const columnName = (relation: string, i: number) => relations.get(relation)?.columns[i]?.name;
  const head = rule.head;
  const headLattice = latticeOf(head);
  const intoHeadLattice = (v: ReadVerdict) => v.use.kind === "head" && headLattice !== undefined && v.use.column === head.args.length - 1;

  // A value whose variable is joined to another column is read exactly by that equality: a plain value by the head.
  const bad = reads.verdicts.find((v) => v.verdict === "exact" && intoHeadLattice(v) && v.value.kind === "lattice" && !v.value.joined);
  if (bad?.use.kind === "head" && bad.value.kind === "lattice" && headLattice) {
    const column = columnName(head.relation, bad.use.column) ?? "";
    diagnostics.push(nonMonotoneHead(bad.value, bad.use.term, bad.direction, head, column, headLattice, display));
  }

  const why = new Map<MAtom, Note>();
  for (const value of reads.values) {
    if (value.kind !== "lattice") continue;
    // Not the head's lattice column: that one does not fit is the error above, not a freeze. And an aggregate
    // is judged where it stands in the rule: its own body is read as a whole, with the aggregate.
    const exact = reads.verdicts.filter(
      (v): v is ExactVerdict =>
        v.value === value && v.verdict === "exact" && v.use.kind !== "keys" && !intoHeadLattice(v) && inRule(v.use, rule),
    );
    const first = firstReason(exact);
    if (first) why.set(value.atom, reason(first, value, rule, display, columnName));
  }
  if (why.size === 0) return { rule, reads, why };
  const marked = withExactMarks(rule, reads, new Set(why.keys()));
  const atIndex = new Map(rule.body.map((l, i) => [l, i]));
  const byMarked = new Map([...why].map(([a, note]) => [marked.rule.body[atIndex.get(a)!] as MAtom, note]));
  return { ...marked, why: byMarked };
}

/** A lattice column of the head that could move down as the lattice value `value` grows. */
function nonMonotoneHead(
  value: LatticeValue,
  term: MTerm,
  direction: Direction | undefined,
  head: MAtom,
  column: string,
  lattice: LatticeRef,
  display: (name: string) => string,
): Diagnostic {
  const shown = display(variableOf(value));
  const why = direction && misfit(direction, lattice);
  const read = value.atom.relation;
  return error(
    "non-monotone-head",
    `the ${latticeText(lattice)} column "${column}" of "${head.relation}" must be monotone in the lattice value "${shown}", but ${why}`,
    direction?.kind === "unordered" ? direction.span : term.span,
    [
      { message: `"${shown}" is the ${latticeText(value.lattice)} value of "${read}" here`, span: value.atom.span },
      {
        message: `to use the final value of "${shown}" instead, bind it first (e.g. e = …): that reads "${read}" exactly, once it is complete`,
      },
    ],
  );
}

/** The variable in a lattice value's column (a value read exactly without one is matched against a term instead). */
function variableOf(value: LatticeValue): string {
  const last = value.atom.args[value.atom.args.length - 1];
  return last?.kind === "var" ? last.name : "";
}

/** Whether a use stands in the rule itself (its head, or a literal of its body), not in an aggregate's body. */
function inRule(u: ValueUse, rule: Rule): boolean {
  switch (u.kind) {
    case "key":
      return rule.body.includes(u.atom);
    case "negation":
    case "compare":
    case "test":
      return rule.body.includes(u.literal);
    default:
      return true;
  }
}

/**
 * The reason the checks give for an exact read: the equality that makes it one where the
 * variable is joined to another column, else its first exact use (the head, then the body).
 */
function firstReason(exact: readonly ExactVerdict[]): ExactVerdict | undefined {
  const joinedKey = (v: ExactVerdict) => v.use.kind === "key" && v.use.term.kind === "var";
  return exact.find((v) => v.use.kind === "match") ?? exact.find(joinedKey) ?? exact.find((v) => v.use.kind === "equal") ?? exact[0];
}

/** The checks' words for why `verdict` reads `value` exactly. */
function reason(
  verdict: ExactVerdict,
  value: LatticeValue,
  rule: Rule,
  display: (name: string) => string,
  columnName: (relation: string, i: number) => string | undefined,
): Note {
  const v = display(variableOf(value));
  const u = verdict.use;
  switch (u.kind) {
    case "match": {
      const what = u.term.kind === "const" ? "a constant" : "an expression";
      return {
        message: `the lattice column of "${value.atom.relation}" is matched against ${what}, which tests its exact value`,
        span: u.term.span,
      };
    }
    case "key":
      return u.term.kind === "var"
        ? {
            message: `"${v}" is also column "${columnName(u.atom.relation, u.column)}" of "${u.atom.relation}" here: equality with a lattice value reads it exactly`,
            span: u.term.span,
          }
        : { message: `"${v}" is used in an argument of "${u.atom.relation}" here`, span: u.term.span };
    case "equal": {
      const other = u.other.kind === "lattice" ? u.other.atom : value.atom;
      return {
        message: `"${v}" is also the lattice value of "${other.relation}" here: equality of lattice values reads them exactly`,
        span: other.args[other.args.length - 1]?.span,
      };
    }
    case "head":
      return {
        message: `"${v}" is stored in the ordinary column "${columnName(rule.head.relation, u.column) ?? u.column + 1}" of "${rule.head.relation}"`,
        span: u.term.span,
      };
    case "negation":
      return { message: `"${v}" is used under a negation`, span: u.literal.span };
    case "compare": {
      const op = u.literal.op;
      const message =
        op === "=" || op === "!="
          ? `the comparison with "${op}" reads the exact value of "${v}"`
          : `this comparison is not upward-closed in ${latticeText(value.lattice)}: it may turn false as "${v}" grows`;
      return { message, span: u.literal.span };
    }
    case "test":
      return { message: `${u.literal.negated ? "!" : ""}${u.literal.name}(…) reads the exact value of "${v}"`, span: u.literal.span };
  }
}
