// The CALM analysis's words for a rule's judged reads (lang/model.ts's
// RuleReads, judged by lang/check/reads): what each growing value is and what
// makes it grow, why a use needs it exact (with the lattice column that would
// remove the barrier, where there is one), which tests are thresholds, which
// flows into a lattice column only move up.

import { misfit } from "../check/reads/direction.js";
import type { Direction, GrowingValue, LatticeRef, MAtom, ReadVerdict, Rule, RuleReads, ValueUse } from "../model.js";
import type { Span } from "../span.js";
import { displayName, latticeText, printAtom, printLiteral, printTerm } from "./print.js";
import type { Reason } from "./types.js";

/** An exact read, in words. */
export interface Problem {
  readonly value: GrowingValue;
  readonly message: string;
  /** Where the value is used exactly. */
  readonly span: Span;
  /** Set when the cause is a user functor not declared monotone. */
  readonly functor?: string;
  /** A lattice column that would make the use monotone. */
  readonly fix?: string;
}

export interface Explained {
  readonly problems: readonly Problem[];
  /** Threshold tests and reads of keys alone. */
  readonly thresholds: readonly Reason[];
  /** Monotone flows into the head's lattice column. */
  readonly flows: readonly Reason[];
}

/** What the analysis needs of the program to name columns and lattices. */
export interface Columns {
  readonly latticeOf: (atom: MAtom) => LatticeRef | undefined;
  /** The name of column `i` of a relation. */
  readonly columnName: (relation: string, i: number) => string;
}

/** `the min<number> value of "dist"`, `count over "votes"`. */
export function label(v: GrowingValue): string {
  if (v.kind === "lattice") return `the ${latticeText(v.lattice)} value of "${v.atom.relation}"`;
  const rels = relationsOf(v);
  return rels.length > 0 ? `${v.aggregate.fn} over ${rels.map((r) => `"${r}"`).join(", ")}` : `${v.aggregate.fn} : { … }`;
}

/** What makes it move: `the min<number> value of "dist" grows`, `"votes" gains facts`. */
function grows(v: GrowingValue): string {
  if (v.kind === "lattice") return `${label(v)} grows`;
  const rels = relationsOf(v);
  return rels.length > 0 ? `${rels.map((r) => `"${r}"`).join(", ")} ${rels.length === 1 ? "gains" : "gain"} facts` : "its input grows";
}

function keysOnly(v: GrowingValue): string {
  const of = v.kind === "lattice" ? `"${v.atom.relation}" (${latticeText(v.lattice)})` : label(v);
  return `reads only the keys of ${of}: a key, once present, stays present`;
}

function relationsOf(v: Extract<GrowingValue, { kind: "aggregate" }>): string[] {
  return [...new Set(v.reads.map((a) => a.relation))];
}

export function explain(rule: Rule, reads: RuleReads, cols: Columns): Explained {
  const problems: Problem[] = [];
  const thresholds: Reason[] = [];
  const flows: Reason[] = [];
  const head = rule.head;
  const headLattice = cols.latticeOf(head);
  for (const verdict of reads.verdicts) {
    const { value, use, span } = verdict;
    if (verdict.verdict === "threshold") {
      const message =
        use.kind === "compare" || use.kind === "test"
          ? `${printLiteral(use.literal)} is a threshold on ${label(value)}: once true it stays true`
          : keysOnly(value);
      thresholds.push({ message, span });
    } else if (verdict.verdict === "monotone" && use.kind === "head" && headLattice) {
      const col = cols.columnName(head.relation, use.column);
      flows.push({
        message: `${printTerm(use.term)} only moves up in the ${latticeText(headLattice)} column "${col}" as ${grows(value)}`,
        span,
      });
    } else if (verdict.verdict === "exact" && use.kind !== "keys") {
      const message = problem({ ...verdict, use }, reads, head, headLattice, cols);
      // One sentence per value and cause: a value used the same way twice is explained once.
      if (!problems.some((p) => p.value === value && p.message === message)) {
        const d = verdict.direction;
        const functor = d?.kind === "unordered" ? d.functor : undefined;
        const fix = use.kind === "head" && !headLattice && use.column === head.args.length - 1 && d ? columnLattice(value, d) : undefined;
        const col = use.kind === "head" ? cols.columnName(head.relation, use.column) : "";
        problems.push({
          value,
          message,
          span,
          ...(functor ? { functor } : {}),
          ...(fix
            ? { fix: `declare the column "${col}" of "${head.relation}" as ${fix}: the value then only grows there, with no barrier` }
            : {}),
        });
      }
    }
  }
  return { problems, thresholds, flows };
}

