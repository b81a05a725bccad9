// Drives the semi-naive rounds of a stratum that has already run a while on
// the calling thread (run-async.ts). It starts the worker threads and, once
// they are up and a round's delta is worth it, hands the rest of the fixpoint
// to them: co-partitioned strata to independent parts (local-mode.ts), others,
// if enabled, to thread nodes that exchange deltas (exchange-mode.ts: the
// shard runtime cluster nodes run) or to parallel rounds with a serial merge
// (round-mode.ts). Rounds that do not go to the
// workers run here exactly as runSync() runs them. The coordinator owns the
// relations: it detects each stratum's fixpoint, and strata run in order.

import { randomUUID } from "node:crypto";
import type { ProgramRunner, Stage, StratumRun } from "../eval/program-runner.js";
import { endRound, type Relation } from "../storage/relation.js";
import { choosePartition } from "./partition.js";
import { BOOT_WAIT_MS, DEFAULT_MODES, DEFAULT_THRESHOLD, envThreshold, GROWTH, MIN_DELTA, trace } from "./policy.js";
import { startThreads, threadsReady } from "./pool.js";
import { pureSource, workerHead } from "./purity.js";
import { runLocal, type LocalPlan } from "./local-mode.js";
import type { Fault } from "./messages.js";
import { parallelDelta, planRound, runRound, type RoundPlan } from "./round-mode.js";
import { planExchange, type ExchangePlan } from "./exchange-plan.js";
import { runExchange } from "./exchange-mode.js";
import { codeOf } from "./views.js";

interface Analysis {
  readonly local?: LocalPlan;
  readonly exchange?: ExchangePlan;
  readonly round: RoundPlan;
}

/** The ways a stratum can use the workers, most efficient first. */
export type Mode = "local" | "exchange" | "round";

export class ParallelExecutor {
  /** Tells the workers' caches apart from other runners'. */
  private readonly owner = randomUUID();
  private readonly analyses = new WeakMap<StratumRun, Analysis>();
  readonly threshold: number;
  /** How often each path was taken, in this process (for tests and tracing). */
  static readonly counts = { local: 0, exchange: 0, parallelRounds: 0, serialRounds: 0 };
  /** The modes the executor may use: DEFAULT_MODES, or those CAIRN_PARALLEL_MODES lists (for tests and measurements). */
  static modes: ReadonlySet<Mode> = new Set<Mode>((process.env.CAIRN_PARALLEL_MODES?.split(",") ?? DEFAULT_MODES) as Mode[]);
  /** Test hook: the next tasks make their worker throw or exit. */
  static fault: Fault | undefined = process.env.CAIRN_PARALLEL_FAULT as Fault | undefined;

  constructor(
    private readonly runner: ProgramRunner,
    readonly workers: number,
    threshold?: number,
  ) {
    this.threshold = threshold ?? envThreshold() ?? DEFAULT_THRESHOLD;
  }

  private analyse(plan: StratumRun, index: number): Analysis {
    let a = this.analyses.get(plan);
    if (!a) {
      const modes = ParallelExecutor.modes;
      const local = modes.has("local") ? this.localPlan(plan) : undefined;
      const exchange = !local && modes.has("exchange") ? planExchange(this.runner, plan, index) : undefined;
      a = { local, exchange, round: planRound(this.runner, plan) };
      this.analyses.set(plan, a);
      const how = local ? "co-partitioned" : exchange ? "exchange" : "rounds";
      trace(
        () =>
          `stratum ${plan.stratum.relations.join(", ")}: ${how}; ${a!.round.parallel.length} of ${plan.step.length} versions can run in parallel rounds`,
      );
    }
    return a;
  }

  /** The plan for running the stratum's fixpoint in independent parts, if it is co-partitioned and workers can run all of it. */
  private localPlan(plan: StratumRun): LocalPlan | undefined {
    const rel = (n: string) => this.runner.relation(n);
    if (!plan.step.every((v) => pureSource(v.compiled.source))) return undefined;
    if (!plan.relations.every(workerHead)) return undefined;
    const rules = [...new Set(plan.step.map((v) => v.rule))];
    const partition = choosePartition(plan.stratum.relations, rules, (n) => rel(n).arity - (rel(n).lattice ? 1 : 0));
    if (!partition) return undefined;
    const own = new Set<Relation>(plan.relations);
    const reads = new Set<Relation>();
    for (const v of plan.step) for (const n of v.compiled.relations) if (!own.has(rel(n))) reads.add(rel(n));
    return { partition, codes: plan.step.map(codeOf), reads: [...reads] };
  }

