// The distribution pass: where each relation lives on a cluster, which rules
// move tuples between nodes, and where the nodes must wait for each other.
//
// - Placement: every relation is split by the hash of one key column or
//   replicated, chosen over the whole program so that in every rule the split
//   atoms share one variable (the rule's driver) in their split column: each
//   node then runs every rule over the values it owns and finds every
//   derivation of them. Atoms read under negation or inside an aggregate must
//   be replicated or split on the driver (engine/parallel/placement.ts, the
//   same search worker threads use for a stratum, weighed by the input sizes).
// - Exchanges: a rule whose head is split on a term other than its driver
//   sends what it derives to the owners (a replicated head: to every node).
//   A rule that reads only replicated relations has no driver: every node
//   runs it over its replicas and keeps what it owns, so it sends nothing
//   (one that numbers its tuples with autoinc() runs on node 0 alone, which
//   sends them to their owners: each is numbered once).
// - Phases: the strata between two barriers. A barrier precedes a stratum
//   with one of the CALM analysis's freeze points (lang/calm: a rule reads a
//   relation that must be frozen) when that relation is derived since the
//   last barrier; given facts are complete before the first phase, and one
//   barrier serves every later stratum reading what it froze. Everything else
//   runs without coordination, nodes applying each other's deltas as they
//   arrive. A program the analysis calls coordination-free is one phase.

import type { CheckedProgram, MTerm, Rule } from "../lang/model.js";
import { someTerm, ruleTerms, visitRuleAtoms } from "../lang/model-terms.js";
import { analyze, type FreezePoint } from "../lang/calm/index.js";
import { location } from "../lang/calm/render-text.js";
import { printRule } from "../lang/calm/print.js";
import { type Diagnostic, error } from "../lang/diagnostics.js";
import type { ProgramRunner } from "../engine/eval/program-runner.js";
import { choosePlacement, type Placement, type PlacementStats, shapeDriver, shapeOf } from "../engine/parallel/placement.js";
import { statsOf } from "../engine/parallel/placement-stats.js";

export interface Phase {
  /** The phase evaluates strata [previous phase's upTo, upTo). */
  readonly upTo: number;
  /** The freeze points that put a barrier before this phase (none for the first). */
  readonly freezes: readonly FreezePoint[];
  /**
   * Reads under negation or inside an aggregate that the analysis finds no
   * freeze point in (an aggregate whose result the rule does not use) of a
   * relation derived since the last barrier: they need one too, since a
   * node recomputes a stratum from its own facts when such a read grows, and
   * would lose the rows other nodes sent it.
   */
  readonly grows: readonly { readonly relation: string; readonly rule: Rule }[];
}

export interface Exchange {
  readonly rule: Rule;
  /** Where the rule's derived tuples go. */
  readonly to: "owner" | "everyone";
}

export interface ShardPlan {
  readonly nodes: number;
  /** Every relation's placement. */
  readonly placement: ReadonlyMap<string, Placement>;
  readonly exchanges: readonly Exchange[];
  /** Rules that read only replicated relations: every node runs them and keeps the tuples it owns, sending none. */
  readonly everywhere: readonly Rule[];
  /**
   * Rules that read only replicated relations and number what they derive
   * (autoinc()): node 0 alone runs them and sends each tuple to its owner, so
   * that each is numbered once.
   */
  readonly solo: readonly Rule[];
  readonly phases: readonly Phase[];
}

/** Whether a rule calls autoinc(). */
export function numbers(rule: Rule): boolean {
  return ruleTerms(rule).some((t) => someTerm(t, (s) => s.kind === "call" && s.name === "autoinc"));
}

/**
 * What a cluster cannot run yet, as located errors: autoinc() in a
 * rule that reads a lattice relation, and user functors when no module that
 * implements them is shipped to the nodes (`functors`: one is).
 */
