// Every place a rule uses a growing value, judged (lang/model.ts's
// RuleReads): a monotone flow into a lattice column of the head, a threshold
// test (upward-closed, so once true it stays true), or an exact read, which
// needs the relations the value comes from complete first. Then each atom the
// rule reads, judged by the values read through it. The checks mark exact reads
// and reject non-monotone lattice heads from this; the CALM analysis explains it.

import type { AtomRead, Direction, MAtom, MLiteral, MTerm, ReadVerdict, Rule, RuleReads, ValueUse } from "../../model.js";
import { type Dirs, misfit } from "./direction.js";
import { type Compare, type ReadContext, type RuleValues, ruleValues } from "./values.js";

type Test = Extract<MLiteral, { kind: "test" }>;
type Verdict = ReadVerdict["verdict"];

/** Judges every use of every growing value of `rule`. */
export function judgeReads(rule: Rule, cx: ReadContext): RuleReads {
  const rv = ruleValues(rule, cx);
  const verdicts: ReadVerdict[] = [];
  const used = new Set<number>();
  const add = (v: number, verdict: Verdict, use: ValueUse, span: MTerm["span"], direction?: Direction): void => {
    used.add(v);
    verdicts.push({ value: rv.values[v]!, verdict, use, span, ...(direction ? { direction } : {}) });
  };
  const each = (dirs: Dirs, f: (v: number, d: Direction) => void, except?: number): void => {
    for (const [v, d] of dirs) if (v !== except) f(v, d);
  };

  judgeHead(rule.head, rv, cx, add, each);
  for (const l of rv.literals) {
    switch (l.kind) {
      case "atom":
        judgeAtom(l, rv, cx, add, each);
        break;
      case "negation":
        each(argDirs(l.atom.args, rv), (v) => add(v, "exact", { kind: "negation", literal: l }, l.span));
        break;
      case "compare":
        judgeCompare(l, rv, add, each);
        break;
      case "test":
        judgeTest(l, rv, add, each);
        break;
    }
  }
  // A lattice value the rule does not use: only its key is read, and a key once present stays present.
  rv.values.forEach((value, v) => {
    const last = value.kind === "lattice" ? value.atom.args[value.atom.args.length - 1] : undefined;
    if (value.kind === "lattice" && (last?.kind === "wildcard" || (last?.kind === "var" && !used.has(v))))
      add(v, "threshold", { kind: "keys" }, value.atom.span);
  });
  return { values: rv.values, verdicts, atoms: atomReads(rv, verdicts, cx) };
}

type AddFn = (v: number, verdict: Verdict, use: ValueUse, span: MTerm["span"], direction?: Direction) => void;
type EachFn = (dirs: Dirs, f: (v: number, d: Direction) => void, except?: number) => void;

/** The values the terms read; where one reads a value twice, the later term's direction. */
function argDirs(args: readonly MTerm[], rv: RuleValues): Dirs {
  const out = new Map<number, Direction>();
  for (const t of args) for (const [v, d] of rv.dirs(t)) out.set(v, d);
  return out;
}

function judgeHead(head: MAtom, rv: RuleValues, cx: ReadContext, add: AddFn, each: EachFn): void {
  const lattice = cx.latticeOf(head);
  head.args.forEach((term, column) => {
    const use: ValueUse = { kind: "head", column, term };
    if (lattice && column === head.args.length - 1)
      each(rv.dirs(term), (v, d) => add(v, misfit(d, lattice) === undefined ? "monotone" : "exact", use, term.span, d));
    // Into a key or an ordinary column: only the final value is right there.
    else each(rv.dirs(term), (v, d) => add(v, "exact", use, term.span, d));
  });
}