  /**
   * Whether the worker threads have booted; the first call starts them (a
   * program too small to want them never pays for them). Until they are up,
   * rounds go on here rather than wait; a pause for the event loop lets their
   * first answers in. Tests (threshold 0) always wait.
   */
  private async threadsUp(elapsed: number): Promise<boolean> {
    startThreads(this.workers);
    if (this.threshold === 0 || elapsed >= BOOT_WAIT_MS || threadsReady(this.workers)) return true;
    // A pause every few milliseconds of rounds, not every round: rounds can be much shorter than a turn of the event loop.
    if (performance.now() - this.paused < 5) return false;
    await new Promise((resolve) => setImmediate(resolve));
    this.paused = performance.now();
    return threadsReady(this.workers);
  }

  /** When threadsUp() last let the event loop run. */
  private paused = 0;

  /** Iterates the stage's stratum to its fixpoint, using the workers where it pays. */
  async iterate(stage: Stage): Promise<void> {
    const { plan, report, index } = stage;
    const rels = plan.relations;
    // Versions with no delta yet are planned on first need on this thread; the workers need them all now.
    this.runner.planAll(plan.step);
    if (plan.step.length === 0) {
      this.runner.iterate(plan, report);
      return;
    }
    const a = this.analyse(plan, index);
    if (!a.local && !a.exchange && !(ParallelExecutor.modes.has("round") && a.round.parallel.length > 0)) {
      this.runner.iterate(plan, report);
      return;
    }
    const fault = ParallelExecutor.fault;
    const start = performance.now();
    for (let round = 1; rels.some((r) => r.deltaEnd > r.stableEnd); round++) {
      const delta = rels.reduce((n, r) => n + r.deltaEnd - r.stableEnd, 0);
      const elapsed = performance.now() - start;
      // Handing off costs in proportion to the relations' size: worth it while rounds still add a good share of it.
      const size = rels.reduce((n, r) => n + r.live, 0);
      const worth = this.threshold === 0 || delta * GROWTH >= size;
      const wanted = worth && delta >= Math.min(MIN_DELTA, this.threshold);
      const handOff = wanted && (await this.threadsUp(elapsed));
      if (a.local && handOff) {
        ParallelExecutor.counts.local++;
        const rounds = await runLocal(plan, a.local, this.workers, fault);
        // At the fixpoint; indexes catch up when something reads them (Relation.ensureIndexed).
        for (const r of rels) r.stableEnd = r.deltaEnd = r.size;
        report(round + rounds);
        return;
      }
      // Exchanging needs a placement that fits the data: wait until there is enough of it to tell.
      const sized = handOff && (delta >= this.threshold || rels.reduce((n, r) => n + r.live, 0) >= this.threshold);
      const exchange = a.exchange && sized ? (planExchange(this.runner, plan, index, this.workers) ?? a.exchange) : undefined;
      if (exchange) {
        ParallelExecutor.counts.exchange++;
        trace(
          () =>
            `exchange: ${[...exchange.sent]
              .map((n) => {
                const p = exchange.shards.placement.get(n)!;
                return `${n} ${p.kind === "split" ? `split on ${p.column}` : "replicated"}`;
              })
              .join(", ")}`,
        );
        const steps = await runExchange(this.runner, plan, exchange, this.workers, fault);
        for (const r of rels) r.stableEnd = r.deltaEnd = r.size;
        report(round + steps);
        return;
      }
      plan.heights.begin();
      if (
        (this.threshold === 0 || threadsReady(this.workers)) &&
        ParallelExecutor.modes.has("round") &&
        a.round.parallel.length > 0 &&
        parallelDelta(a.round) >= Math.max(1, this.threshold)
      ) {
        ParallelExecutor.counts.parallelRounds++;
        await runRound(this.runner, a.round, this.workers, this.owner, fault);
      } else {
        ParallelExecutor.counts.serialRounds++;
        this.runner.runRound(plan.step);
      }
      endRound(rels);
      report(round);
    }
    for (const r of rels) r.settle();
  }
}
