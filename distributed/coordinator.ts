// The coordinator's side of a cluster run, whatever carries its frames. It
// holds the program and the input facts as a single-process run would, sends
// every node the program, its symbol table and the rows it owns, then starts
// each phase (shard-plan.ts) and ends it by termination detection: once every
// node has reported idle with as many rows frames received as sent in all, a
// probe asks each node again; if no node's counts moved in between, nothing
// was in flight and nothing ran at the moment the probe went out, so the
// phase is done (the four-counter method; counts are of distinct frames, so
// repeated deliveries do not fool it). Starting the next phase is the barrier.
// Last, it collects the rows of the relations it must write into its own
// relations, so outputs are written exactly as by one process.

import type { CheckedProgram } from "../lang/model.js";
import { ruleTerms, visitTerms } from "../lang/model-terms.js";
import type { Span } from "../lang/span.js";
import { EvaluationError } from "../engine/eval/functors.js";
import { GrowthLimitError } from "../engine/storage/relation.js";
import { MemoryLimitError } from "../engine/storage/memory-budget.js";
import type { ProgramRunner } from "../engine/eval/program-runner.js";
import type { ShardPlan } from "./shard-plan.js";
import { barriers } from "./shard-plan.js";
import { ownerOfCell } from "../engine/parallel/partition.js";
import type { FunctorModule } from "./functor-module.js";
import { RowWire } from "./row-wire.js";
import { splitRecord } from "./record-wire.js";
import { SymbolWire } from "./symbol-wire.js";
import { type Control, decode, encode, framesOf, type Message, type NodeStats, type ProgramSource, rowsFrames, WireError } from "./wire.js";

/** The coordinator's links to the nodes, in node order. */
export interface ClusterLinks {
  readonly nodes: number;
  /** How each node is named in messages and statistics. */
  readonly addresses: readonly string[];
  send(node: number, frame: Uint8Array): void;
  /** Set by the coordinator: a frame from a node. */
  onFrame?: (node: number, frame: Uint8Array) => void;
  /** Set by the coordinator: a node stopped answering or its link failed for good. */
  onLost?: (node: number, why: string) => void;
}

/** Links opened for one run attempt. */
export interface OpenLinks extends ClusterLinks {
  /** The attempt's id, as the nodes know it. */
  readonly run: string;
  /** Closes every link (the nodes then drop the run and wait for the next); resolves once they are closed. */
  close(): Promise<void>;
}

export interface ClusterNodeStats extends NodeStats {
  readonly address: string;
}

export interface ClusterStats {
  readonly nodes: readonly ClusterNodeStats[];
  /** The most local evaluations any node ran. */
  readonly rounds: number;
  /** Global barriers before the final termination (one per phase after the first). */
  readonly barriers: number;
}

/** A cluster run failed outside the program's own evaluation (a node lost, a node's internal failure). */
export class ClusterError extends Error {
  constructor(
    message: string,
    /** The address of the node that was lost, when a node was: the run may go on without it. */
    readonly lost?: string,
  ) {
    super(message);
    this.name = "ClusterError";
  }
}

interface Status {
  readonly sent: number;
  readonly received: number;
}

/**
 * Interns every symbol constant of the rules, in rule order, so that the
 * table the nodes take over holds them: a node then finds each constant its
 * generated code needs under the coordinator's id, and never makes an id of
 * its own that the others would read as another string.
 */
function internConstants(program: CheckedProgram, runner: ProgramRunner): void {
  for (const rule of program.rules)
    for (const t of ruleTerms(rule))
      visitTerms(t, (s) => {
        if (s.kind === "const" && s.type === "symbol") runner.symbols.intern(String(s.value));
      });
}

/** The relations a run writes or counts: what the coordinator collects. */
export function collectedRelations(program: CheckedProgram): string[] {
  return [...program.relations.values()].filter((r) => r.outputs.length > 0 || r.printsize).map((r) => r.name);
}