function judgeAtom(a: MAtom, rv: RuleValues, cx: ReadContext, add: AddFn, each: EachFn): void {
  const own = rv.atomValue.get(a);
  const lattice = cx.latticeOf(a);
  a.args.forEach((term, column) => {
    const key = (v: number) => add(v, "exact", { kind: "key", atom: a, column, term }, term.span);
    if (lattice === undefined || column !== a.args.length - 1) return each(rv.dirs(term), key);
    // Inside an aggregate a lattice column binds like any other column: the aggregate is judged as a whole.
    if (own === undefined) return;
    if (term.kind === "var") {
      // The variable also binds another atom's lattice value: the two must be equal (each atom tells its own side).
      each(rv.dirs(term), (v) => add(own, "exact", { kind: "equal", other: rv.values[v]!, term }, term.span), own);
    } else if (term.kind !== "wildcard") {
      add(own, "exact", { kind: "match", term }, term.span);
      each(rv.dirs(term), key);
    }
  });
}

function judgeCompare(l: Compare, rv: RuleValues, add: AddFn, each: EachFn): void {
  const use: ValueUse = { kind: "compare", literal: l };
  const definition = rv.definitions.get(l);
  if (definition) {
    // The aggregates it reads flow on through the variable; a lattice value is read exactly here.
    each(rv.dirs(definition.term), (v, d) => {
      if (rv.values[v]?.kind === "lattice") add(v, "exact", { ...use, binds: definition.name }, l.span, d);
    });
    return;
  }
  const left = rv.dirs(l.left);
  const right = rv.dirs(l.right);
  const all = new Map([...left, ...right]);
  const binds = l.op === "=" ? [l.left, l.right].find((t) => t.kind === "var" && rv.fresh(t.name)) : undefined;
  if (binds?.kind === "var") return each(all, (v) => add(v, "exact", { ...use, binds: binds.name }, l.span));
  if (l.op === "=" || l.op === "!=") return each(all, (v, d) => add(v, "exact", use, l.span, d));
  // Upward-closed: what is on the small side may only shrink, what is on the large side only grow.
  const [small, large] = l.op === "<" || l.op === "<=" ? [left, right] : [right, left];
  each(all, (v, d) => {
    const lo = small.get(v);
    const hi = large.get(v);
    const bad = [lo, hi].find((x) => x?.kind === "unordered");
    if (bad) add(v, "exact", use, l.span, bad);
    else add(v, (!lo || lo.kind === "down") && (!hi || hi.kind === "up") ? "threshold" : "exact", use, l.span, d);
  });
}

function judgeTest(l: Test, rv: RuleValues, add: AddFn, each: EachFn): void {
  const use: ValueUse = { kind: "test", literal: l };
  const [element, set] = l.args;
  if (l.name === "member" && element && set && !l.negated) {
    // A set only gains elements: `member(x, s)` on a growing s stays true; a moving x is compared exactly.
    const moving = rv.dirs(element);
    each(moving, (v) => add(v, "exact", { ...use, element: true }, l.span));
    each(rv.dirs(set), (v, d) => {
      const grows = d.kind === "lattice" && d.lattice.name === "set" && !moving.has(v);
      add(v, grows ? "threshold" : "exact", use, l.span, d);
    });
    return;
  }
  each(argDirs(l.args, rv), (v, d) => add(v, "exact", use, l.span, d));
}

/**
 * Each atom the rule reads: exact when negated or when a value read through it is read exactly;
 * a threshold when the rule only tests its lattice value, or reads only its key (`_`).
 */
function atomReads(rv: RuleValues, verdicts: readonly ReadVerdict[], cx: ReadContext): AtomRead[] {
  const exact = new Set<MAtom>();
  const threshold = new Set<MAtom>();
  for (const v of verdicts) {
    const atoms = v.value.kind === "lattice" ? [v.value.atom] : v.value.reads;
    if (v.verdict === "exact") for (const a of atoms) exact.add(a);
    else if (v.verdict === "threshold" && v.value.kind === "lattice") threshold.add(v.value.atom);
  }
  return rv.literals.flatMap((literal): AtomRead[] => {
    if (literal.kind === "negation") return [{ atom: literal.atom, literal, verdict: "exact" }];
    if (literal.kind !== "atom") return [];
    const keysOnly = cx.latticeOf(literal) !== undefined && literal.args[literal.args.length - 1]?.kind === "wildcard";
    const verdict = exact.has(literal) ? "exact" : threshold.has(literal) || keysOnly ? "threshold" : "monotone";
    return [{ atom: literal, literal, verdict }];
  });
}
