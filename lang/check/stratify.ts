// Stratification: the precedence graph (a rule's head depends on the relations
// its body reads; negatively through negation, aggregates and exact reads of
// lattice values), its strongly connected components by an iterative Tarjan,
// negative edges inside a component reported with the whole cycle, strata in
// evaluation order.

import type { AggregateFn } from "../ast.js";
import { error, type Diagnostic, type Note } from "../diagnostics.js";
import type { MAtom, Rule, Stratum } from "../model.js";
import type { Span } from "../span.js";
import { ruleTerms, visitRuleAtoms, visitTerms } from "../model-terms.js";

interface Dep {
  /** The relation read. */
  readonly from: string;
  /** The head relation of the rule. */
  readonly to: string;
  readonly kind: "positive" | "negation" | "aggregate" | "exact";
  readonly fn?: AggregateFn;
  readonly span: Span;
  readonly rule: number;
  /** For an exact read: why it is one. */
  readonly why?: Note;
}

/** What the checks tell stratification beyond the rules: why reads are exact, what to suggest for an aggregate cycle. */
export interface StratifyHints {
  readonly exactWhy?: (atom: MAtom) => Note | undefined;
  readonly aggregateHint?: (rule: Rule, fn: AggregateFn) => Note | undefined;
}

function depsOf(rule: Rule, hints: StratifyHints): Dep[] {
  const out: Dep[] = [];
  const to = rule.head.relation;
  visitRuleAtoms(rule, (a, { negated, aggregate }, l) => {
    if (negated) out.push({ from: a.relation, to, kind: "negation", span: l.span, rule: rule.id });
    else if (a.exact && !aggregate)
      out.push({ from: a.relation, to, kind: "exact", span: a.span, rule: rule.id, why: hints.exactWhy?.(a) });
    else out.push({ from: a.relation, to, kind: aggregate ? "aggregate" : "positive", fn: aggregate, span: a.span, rule: rule.id });
  });
  return out;
}

/** Strongly connected components, each emitted after the components it reaches (iterative Tarjan). */
export function tarjan(n: number, adj: readonly (readonly number[])[]): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const sccs: number[][] = [];
  const frames: number[] = []; // pairs: node, next edge
  let counter = 0;
  const enter = (v: number): void => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = 1;
    frames.push(v, 0);
  };
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    enter(s);
    while (frames.length > 0) {
      const top = frames.length - 2;
      const v = frames[top]!;
      const edges = adj[v]!;
      const e = frames[top + 1]!;
      if (e < edges.length) {
        frames[top + 1] = e + 1;
        const w = edges[e]!;
        if (index[w] === -1) enter(w);
        else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      frames.length = top;
      if (frames.length > 0) {
        const u = frames[frames.length - 2]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        sccs.push(comp);
      }
    }
  }
  return sccs;
}

function edgeText(d: Dep): string {
  switch (d.kind) {
    case "negation":
      return `!${d.from}`;
    case "aggregate":
      return `${d.fn}(${d.from})`;
    case "exact":
      return `exact(${d.from})`;
    default:
      return d.from;
  }
}

function edgeNote(d: Dep): Note {
  const message =
    d.kind === "negation"
      ? `"${d.to}" depends on the negation of "${d.from}" here`
      : d.kind === "aggregate"
        ? `"${d.to}" aggregates over "${d.from}" here (${d.fn})`
        : d.kind === "exact"
          ? `"${d.to}" reads the lattice value of "${d.from}" exactly here`
          : `"${d.to}" depends on "${d.from}" here`;
  return { message, span: d.span };
}