export function runOnCluster(args: {
  readonly program: CheckedProgram;
  readonly source: ProgramSource;
  /** The coordinator's runner, its input facts loaded; collected rows are joined into its relations. */
  readonly runner: ProgramRunner;
  readonly plan: ShardPlan;
  readonly links: ClusterLinks;
  /** The relations to collect (default: the outputs and printed sizes). */
  readonly collect?: readonly string[];
  /** The module implementing the program's user functors, shipped to every node. */
  readonly functors?: FunctorModule;
  /** The relations whose rows the nodes are sent (default: all). */
  readonly send?: ReadonlySet<string>;
  /**
   * Nodes in this process (engine/parallel/exchange-mode.ts): they send back
   * only rows they added, which this runner does not hold, so rows of a
   * relation without a lattice are appended as they are.
   */
  readonly inProcess?: boolean;
}): Promise<ClusterStats> {
  const { program, runner, plan, links } = args;
  const n = links.nodes;
  const names = [...program.relations.keys()];
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return new Promise<ClusterStats>((resolve, reject) => {
    let finished = false;
    let phase = -1;
    let wave = 0;
    let probing: { wave: number; snapshot: Status[]; replies: (Status | undefined)[] } | undefined;
    const latest: (Status | undefined)[] = new Array(n).fill(undefined);
    let loaded = 0;
    const collected: (NodeStats | undefined)[] = new Array(n).fill(undefined);
    // autoinc() on the nodes counts from where this runner's counter stands; it goes on past their numbers.
    const counter = runner.exportProgress().counter;
    let counted = counter;
    const frames = new Array<number>(n).fill(0);
    const expected = new Array<number>(n).fill(-1);
    const seen = Array.from({ length: n }, () => new Set<number>());
    const bulk = new Set<string>();
    // Made symbols and the set and pair values the nodes send back are interned here.
    internConstants(program, runner);
    const symbols = runner.symbols.all();
    const wire = new RowWire(program, new SymbolWire(runner.symbols, symbols.length, n), runner.values, runner.records);
    const arrived: Extract<Message, { t: "rows" }>[] = [];

    const send = (k: number, m: Message) => links.send(k, encode(m));
    const fail = (e: Error) => {
      if (finished) return;
      finished = true;
      for (let k = 0; k < n; k++) {
        try {
          send(k, { t: "end" });
        } catch {
          // The link is gone already.
        }
      }
      reject(e);
    };

    const startPhase = (p: number) => {
      phase = p;
      latest.fill(undefined);
      probing = undefined;
      for (let k = 0; k < n; k++) send(k, { t: "phase", phase: p, upTo: plan.phases[p]!.upTo });
    };

    const balanced = (ss: readonly (Status | undefined)[]) => {
      let sent = 0;
      let received = 0;
      for (const s of ss) {
        if (!s) return false;
        sent += s.sent;
        received += s.received;
      }
      return sent === received;
    };

    const phaseDone = () => {
      if (phase + 1 < plan.phases.length) return startPhase(phase + 1);
      const relations = args.collect ?? collectedRelations(program);
      // Nodes send disjoint parts, each without repeats: into an empty relation they go as they are.
      for (const name of relations) {
        const rel = runner.relation(name);
        if (rel.size === 0 || (args.inProcess && !rel.lattice)) bulk.add(name);
      }
      for (let k = 0; k < n; k++) send(k, { t: "collect", relations });
    };

    const onStatus = (k: number, m: Extract<Control, { t: "status" }>) => {
      if (m.phase !== phase) return;
      const s = { sent: m.sent, received: m.received };
      latest[k] = s;
      if (probing && m.wave === probing.wave) {
        probing.replies[k] = s;
        if (probing.replies.every((r) => r !== undefined)) {
          const same = probing.replies.every(
            (r, i) => r!.sent === probing!.snapshot[i]!.sent && r!.received === probing!.snapshot[i]!.received,
          );
          probing = undefined;
          if (same && balanced(latest)) return phaseDone();
        }
      }
      if (!probing && balanced(latest)) {
        probing = { wave: ++wave, snapshot: latest.map((x) => x!), replies: new Array(n).fill(undefined) };
        for (let i = 0; i < n; i++) send(i, { t: "probe", phase, wave });
      }
    };

    const maybeDone = () => {
      for (let k = 0; k < n; k++) if (!collected[k] || frames[k] !== expected[k]) return;
      finished = true;
      // Only a complete collection touches the relations: a run that fails leaves them as they were.
      for (const m of arrived) {
        const name = names[m.relation]!;
        const rel = runner.relation(name);
        wire.in(m.relation, m.cells, m.arity, m.strings, m.values);
        if (bulk.has(name)) rel.appendRows(m.cells, m.count);
        else {
          rel.ensureIndexed();
          for (let i = 0; i < m.count; i++) {
            rel.tmp.set(m.cells.subarray(i * m.arity, (i + 1) * m.arity));
            rel.add();
          }
        }
      }
      if (counted !== counter) runner.importProgress({ ...runner.exportProgress(), counter: counted });
      for (let k = 0; k < n; k++) send(k, { t: "end" });
      const nodes = collected.map((s, k) => ({ address: links.addresses[k]!, ...s! }));
      resolve({ nodes, rounds: Math.max(0, ...nodes.map((x) => x.rounds)), barriers: barriers(plan) });
    };

    const onRows = (k: number, m: Extract<Message, { t: "rows" }>) => {
      if (!seen[k]!.add(m.seq)) return;
      const name = names[m.relation];
      const rel = name === undefined ? undefined : runner.relation(name);
      if (!rel || rel.arity !== m.arity) throw new WireError(`rows for relation ${m.relation} with ${m.arity} cells match no relation`);
      arrived.push(m);
      frames[k]!++;
      maybeDone();
    };

    const onMessage = (k: number, m: Message) => {
      switch (m.t) {
        case "rows":
          return onRows(k, m);
        case "loaded":
          if (++loaded === n) startPhase(0);
          return;
        case "status":
          return onStatus(k, m);
        case "collected":
          collected[k] = m.stats;
          if (typeof m.autoinc === "number") counted = Math.max(counted, m.autoinc);
          expected[k] = m.frames;
          return maybeDone();
        case "failed":
          return fail(
            m.kind === "evaluation"
              ? new EvaluationError(m.message, m.span as Span | undefined)
              : m.kind === "growth"
                ? new GrowthLimitError(m.relation ?? "?", m.rows ?? 0)
                : m.kind === "memory"
                  ? new MemoryLimitError(m.relation, m.rows ?? 0, m.reason ?? "the memory budget is used up")
                  : m.lost !== undefined && links.addresses[m.lost] !== undefined
                    ? new ClusterError(
                        `node ${m.lost} (${links.addresses[m.lost]}) was lost: node ${k} ${m.message}`,
                        links.addresses[m.lost],
                      )
                    : new ClusterError(`node ${k} (${links.addresses[k]}) failed: ${m.message}`),
          );
        default:
          throw new WireError(`unexpected ${m.t} message from a node`);
      }
    };

    links.onFrame = (k, message) => {
      try {
        for (const frame of framesOf(message)) {
          if (finished) return;
          onMessage(k, decode(frame));
        }
      } catch (e) {
        fail(e instanceof WireError ? new ClusterError(`node ${k} (${links.addresses[k]}) sent a bad frame: ${e.message}`) : (e as Error));
      }
    };
    links.onLost = (k, why) => fail(new ClusterError(`node ${k} (${links.addresses[k]}) was lost: ${why}`, links.addresses[k]));

    // Each node gets the program, the symbol table, and the rows it owns of every relation that has some.
    const parts = Array.from({ length: n }, () => [] as Message[]);
    const seqs = new Array<number>(n).fill(0);
    names.forEach((name, i) => {
      const rel = runner.relation(name);
      if (rel.live === 0 || (args.send && !args.send.has(name))) return;
      const p = plan.placement.get(name)!;
      const a = rel.arity;
      // A record or ADT value is owned by its structure (record-wire.ts), every other cell by itself.
      const record = p.kind === "split" ? splitRecord(program, name, p.column) : undefined;
      const cells = Array.from({ length: n }, () => new Int32Array(Math.max(1, rel.live * a)));
      const counts = new Array<number>(n).fill(0);
      for (let row = 0; row < rel.size; row++) {
        if (!rel.isLive(row)) continue;
        const at = row * a;
        const put = (k: number) => {
          cells[k]!.set(rel.data.subarray(at, at + a), counts[k]! * a);
          counts[k]!++;
        };
        if (p.kind === "split")
          put(record ? wire.records.owner(record, rel.data[at + p.column]!, n) : ownerOfCell(rel.data[at + p.column]!, n));
        else for (let k = 0; k < n; k++) put(k);
      }
      for (let k = 0; k < n; k++)
        for (const f of rowsFrames(i, a, cells[k]!, counts[k]!, () => seqs[k]!++)) parts[k]!.push({ ...f, ...wire.out(i, f.cells, a) });
    });
    const placement = names.map((name) => {
      const p = plan.placement.get(name)!;
      return [name, p.kind === "split" ? p.column : -1] as const;
    });
    try {
      for (let k = 0; k < n; k++) {
        const everywhere = plan.everywhere.map((r) => r.id);
        const { growthLimit, memoryLimit } = runner.options;
        send(k, {
          t: "setup",
          run,
          node: k,
          nodes: n,
          program: args.source,
          symbols,
          placement,
          everywhere,
          solo: plan.solo.map((r) => r.id),
          autoinc: counter,
          growthLimit,
          memoryLimit,
          facts: parts[k]!.length,
          functors: args.functors,
        });
        for (const m of parts[k]!) send(k, m);
      }
    } catch (e) {
      fail(e as Error);
    }
  });
}