/** A use that may need its value exact: any but a read of keys alone. */
type ExactVerdict = ReadVerdict & { readonly use: Exclude<ValueUse, { kind: "keys" }> };

/** Why `verdict` needs its value exact, in a sentence. */
function problem(verdict: ExactVerdict, reads: RuleReads, head: MAtom, headLattice: LatticeRef | undefined, cols: Columns): string {
  const { value, use } = verdict;
  const s = label(value);
  const d = verdict.direction;
  const why = d?.kind === "unordered" ? d.why : undefined;
  switch (use.kind) {
    case "head": {
      const col = cols.columnName(head.relation, use.column);
      if (headLattice && use.column === head.args.length - 1) {
        const target = latticeText(headLattice);
        const cause = why ? `: ${why}` : `, which moves down in ${target} as ${grows(value)}`;
        return `${s} flows into the ${target} column "${col}" of "${head.relation}" through ${printTerm(use.term)}${cause}`;
      }
      const tail =
        value.kind === "aggregate"
          ? `only the ${value.aggregate.fn} over the complete input is right`
          : "an exact read of a value that may still grow";
      return `${s} is bound into the ${headLattice ? "key" : "ordinary"} column "${col}" of "${head.relation}": ${tail}`;
    }
    case "key":
      return `${s} is used as a key of "${use.atom.relation}" (${displayName(printTerm(use.term))}): an exact read`;
    case "equal": {
      // Each atom tells its own side; the sentence names the pair in a fixed order.
      const [x, y] = reads.values.indexOf(value) < reads.values.indexOf(use.other) ? [value, use.other] : [use.other, value];
      const name = use.term.kind === "var" ? displayName(use.term.name) : printTerm(use.term);
      return `${label(x)} and ${label(y)} must be equal (both are ${name}): an exact read of both`;
    }
    case "match":
      return `${value.kind === "lattice" ? printAtom(value.atom) : printTerm(use.term)} tests ${s} for equality with ${printTerm(use.term)}: an exact read`;
    case "negation":
      return `${s} is tested by the negation ${printLiteral(use.literal)}: an exact read`;
    case "compare": {
      const text = printLiteral(use.literal);
      // A definition reads a lattice value only through an aggregate, which says why.
      if (use.binds)
        return why ? `${text}: ${why}: an exact read of ${s}` : `${text} binds ${displayName(use.binds)} to ${s}: an exact read`;
      const op = use.literal.op;
      if (op === "=" || op === "!=") return `${text} compares ${s} for ${op === "=" ? "equality" : "inequality"}: an exact read`;
      if (why) return `${text}: ${why}: an exact read of ${s}`;
      return `${text} is not upward-closed: it can turn false as ${grows(value)}`;
    }
    case "test": {
      const text = printLiteral(use.literal);
      if (use.element) return `${text} tests whether ${s} is an element: an exact read`;
      if (use.literal.name === "member" && !use.literal.negated)
        return `${text} on ${s} is not upward-closed${why ? `: ${why}` : ""}: an exact read`;
      return `${text} ${use.literal.negated && use.literal.name === "member" ? `can turn false as ${grows(value)}` : `is not monotone in ${s}`}: an exact read`;
    }
  }
}

/** The lattice a plain last column could have so that a value moving as `d` there only grows. */
function columnLattice(value: GrowingValue, d: Direction): string | undefined {
  if (value.kind === "lattice") return misfit(d, value.lattice) === undefined ? latticeText(value.lattice) : undefined;
  const a = value.aggregate;
  const type = a.fn === "count" ? "number" : a.type;
  if (d.kind === "up") return `max<${type}>`;
  if (d.kind === "down") return `min<${type}>`;
  return undefined;
}