/** Orders relations into strata; reports negation, aggregation and exact reads through recursion, and autoinc() in recursive rules. */
export function stratify(
  relations: readonly string[],
  rules: readonly Rule[],
  diagnostics: Diagnostic[],
  hints: StratifyHints = {},
): Stratum[] {
  const id = new Map(relations.map((r, i) => [r, i]));
  const deps: Dep[][] = relations.map(() => []);
  const adj: number[][] = relations.map(() => []);
  const rulesOf: number[][] = relations.map(() => []);
  const ruleDeps = new Map<number, Dep[]>();
  for (const rule of rules) {
    const h = id.get(rule.head.relation);
    if (h === undefined) continue;
    rulesOf[h]!.push(rule.id);
    const ds = depsOf(rule, hints).filter((d) => id.has(d.from));
    ruleDeps.set(rule.id, ds);
    for (const d of ds) {
      deps[h]!.push(d);
      adj[h]!.push(id.get(d.from)!);
    }
  }
  const sccs = tarjan(relations.length, adj);
  const comp = new Int32Array(relations.length);
  sccs.forEach((c, i) => c.forEach((v) => (comp[v] = i)));

  const strata: Stratum[] = sccs.map((c, ci) => {
    const members = [...c].sort((a, b) => a - b);
    const ruleIds = members.flatMap((m) => rulesOf[m]!).sort((a, b) => a - b);
    const inside = (d: Dep) => comp[id.get(d.from)!] === ci;
    const recursive = members.some((m) => deps[m]!.some(inside));
    const negative = members.flatMap((m) => deps[m]!).filter((d) => d.kind !== "positive" && inside(d));
    if (negative.length > 0) {
      negative.sort((a, b) =>
        a.span.file === b.span.file ? a.span.start.offset - b.span.start.offset : a.span.file < b.span.file ? -1 : 1,
      );
      diagnostics.push(cycleError(negative[0]!, members, deps, id, rules, hints));
    }
    if (recursive) {
      for (const r of ruleIds) {
        const reads = ruleDeps.get(r)!.find(inside);
        if (!reads) continue;
        for (const span of autoincs(rules[r]!)) {
          const why =
            reads.from === reads.to
              ? `the rule is recursive: it reads "${reads.from}" here`
              : `the rule is recursive: it reads "${reads.from}" here, which depends on "${reads.to}"`;
          diagnostics.push(
            error("autoinc-in-recursion", `autoinc() cannot be used in a recursive rule`, span, [{ message: why, span: reads.span }]),
          );
        }
      }
    }
    return { relations: members.map((m) => relations[m]!), rules: ruleIds, recursive };
  });
  return strata;
}

/** The error for a negative edge inside a component: the cycle it closes, one note per edge. */
function cycleError(
  neg: Dep,
  members: readonly number[],
  deps: readonly Dep[][],
  id: ReadonlyMap<string, number>,
  rules: readonly Rule[],
  hints: StratifyHints,
): Diagnostic {
  const target = id.get(neg.to)!;
  const inComp = new Set(members);
  // Breadth-first from the negated relation back to the head, along "depends on" edges inside the component.
  const via = new Map<number, Dep>();
  const start = id.get(neg.from)!;
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0 && !seen.has(target)) {
    const v = queue.shift()!;
    for (const d of deps[v]!) {
      const w = id.get(d.from)!;
      if (!inComp.has(w) || seen.has(w)) continue;
      seen.add(w);
      via.set(w, d);
      queue.push(w);
    }
  }
  const path: Dep[] = [];
  for (let v = target; v !== start; ) {
    const d = via.get(v)!;
    path.unshift(d);
    v = id.get(d.to)!;
  }
  const edges = [neg, ...path];
  const chain = [neg.to, ...edges.map(edgeText)].join(" -> ");
  const self = neg.from === neg.to;
  const then = `which in turn depends on "${neg.to}"`;
  let what: string;
  let code: string;
  const notes = edges.map(edgeNote);
  switch (neg.kind) {
    case "negation":
      code = "negation-in-recursion";
      what = self ? `"${neg.to}" depends on its own negation` : `"${neg.to}" depends on the negation of "${neg.from}", ${then}`;
      break;
    case "exact":
      code = "exact-read-in-recursion";
      what = self
        ? `"${neg.to}" reads its own lattice value exactly`
        : `"${neg.to}" reads the lattice value of "${neg.from}" exactly, ${then}`;
      if (neg.why) notes.push({ message: `the read is exact because ${neg.why.message}`, span: neg.why.span });
      notes.push({
        message: `an exact read waits until "${neg.from}" is complete, which it cannot be while the cycle still derives its values`,
      });
      break;
    default: {
      code = "aggregate-in-recursion";
      what = self ? `"${neg.to}" aggregates over itself` : `"${neg.to}" aggregates over "${neg.from}", ${then}`;
      const hint = neg.fn && rules[neg.rule] ? hints.aggregateHint?.(rules[neg.rule]!, neg.fn) : undefined;
      if (hint) notes.push(hint);
    }
  }
  return error(code, `cannot stratify: ${what} (cycle: ${chain})`, neg.span, notes);
}

function autoincs(rule: Rule): Span[] {
  const out: Span[] = [];
  for (const t of ruleTerms(rule))
    visitTerms(t, (s) => {
      if (s.kind === "call" && s.name === "autoinc") out.push(s.span);
    });
  return out;
}