export function clusterLimits(program: CheckedProgram, opts: { readonly functors?: boolean } = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lattice = (name: string) => program.relations.get(name)?.columns.at(-1)?.lattice !== undefined;
  for (const rule of program.rules) {
    let found: Extract<MTerm, { kind: "call" }> | undefined;
    for (const t of ruleTerms(rule)) {
      someTerm(t, (s) => {
        if (s.kind === "call" && (s.name === "autoinc" || (s.name.startsWith("@") && !opts.functors))) found ??= s;
        return found !== undefined;
      });
    }
    if (!found) continue;
    if (found.name.startsWith("@")) {
      out.push(
        error(
          "cluster",
          `the user functor ${found.name} runs on a cluster only from a module the nodes load: give it with --functors FILE (the functorsModule option of runCluster)`,
          found.span,
        ),
      );
      continue;
    }
    // A node applies a lattice relation's values as they arrive: a rule numbering what it reads would
    // number every value on the way to the last (one process numbers those its evaluation happens to see).
    let read: string | undefined;
    visitRuleAtoms(rule, (atom, place) => {
      if (!place.negated && lattice(atom.relation)) read ??= atom.relation;
    });
    if (read !== undefined)
      out.push(
        error(
          "cluster",
          `autoinc() cannot run on a cluster in a rule that reads the lattice relation ${read}: each value ${read} takes on the way to its last would be numbered`,
          found.span,
        ),
      );
  }
  // A user lattice's operations may call user functors too: every node joins with them.
  for (const l of opts.functors ? [] : (program.lattices?.values() ?? [])) {
    let call: string | undefined;
    for (const t of [l.bottom, l.lub])
      someTerm(t, (s) => {
        if (s.kind === "call" && s.name.startsWith("@")) call ??= s.name;
        return call !== undefined;
      });
    if (call)
      out.push(
        error(
          "cluster",
          `lattice ${l.name}: its operations call the user functor ${call}, which runs on a cluster only from a module the nodes load: give it with --functors FILE (the functorsModule option of runCluster)`,
          l.span,
        ),
      );
  }
  return out;
}

/** The plan for `nodes` nodes, with the sizes of the relations as the runner holds them (the input facts). */
export function planShards(program: CheckedProgram, runner: ProgramRunner, nodes: number): ShardPlan {
  const names = [...program.relations.keys()];
  const rel = (n: string) => runner.relation(n);
  const keyArity = (n: string) => rel(n).arity - (rel(n).lattice ? 1 : 0);
  const rules = program.rules.filter((r) => r.body.length > 0);
  // Given rows weigh what they are; a derived relation, unknown yet, ten times all of them (recursion
  // tends to grow): moving it costs more than copying inputs. A rule with no split atom runs on every
  // node over its replicas: its cost is the work repeated, its smallest atom times the other nodes.
  const given = statsOf(
    names.map((n) => rel(n)),
    Math.max(2, nodes),
  );
  const derivedNames = new Set(program.rules.filter((r) => r.body.length > 0).map((r) => r.head.relation));
  const inputRows = names.reduce((sum, n) => sum + rel(n).live, 0);
  const weight = (n: string) => (derivedNames.has(n) ? 10 * Math.max(1, inputRows) : Math.max(1, rel(n).live));
  const stats: PlacementStats = {
    ...given,
    weight,
    unsplit: (s) => Math.max(1, nodes - 1) * Math.min(weight(s.head.relation), ...s.atoms.map((a) => weight(a.relation))),
  };
  const placement = new Map<string, Placement>(names.map((n) => [n, { kind: "replicated" }]));
  // On one node every value has the same owner: any placement will do, and none is searched for.
  const chosen = nodes > 1 ? choosePlacement(names, rules, keyArity, stats, true) : undefined;
  if (chosen) for (const [n, p] of chosen) placement.set(n, p);
  const all = new Set(names);
  const exchanges: Exchange[] = [];
  const everywhere: Rule[] = [];
  const solo: Rule[] = [];
  for (const rule of rules) {
    const d = shapeDriver(shapeOf(rule, all, true), placement);
    const p = placement.get(rule.head.relation)!;
    if (d === null && numbers(rule) && nodes > 1) {
      solo.push(rule);
      exchanges.push({ rule, to: p.kind === "replicated" ? "everyone" : "owner" });
      continue;
    }
    if (d === null) {
      everywhere.push(rule);
      continue;
    }
    if (p.kind === "replicated") {
      if (nodes > 1) exchanges.push({ rule, to: "everyone" });
      continue;
    }
    const t = rule.head.args[p.column];
    if (!(typeof d === "string" && t?.kind === "var" && t.name === d)) exchanges.push({ rule, to: "owner" });
  }
  // A barrier goes before a stratum only when a relation it must read frozen is derived since the last
  // barrier: facts are all in place before the first phase starts.
  const analysis = analyze(program);
  const derived = new Set(rules.map((r) => r.head.relation));
  const stratumOf = new Map(program.strata.flatMap((st, i) => st.relations.filter((r) => derived.has(r)).map((r) => [r, i] as const)));
  const phases: Phase[] = [];
  let start = 0;
  let freezes: FreezePoint[] = [];
  let grows: Phase["grows"] = [];
  analysis.strataInfo.forEach((st, i) => {
    const points = st.freezePoints.map((k) => analysis.freezePoints[k]!);
    const open = points.filter((f) => (stratumOf.get(f.relation) ?? -1) >= start);
    const inStratum = new Set(program.strata[i]!.relations);
    const growing: { relation: string; rule: Rule }[] = [];
    for (const id of program.strata[i]!.rules) {
      const rule = program.rules[id]!;
      visitRuleAtoms(rule, (atom, place) => {
        const at = stratumOf.get(atom.relation) ?? -1;
        if ((place.negated || place.aggregate !== undefined) && !inStratum.has(atom.relation) && at >= start && at < i)
          if (!open.some((f) => f.relation === atom.relation)) growing.push({ relation: atom.relation, rule });
      });
    }
    if ((open.length > 0 || growing.length > 0) && i > 0) {
      phases.push({ upTo: i, freezes, grows });
      start = i;
      freezes = open;
      grows = growing;
    }
  });
  phases.push({ upTo: program.strata.length, freezes, grows });
  return { nodes, placement, exchanges, everywhere, solo, phases };
}

