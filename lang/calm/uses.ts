// Every place a rule uses a growing value, judged: a monotone write into a
// lattice column, a threshold guard (upward-closed, so once true it stays
// true), or an exact read that freezes the relations the value comes from.

import type { LatticeRef, MAtom, MLiteral, MTerm, Rule } from "../model.js";
import type { Span } from "../span.js";
import { fits, type Dir, type Dirs } from "./direction.js";
import { displayName, latticeText, printAtom, printLiteral, printTerm } from "./print.js";
import type { RuleSources, Source } from "./sources.js";
import type { Reason } from "./types.js";

export interface Problem {
  readonly source: Source;
  readonly message: string;
  /** Where the value is used exactly. */
  readonly span: Span;
  /** Set when the cause is a user functor not declared monotone. */
  readonly functor?: string;
  /** A lattice column that would make the use monotone. */
  readonly fix?: string;
}

export interface Uses {
  readonly problems: Problem[];
  /** Threshold guards and key-only reads. */
  readonly thresholds: Reason[];
  /** Monotone flows into the head's lattice column. */
  readonly flows: Reason[];
  /** Sources some use consumed (the others are only read for their keys). */
  readonly used: Set<number>;
  /** Sources tested by a threshold (or read only for their keys). */
  readonly tested: Set<number>;
}

function why(d: Dir): string | undefined {
  return d.k === "any" ? d.why : undefined;
}

const upward = (d: Dir | undefined) => !d || d.k === "up";
const downward = (d: Dir | undefined) => !d || d.k === "down";

export function judgeUses(rule: Rule, rs: RuleSources): Uses {
  const out: Uses = { problems: [], thresholds: [], flows: [], used: new Set(), tested: new Set() };
  const byId = rs.sources;
  const problem = (s: Source, message: string, span: Span, d?: Dir, fix?: string) => {
    if (!out.problems.some((p) => p.source === s && p.message === message)) {
      out.problems.push({ source: s, message, span, functor: d?.k === "any" ? d.functor : undefined, ...(fix ? { fix } : {}) });
    }
  };
  const each = (dirs: Dirs, f: (s: Source, d: Dir) => void, except?: Source) => {
    for (const [id, d] of dirs) {
      if (id === except?.id) continue;
      out.used.add(id);
      f(byId[id]!, d);
    }
  };

  judgeHead(rule.head, rs, out, problem, each);

  for (const { literal: l } of rs.literals) {
    switch (l.kind) {
      case "atom":
        judgeAtom(l, rs, problem, each);
        break;
      case "negation":
        each(atomDirs(l.atom.args, rs), (s) =>
          problem(s, `${s.label} is tested by the negation ${printLiteral(l)}: an exact read`, l.span),
        );
        break;
      case "compare":
        if (!rs.definitions.has(l)) judgeCompare(l, rs, out, problem, each);
        break;
      case "test":
        judgeTest(l, rs, out, problem, each);
        break;
    }
  }

  for (const s of rs.sources) {
    if (s.kind === "lattice" && !out.used.has(s.id) && rs.topLevel.has(s.atom!)) {
      out.tested.add(s.id);
      out.thresholds.push({
        message: `reads only the keys of "${s.atom!.relation}" (${latticeText(s.lattice!)}): a key, once present, stays present`,
        span: s.atom!.span,
      });
    }
  }
  for (const l of rule.body) {
    if (l.kind === "atom" && l.args[l.args.length - 1]?.kind === "wildcard" && rs.latticeOf(l.relation)) {
      out.thresholds.push({
        message: `reads only the keys of "${l.relation}" (${latticeText(rs.latticeOf(l.relation)!)}): a key, once present, stays present`,
        span: l.span,
      });
    }
  }
  return out;
}

type ProblemFn = (s: Source, message: string, span: Span, d?: Dir, fix?: string) => void;
type EachFn = (dirs: Dirs, f: (s: Source, d: Dir) => void, except?: Source) => void;

function atomDirs(args: readonly MTerm[], rs: RuleSources): Dirs {
  const out = new Map<number, Dir>();
  for (const t of args) for (const [k, d] of rs.dirs(t)) out.set(k, d);
  return out;
}

function judgeHead(head: MAtom, rs: RuleSources, out: Uses, problem: ProblemFn, each: EachFn): void {
  const lattice = rs.latticeOf(head.relation);
  head.args.forEach((t, i) => {
    const col = rs.columnName(head.relation, i);
    if (lattice && i === head.args.length - 1) {
      const target = latticeText(lattice);
      each(rs.dirs(t), (s, d) => {
        if (fits(d, lattice)) {
          const text = printTerm(t);
          out.flows.push({ message: `${text} only moves up in the ${target} column "${col}" as ${s.grows}`, span: t.span });
        } else {
          const cause = why(d) ?? `which moves down in ${target} as ${s.grows}`;
          const sep = why(d) ? ": " : ", ";
          problem(
            s,
            `${s.label} flows into the ${target} column "${col}" of "${head.relation}" through ${printTerm(t)}${sep}${cause}`,
            t.span,
            d,
          );
        }
      });
      return;
    }
    const kind = lattice ? "key" : "ordinary";
    const last = !lattice && i === head.args.length - 1;
    each(rs.dirs(t), (s, d) => {
      const tail =
        s.kind === "aggregate"
          ? `only the ${s.aggregate!.fn} over the complete input is right`
          : "an exact read of a value that may still grow";
      const l = last ? columnLattice(s, d) : undefined;
      const fix = l && `declare the column "${col}" of "${head.relation}" as ${l}: the value then only grows there, with no barrier`;
      problem(s, `${s.label} is bound into the ${kind} column "${col}" of "${head.relation}": ${tail}`, t.span, d, fix);
    });
  });
}

