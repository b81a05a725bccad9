// The coordinator's share of a stratum whose workers exchange deltas: the
// rule versions only it can run (string functors, autoinc: its symbol table
// and counter), over each worker's part as a superstep left it, deriving
// tuples that are routed like the workers'. It runs them on the previous
// superstep's parts while the workers run the next one: the rows it reads are
// below that superstep's bounds, which nothing changes. Its own cursor per
// part says which rows are its delta, as workers run several rounds a step.

import type { ProgramRunner, StratumRun, Version } from "../eval/program-runner.js";
import type { RelationState } from "../storage/relation.js";
import { Router } from "./collector.js";
import type { ExchangePlan } from "./exchange-plan.js";
import type { RelationView, ShardOut, ShardSpec } from "./messages.js";
import { RelationStub } from "./stubs.js";

/** A part as the coordinator's versions read it: rows before `seen` are old, rows up to the part's indexed ones are the delta. */
function viewOfState(spec: ShardSpec, s: RelationState, seen: number): RelationView {
  return {
    name: spec.name,
    arity: spec.arity,
    data: s.data,
    dead: s.dead,
    size: s.size,
    stableEnd: seen,
    deltaEnd: s.deltaEnd,
    unique: s.unique,
    indexes: s.indexes,
    lattice: spec.lattice,
  };
}

/** Stubs of one part's relations, their routers, and the versions instantiated over them (kept warm between supersteps). */
interface Part {
  readonly stubs: RelationStub[];
  readonly routers: Router[];
  readonly runs: { readonly version: Version; readonly run: () => void }[];
}

export class ExchangeCoordinator {
  private readonly parts: (Part | undefined)[];

  /**
   * `seen[k][i]`: rows of part k of relation i the coordinator's versions have
   * read as delta (at first, the rows the part started with, which the rounds
   * before the exchange read).
   */
  constructor(
    private readonly runner: ProgramRunner,
    private readonly plan: StratumRun,
    private readonly xp: ExchangePlan,
    private readonly workers: number,
    private readonly seen: number[][],
  ) {
    this.parts = Array.from({ length: workers }, () => undefined);
  }

  /** Whether there is anything for the coordinator to run. */
  get idle(): boolean {
    return this.xp.coordinator.length === 0;
  }

  private part(k: number, states: readonly RelationState[]): Part | undefined {
    const versions = this.xp.coordinator.filter((c) => c.perPart || k === 0).map((c) => c.version);
    if (versions.length === 0) return undefined;
    let p = this.parts[k];
    if (!p) {
      const stubs = this.xp.specs.map((spec, i) => new RelationStub(viewOfState(spec, states[i]!, 0), this.plan.relations[i]!.lattice));
      const routers = this.xp.specs.map((spec, i) => {
        const router = new Router(spec.name, spec.arity, this.plan.relations[i]!.lattice, spec.column, this.workers);
        stubs[i]!.sink = router;
        return router;
      });
      const byName = new Map(stubs.map((s) => [s.name, s]));
      const relation = (n: string) => byName.get(n) ?? this.runner.relation(n);
      const runs = versions.map((version) => {
        const R = version.compiled.relations.map(relation);
        const I = version.compiled.indexes.map((req) => {
          const r = relation(req.relation);
          return req.columns.length === r.arity ? r.unique : r.index(req.columns);
        });
        return { version, run: this.runner.instantiateWith(version.compiled.source, R, I) };
      });
      p = this.parts[k] = { stubs, routers, runs };
    }
    p.stubs.forEach((s, i) => s.update(viewOfState(this.xp.specs[i]!, states[i]!, this.seen[k]![i]!)));
    return p;
  }

  /** Runs the coordinator's versions over every part, as `states` describe them; returns the tuples derived, addressed. */
  run(states: readonly (readonly RelationState[])[]): ShardOut[] {
    const out: ShardOut[] = [];
    states.forEach((s, k) => {
      const p = this.part(k, s);
      if (!p) return;
      for (const { version, run } of p.runs) {
        try {
          run();
        } catch (e) {
          throw this.runner.failureOf(e, version);
        }
      }
      this.xp.specs.forEach((spec, i) =>
        p.routers[i]!.parts.forEach((c, dest) => {
          if (c.count > 0) out.push({ ...c.take(), dest: spec.column < 0 ? -1 : dest });
        }),
      );
    });
    states.forEach((s, k) => s.forEach((x, i) => (this.seen[k]![i] = x.deltaEnd)));
    return out;
  }
}