/** The global barriers a run with this plan takes before its final termination. */
export function barriers(plan: ShardPlan): number {
  return plan.phases.length - 1;
}

/** `cairn run --emit shards`: each relation's placement, each exchange, each barrier and why. */
export function renderShards(program: CheckedProgram, plan: ShardPlan): string {
  const lines: string[] = [`shards over ${plan.nodes} node${plan.nodes === 1 ? "" : "s"}`, "", "relations:"];
  const width = Math.max(...[...plan.placement.keys()].map((n) => n.length));
  for (const [name, p] of plan.placement) {
    const info = program.relations.get(name)!;
    const where =
      p.kind === "split"
        ? `split on column ${p.column + 1} (${info.columns[p.column]!.name}): a row lives on the node owning that value`
        : "replicated: every node holds every row";
    lines.push(`  ${name.padEnd(width)}  ${where}`);
  }
  lines.push("", plan.exchanges.length === 0 ? "exchanges: none" : "exchanges:");
  for (const x of plan.exchanges) {
    const head = program.relations.get(x.rule.head.relation)!;
    const p = plan.placement.get(head.name)!;
    const why =
      x.to === "everyone"
        ? `${head.name} is replicated: what each node derives goes to every other node`
        : `${head.name} is split on ${head.columns[(p as { column: number }).column]!.name}, which this rule's split atoms do not share: tuples go to the owner`;
    lines.push(`  ${location(x.rule.span)}  ${printRule(x.rule)}`, `    ${why}`);
  }
  if (plan.everywhere.length > 0) lines.push("", "run on every node over replicas (each keeps what it owns, nothing is sent):");
  for (const r of plan.everywhere) lines.push(`  ${location(r.span)}  ${printRule(r)}`);
  if (plan.solo.length > 0) lines.push("", "run on node 0 alone over replicas (each tuple numbered once, sent to its owner):");
  for (const r of plan.solo) lines.push(`  ${location(r.span)}  ${printRule(r)}`);
  const n = barriers(plan);
  lines.push("", n === 0 ? "barriers: none (nodes stop once all are idle with nothing in flight)" : `barriers: ${n}`);
  plan.phases.forEach((ph, i) => {
    if (i === 0) return;
    const from = plan.phases[i - 1]!.upTo;
    lines.push(`  before stratum ${from}: every node finishes strata 0-${from - 1} first, for`);
    for (const f of ph.freezes) lines.push(`    ${f.relation} (${f.kind}, ${location(f.span)}): ${f.reason}`);
    for (const g of ph.grows)
      lines.push(
        `    ${g.relation} (${location(g.rule.span)}): read under negation or inside an aggregate; a node recomputes what reads it when it grows`,
      );
  });
  return `${lines.join("\n")}\n`;
}
