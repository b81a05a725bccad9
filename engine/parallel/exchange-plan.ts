// Planning a stratum whose workers exchange deltas: the placement of each
// relation (placement.ts), and who runs each rule version — every worker on
// its own part, worker 0 alone when the version reads no split relation, or
// the coordinator (part by part) when the version needs its symbol table.

import type { MAtom } from "../../lang/model.js";
import type { ProgramRunner, StratumRun, Version } from "../eval/program-runner.js";
import type { Relation } from "../storage/relation.js";
import { ownerOfCell } from "./partition.js";
import { specOf } from "./lattice-spec.js";
import type { ShardSpec, VersionCode } from "./messages.js";
import { choosePlacement, driver, type Placement, type PlacementStats } from "./placement.js";
import { pureSource, workerHead } from "./purity.js";
import { codeOf } from "./views.js";

export interface CoordinatorVersion {
  readonly version: Version;
  /** Run once per part (it reads a split relation), or once on part 0. */
  readonly perPart: boolean;
}

export interface ExchangePlan {
  readonly placement: ReadonlyMap<string, Placement>;
  /** One per relation of the stratum, in the plan's order. */
  readonly specs: readonly ShardSpec[];
  /** Worker versions every worker runs on its part, and those only worker 0 runs. */
  readonly everywhere: readonly Version[];
  readonly first: readonly Version[];
  readonly codes: ReadonlyMap<Version, VersionCode>;
  readonly coordinator: readonly CoordinatorVersion[];
  /** Relations of earlier strata the worker versions read. */
  readonly reads: readonly Relation[];
  /** Index columns each relation's parts need. */
  readonly indexes: ReadonlyMap<string, readonly (readonly number[])[]>;
}

/** Distinct values a split column needs per worker, and how much more than its share one worker may hold. */
const MIN_DISTINCT_PER_WORKER = 16;
const MAX_IMBALANCE = 1.5;

/** Sizes of the relations as they are now, and which columns spread a sample of their rows evenly over the workers. */
export function statsOf(relations: readonly Relation[], workers: number): PlacementStats {
  const byName = new Map(relations.map((r) => [r.name, r]));
  const known = new Map<string, boolean>();
  const spreads = (n: string, column: number): boolean => {
    const r = byName.get(n);
    if (!r || r.live < 256) return true;
    const seen = new Set<number>();
    const parts = new Int32Array(workers);
    let sampled = 0;
    const step = Math.max(1, Math.floor(r.size / 8192));
    for (let row = 0; row < r.size; row += step) {
      if (!r.isLive(row)) continue;
      const v = r.data[row * r.arity + column]!;
      seen.add(v);
      parts[ownerOfCell(v, workers)]!++;
      sampled++;
    }
    return seen.size >= MIN_DISTINCT_PER_WORKER * workers && Math.max(...parts) <= (MAX_IMBALANCE * sampled) / workers;
  };
  return {
    workers,
    weight: (n) => Math.max(1, byName.get(n)?.live ?? 1),
    spreads: (n, column) => {
      const key = `${n}/${column}`;
      if (!known.has(key)) known.set(key, spreads(n, column));
      return known.get(key)!;
    },
  };
}

/** The plan, or undefined when no placement splits a relation; with `workers`, the placement fits the data as it is now. */
export function planExchange(runner: ProgramRunner, plan: StratumRun, workers?: number): ExchangePlan | undefined {
  const rel = (n: string) => runner.relation(n);
  if (!plan.relations.every(workerHead)) return undefined;
  const rules = [...new Set(plan.step.map((v) => v.rule))];
  const stats = workers === undefined ? undefined : statsOf(plan.relations, workers);
  const placement = choosePlacement(plan.stratum.relations, rules, (n) => rel(n).arity - (rel(n).lattice ? 1 : 0), stats);
  if (!placement) return undefined;
  const inStratum = new Set(plan.stratum.relations);
  const everywhere: Version[] = [];
  const first: Version[] = [];
  const coordinator: CoordinatorVersion[] = [];
  const codes = new Map<Version, VersionCode>();
  for (const v of plan.step) {
    const atoms = v.rule.body.filter((l): l is MAtom => l.kind === "atom" && inStratum.has(l.relation));
    const split = driver(atoms, placement) !== null;
    if (!pureSource(v.compiled.source)) {
      coordinator.push({ version: v, perPart: split });
      continue;
    }
    codes.set(v, codeOf(v));
    (split ? everywhere : first).push(v);
  }
  // Versions that only one thread would run make the exchange pointless.
  if (everywhere.length === 0) return undefined;
  const reads = new Set<Relation>();
  const indexes = new Map<string, (readonly number[])[]>();
  for (const v of plan.step) {
    for (const n of v.compiled.relations) if (!inStratum.has(n)) reads.add(rel(n));
    for (const req of v.compiled.indexes) {
      if (!inStratum.has(req.relation) || req.columns.length === rel(req.relation).arity) continue;
      const list = indexes.get(req.relation) ?? [];
      if (!list.some((c) => c.join() === req.columns.join())) list.push(req.columns);
      indexes.set(req.relation, list);
    }
  }
  const specs = plan.relations.map((r): ShardSpec => {
    const p = placement.get(r.name)!;
    return {
      name: r.name,
      arity: r.arity,
      lattice: r.lattice && specOf(r.lattice),
      column: p.kind === "split" ? p.column : -1,
      indexes: indexes.get(r.name) ?? [],
    };
  });
  return { placement, specs, everywhere, first, codes, coordinator, reads: [...reads], indexes };
}
