// Coordinator side of a stratum whose workers exchange deltas, in supersteps:
// each worker inserts the rows sent to it and runs the rule versions over
// them (exchange-task.ts), meanwhile the coordinator runs the versions only it
// can run over the previous superstep's parts (exchange-coordinator.ts); then
// it routes every derived row to the worker that owns it. Parts live in shared
// memory; rows move as shared or transferred Int32Arrays. When a superstep
// derives nothing, the stratum is at its fixpoint, and the parts' new rows are
// appended to the relations.

import type { ProgramRunner, StratumRun } from "../eval/program-runner.js";
import type { RelationState } from "../storage/relation.js";
import { ExchangeCoordinator } from "./exchange-coordinator.js";
import type { ExchangePlan } from "./exchange-plan.js";
import type { ExchangeTask, Fault, ShardOut } from "./messages.js";
import { runAll } from "./pool.js";
import { trace } from "./policy.js";
import { raise } from "./raise.js";
import { shareOfMemory, viewOf } from "./views.js";

/** The workers' parts: for each worker, each relation's state; what each worker is sent next; where each part's first rows are in the relation. */
interface Parts {
  states: RelationState[][];
  inboxes: ShardOut[][];
  places: Int32Array[][];
  /** Rows each part started with before the exchange (rounds on one thread already read them). */
  seen: number[][];
}

/** The live rows among rows [from, to) of a lattice relation's part, as one array. */
function liveRows(data: Int32Array, dead: Uint8Array, arity: number, from: number, to: number): { rows: Int32Array; count: number } {
  let count = 0;
  for (let r = from; r < to; r++) if (dead[r] === 0) count++;
  const rows = new Int32Array(count * arity);
  let k = 0;
  for (let r = from; r < to; r++) {
    if (dead[r] !== 0) continue;
    for (let c = 0, b = r * arity; c < arity; c++) rows[k++] = data[b + c]!;
  }
  return { rows, count };
}

/** Sends each output to its worker (a copy to each, for a replicated relation). */
function route(outs: readonly ShardOut[], workers: number): ShardOut[][] {
  const inboxes: ShardOut[][] = Array.from({ length: workers }, () => []);
  for (const o of outs) {
    if (o.dest !== undefined && o.dest >= 0) inboxes[o.dest]!.push(o);
    else {
      const to = Array.from({ length: workers }, (_, k) => k).filter((k) => k !== o.except);
      to.forEach((k, j) => inboxes[k]!.push(j === to.length - 1 ? o : { ...o, rows: o.rows.slice(), hashes: new Int32Array(0) }));
    }
  }
  return inboxes;
}

/** Runs the rest of the stratum's fixpoint in supersteps; returns how many. */
let runs = 0;

export async function runExchange(
  runner: ProgramRunner,
  plan: StratumRun,
  xp: ExchangePlan,
  workers: number,
  fault?: Fault,
): Promise<number> {
  const t0 = performance.now();
  const run = `${process.pid}/${++runs}/${Math.random()}`;
  // The first superstep: each worker takes its part out of the shared relations.
  const sources = plan.relations.map(viewOf);
  const parts: Parts = { states: [], inboxes: Array.from({ length: workers }, () => []), places: [], seen: [] };
  const reads = xp.reads.map(viewOf);
  const codesFor = (k: number) => [...xp.everywhere, ...(k === 0 ? xp.first : [])].map((v) => xp.codes.get(v)!);
  const versionsFor = (k: number) => [...xp.everywhere, ...(k === 0 ? xp.first : [])];
  let initial: number[][] | undefined;
  let steps = 0;
  let busy = 0;
  let inTasks = 0;
  let inCoordinator = 0;
  const coordinator = new ExchangeCoordinator(runner, plan, xp, workers, parts.seen);
  let first = true;
  // Parts as the last superstep left them, which the coordinator has yet to run its versions over.
  let unseen: RelationState[][] | undefined;
  const maxRows = Math.min(...plan.relations.map((r) => r.maxRows));
  const memory = shareOfMemory(plan.relations, workers);
  for (;;) {
    steps++;
    const tasks = Array.from(
      { length: workers },
      (_, k): ExchangeTask => ({
        kind: "exchange",
        run,
        worker: k,
        workers,
        relations: xp.specs,
        state: parts.states[k],
        sources: first ? sources : undefined,
        peers: parts.states,
        inbox: parts.inboxes[k]!,
        versions: codesFor(k),
        reads,
        maxRows,
        memory,
        fault,
      }),
    );
    // Rows the coordinator made are moved; rows from the workers already live in shared memory.
    const transfers = parts.inboxes.map((box) =>
      box.flatMap((o) => [o.rows.buffer, o.hashes.buffer]).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0),
    );
    const ta = performance.now();
    const pending = runAll(workers, tasks, transfers);
    // While the workers run this superstep, the coordinator runs its versions over the last one's parts.
    let failure: unknown;
    const outs: ShardOut[] = [];
    try {
      if (unseen) outs.push(...coordinator.run(unseen));
    } catch (e) {
      failure = e;
    }
    const tc = performance.now();
    inCoordinator += tc - ta;
    const results = await pending;
    if (failure) throw failure;
    inTasks += performance.now() - ta;
    let grew = 0;
    results.forEach((r, k) => {
      if (!r.ok) raise(r.error, (at) => versionsFor(k)[at]?.rule);
      parts.states[k] = [...r.state];
      outs.push(...r.out);
      grew += r.grew;
      busy += r.ms;
    });
    if (first) {
      initial = results.map((r) => (r.ok ? [...r.base] : []));
      parts.places = results.map((r) => (r.ok ? [...r.places!] : []));
      parts.seen.push(...results.map((r) => (r.ok ? [...r.stable!] : [])));
      first = false;
    }
    unseen = coordinator.idle ? undefined : parts.states;
    if (grew === 0 && outs.every((o) => o.count === 0)) {
      // The workers are done; the coordinator's versions over this last superstep decide.
      if (unseen) outs.push(...coordinator.run(unseen));
      unseen = undefined;
      if (outs.every((o) => o.count === 0)) break;
    }
    parts.inboxes = route(outs, workers);
  }
  const t1 = performance.now();
  merge(plan, xp, parts, initial!);
  trace(
    () =>
      `exchange stratum: ${steps} supersteps, ${(t1 - t0).toFixed(1)} ms (tasks ${inTasks.toFixed(0)} ms with workers busy ${busy.toFixed(0)} ms in all, coordinator versions ${inCoordinator.toFixed(0)} ms), merge ${(performance.now() - t1).toFixed(1)} ms`,
  );
  return steps;
}

/**
 * Appends each part's rows past its first superstep to the relations (one
 * part's, for a replicated relation), as they are: parts never overlap. For a
 * lattice relation, the rows a part's first rows superseded are marked dead.
 */
function merge(plan: StratumRun, xp: ExchangePlan, parts: Parts, initial: number[][]): void {
  plan.relations.forEach((rel, i) => {
    const sources = xp.specs[i]!.column < 0 ? [0] : parts.states.map((_, k) => k);
    for (const k of sources) {
      const state = parts.states[k]![i]!;
      const first = initial[k]![i]!;
      const a = rel.arity;
      if (!rel.lattice) {
        rel.appendRows(state.data.subarray(first * a, state.size * a), state.size - first);
        continue;
      }
      for (let r = 0; r < first; r++) if (state.dead[r] !== 0) rel.supersede(parts.places[k]![i]![r]!);
      const { rows, count } = liveRows(state.data, state.dead, a, first, state.size);
      rel.appendRows(rows, count);
    }
  });
}