/** The lattice a plain last column could have so that what flows into it moving as `d` only grows. */
function columnLattice(s: Source, d: Dir): string | undefined {
  if (s.kind === "lattice") return fits(d, s.lattice!) ? latticeText(s.lattice!) : undefined;
  const a = s.aggregate!;
  const type = a.fn === "count" ? "number" : a.type;
  if (d.k === "up") return `max<${type}>`;
  if (d.k === "down") return `min<${type}>`;
  return undefined;
}

function judgeAtom(a: MAtom, rs: RuleSources, problem: ProblemFn, each: EachFn): void {
  const own = rs.sourceOfAtom.get(a);
  const lattice = rs.latticeOf(a.relation);
  a.args.forEach((t, i) => {
    const last = lattice !== undefined && i === a.args.length - 1;
    if (last && t.kind === "var" && own) {
      // The variable may also be bound at another atom's lattice position, or defined: an equality.
      // (Each atom reports its own side, at its own position; the message names the pair in a fixed order.)
      each(
        rs.dirs(t),
        (s) => {
          const [x, y] = s.id < own.id ? [s, own] : [own, s];
          problem(own, `${x.label} and ${y.label} must be equal (both are ${displayName(t.name)}): an exact read of both`, t.span);
        },
        own,
      );
      return;
    }
    // Inside an aggregate a lattice column binds like any other: the aggregate is judged as a whole.
    if (last && !rs.topLevel.has(a)) return;
    if (last && t.kind !== "wildcard" && lattice) {
      const text = printAtom(a);
      if (own === undefined) {
        // A constant or an expression at the lattice position: an equality test on the value.
        const s = rs.sources.find((x) => x.atom === a) ?? virtualSource(rs, a, lattice);
        problem(s, `${text} tests ${s.label} for equality with ${printTerm(t)}: an exact read`, t.span);
      }
    }
    if (last) return;
    each(rs.dirs(t), (s) => {
      problem(s, `${s.label} is used as a key of "${a.relation}" (${displayName(printTerm(t))}): an exact read`, t.span);
    });
  });
}

/** A source for an atom whose lattice position holds no variable, so its exact read can be reported. */
function virtualSource(rs: RuleSources, a: MAtom, l: LatticeRef): Source {
  const label = `the ${latticeText(l)} value of "${a.relation}"`;
  const s: Source = {
    id: rs.sources.length,
    label,
    grows: `${label} grows`,
    reads: [a],
    span: a.span,
    kind: "lattice",
    atom: a,
    lattice: l,
  };
  rs.sources.push(s);
  return s;
}

function judgeCompare(l: Extract<MLiteral, { kind: "compare" }>, rs: RuleSources, out: Uses, problem: ProblemFn, each: EachFn): void {
  const text = printLiteral(l);
  const dl = rs.dirs(l.left);
  const dr = rs.dirs(l.right);
  const all = new Map([...dl, ...dr]);
  if (all.size === 0) return;
  const bound = l.op === "=" ? [l.left, l.right].find((t) => t.kind === "var" && rs.fresh(t.name)) : undefined;
  if (bound?.kind === "var") {
    each(all, (s) => problem(s, `${text} binds ${displayName(bound.name)} to ${s.label}: an exact read`, l.span));
    return;
  }
  if (l.op === "=" || l.op === "!=") {
    each(all, (s, d) =>
      problem(s, `${text} compares ${s.label} for ${l.op === "=" ? "equality" : "inequality"}: an exact read`, l.span, d),
    );
    return;
  }
  const [lower, upper] = l.op === "<" || l.op === "<=" ? [dl, dr] : [dr, dl];
  each(all, (s) => {
    const lo = lower.get(s.id);
    const up = upper.get(s.id);
    const bad = [lo, up].find((d) => d?.k === "any");
    if (bad) problem(s, `${text}: ${why(bad)}: an exact read of ${s.label}`, l.span, bad);
    else if (downward(lo) && upward(up)) {
      out.tested.add(s.id);
      out.thresholds.push({ message: `${text} is a threshold on ${s.label}: once true it stays true`, span: l.span });
    } else problem(s, `${text} is not upward-closed: it can turn false as ${s.grows}`, l.span);
  });
}

function judgeTest(l: Extract<MLiteral, { kind: "test" }>, rs: RuleSources, out: Uses, problem: ProblemFn, each: EachFn): void {
  const text = printLiteral(l);
  if (l.name === "member" && l.args.length === 2 && !l.negated) {
    const elem = rs.dirs(l.args[0]!);
    each(elem, (s) => problem(s, `${text} tests whether ${s.label} is an element: an exact read`, l.span));
    each(rs.dirs(l.args[1]!), (s, d) => {
      if (d.k === "lat" && d.lattice.startsWith("set<")) {
        out.tested.add(s.id);
        out.thresholds.push({ message: `${text} is a threshold on ${s.label}: once true it stays true`, span: l.span });
      } else problem(s, `${text} on ${s.label} is not upward-closed${why(d) ? `: ${why(d)}` : ""}: an exact read`, l.span, d);
    });
    return;
  }
  const all = atomDirs(l.args, rs);
  each(all, (s, d) => {
    const what = l.negated && l.name === "member" ? `can turn false as ${s.grows}` : `is not monotone in ${s.label}`;
    problem(s, `${text} ${what}: an exact read`, l.span, d);
  });
}
