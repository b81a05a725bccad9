// One node's part of a cluster run, whatever carries its frames (WebSockets
// between processes, node-server.ts; MessagePorts between worker threads,
// engine/parallel/thread-links.ts; an in-memory network in tests).
// It compiles the program the coordinator sent (with the user functors of
// the module it ships, imported first where the host allows it:
// functor-module.ts), holds its shards (shard-relation.ts) and evaluates the
// current phase's strata with the ordinary semi-naive runner, autoinc()
// counting in steps of the number of nodes from its own index. Each time frames arrive it applies them all and
// runs the strata again, continuing from its last fixpoint (later runs catch
// up from the rows that arrived), then sends what it derived for other nodes.
// No round waits for another node: a phase ends when the coordinator's
// termination detection finds every node idle with nothing in flight. A pass
// over the strata runs in slices of SLICE_MS, sending what it derived after
// each, so that heartbeats are answered during long evaluations; frames that
// arrive meanwhile wait for the pass to end.
//
// Delivery may repeat and reorder frames: rows frames are numbered per link
// and a repeat is dropped, and applying rows is a join (set union, or the
// lattice's least upper bound), so order does not matter.

import { frontend } from "../lang/compile.js";
import type { CheckedProgram } from "../lang/model.js";
import { EvaluationError, type UserFunctor } from "../engine/eval/functors.js";
import { ProgramRunner, type Stage } from "../engine/eval/program-runner.js";
import { GrowthLimitError } from "../engine/storage/relation.js";
import { MemoryLimitError } from "../engine/storage/memory-budget.js";
import { ShardRelation, type SymbolOwners } from "./shard-relation.js";
import type { FunctorModule } from "./functor-module.js";
import { RowWire } from "./row-wire.js";
import { SymbolWire } from "./symbol-wire.js";
import { splitRecord } from "./record-wire.js";
import { bundle, type Control, decode, encode, framesOf, type Message, type NodeStats, rowsFrames, type Rows, WireError } from "./wire.js";

/** How long a node evaluates before it lets the event loop run (frames, heartbeats). */
const SLICE_MS = 50;

/** The coordinator's address on a node's links (nodes are 0 … n-1). */
export const COORDINATOR = -1;

/** Sequence numbers seen on one link: all below `floor`, and those above it. */
class SeenSet {
  private floor = 0;
  private readonly above = new Set<number>();

  /** Records `seq`; false when it was seen before. */
  add(seq: number): boolean {
    if (seq < this.floor || this.above.has(seq)) return false;
    this.above.add(seq);
    while (this.above.delete(this.floor)) this.floor++;
    return true;
  }
}

export interface NodeHost {
  /** Hands a frame to the link towards `to` (a node, or COORDINATOR). */
  send(to: number, frame: Uint8Array): void;
  /** Runs `f` soon, after frames that already arrived were handed to receive(). */
  defer(f: () => void): void;
  /** A frame that failed its checks, or a failure while serving the run. */
  log?(message: string): void;
  /**
   * Backpressure: calls `f` once the links have room again (at once when they
   * have). A node whose sends pile up stops evaluating, and so stops making
   * more to send, until they drain; frames that arrive meanwhile wait.
   */
  whenWritable?(f: () => void): void;
  /**
   * Imports the functors module a run ships (functor-module.ts); absent on a
   * node that does not run the coordinator's code (`cairn node` without
   * --allow-functors), which then fails such a run.
   */
  loadFunctors?(m: FunctorModule): Promise<Record<string, UserFunctor>>;
}

/**
 * A node in a thread of the coordinator's own process (engine/parallel/
 * exchange-mode.ts runs a stratum on such nodes): it is handed the checked
 * program rather than compiling the source, and prepares its runner once
 * every fact is in, before it evaluates anything.
 */
export interface InProcessNode {
  readonly program: CheckedProgram;
  /** Stand-ins for the program's user functors (the node runs no rule that calls one). */
  readonly functors?: Readonly<Record<string, UserFunctor>>;
  loaded(runner: ProgramRunner, relations: readonly ShardRelation[]): void;
}

interface Setup {
  /** Made symbols and set and pair values to and from the wire. */
  readonly wire: RowWire;
  readonly runner: ProgramRunner;
  readonly relations: readonly ShardRelation[];
  readonly node: number;
  readonly facts: number;
}

export class ShardNode {
  private setup: Setup | undefined;
  /** While the run's functors module loads, what arrives waits in the queue. */
  private loading = false;
  private readonly queue: { from: number; m: Message }[] = [];
  private readonly outgoing = new Map<number, Uint8Array[]>();
  private scheduled = false;
  /** Set by the host's whenWritable() callback just before a pump runs. */
  private writable = false;
  private factsIn = 0;
  private phase = -1;
  private upTo = 0;
  /** Rows arrived (or a phase started) since the last evaluation. */
  private dirty = false;
  /** Whether rows were applied or strata run since the last status. */
  private active = false;
  /** A pass over the phase's strata under way, run a slice at a time. */
  private evaluation: { readonly stages: Generator<Stage, void, void>; stage: IteratorResult<Stage, void> | undefined } | undefined;
  private readonly seen = new Map<number, SeenSet>();
  private readonly seqTo = new Map<number, number>();
  private probes: number[] = [];
  private failed = false;
  /** Counters for termination detection (node-to-node rows frames only) and for the statistics. */
  private sent = 0;
  private received = 0;
  private bytesSent = 0;
  private exchangeBytes = 0;
  private bytesReceived = 0;
  private rounds = 0;
  /** A node in the coordinator's process: each relation's rows once its facts were in. */
  private loadedRows: number[] | undefined;
  /** Set once the coordinator ends the run or the node gives up on it. */
  done = false;

  constructor(
    private readonly host: NodeHost,
    private readonly inProcess?: InProcessNode,
  ) {}

  /** A message from `from` (a node or COORDINATOR): a frame or a bundle of them. Malformed ones are logged and dropped. */
  receive(from: number, message: Uint8Array): void {
    if (this.done) return;
    const ms: Message[] = [];
    try {
      for (const frame of framesOf(message)) ms.push(decode(frame));
    } catch (e) {
      if (e instanceof WireError) {
        this.host.log?.(`${e.message} (from ${from === COORDINATOR ? "the coordinator" : `node ${from}`})`);
        return;
      }
      throw e;
    }
    this.bytesReceived += message.length;
    for (const m of ms) {
      // The run is over as soon as the coordinator says so: the node may take the next one.
      if (m.t === "end") this.done = true;
      this.queue.push({ from, m });
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.host.defer(() => this.pump());
    }
  }

  /** Queues a message for `to`; sendAll() sends each destination's queue as one message (a bundle). */
  private post(to: number, m: Message): void {
    let queue = this.outgoing.get(to);
    if (!queue) this.outgoing.set(to, (queue = []));
    queue.push(encode(m));
  }

  private sendAll(): void {
    for (const [to, frames] of this.outgoing) {
      for (const message of bundle(frames)) {
        this.bytesSent += message.length;
        if (to !== COORDINATOR) this.exchangeBytes += message.length;
        this.host.send(to, message);
      }
    }
    this.outgoing.clear();
  }

  private nextSeq(to: number): number {
    const s = this.seqTo.get(to) ?? 0;
    this.seqTo.set(to, s + 1);
    return s;
  }

  /** Applies everything that arrived, evaluates if anything changed, sends what is due. */
  private pump(): void {
    if (this.failed || this.done) {
      this.scheduled = false;
      return;
    }
    if (this.host.whenWritable && !this.writable) {
      this.host.whenWritable(() => {
        this.writable = true;
        this.pump();
      });
      return;
    }
    this.writable = false;
    this.scheduled = false;
    try {
      this.step();
    } catch (e) {
      this.outgoing.clear();
      this.fail(e);
    }
    this.sendAll();
  }

  private step(): void {
    const s = this.setup;
    // Mid-evaluation, what arrives waits: rows added under a pass over the strata would be taken as seen.
    if (this.evaluation && s) {
      if (!this.evaluate(s)) return;
    } else {
      let taken = 0;
      try {
        for (; taken < this.queue.length && !this.loading; taken++) {
          const { from, m } = this.queue[taken]!;
          if (m.t === "rows") {
            if (this.applyRows(from, m)) this.active = true;
            continue;
          }
          if (m.t === "setup") this.start(m);
          else this.control(m);
        }
      } finally {
        // A setup that loads a functors module ends the loop: what follows it waits for the module.
        this.queue.splice(0, taken);
      }
      if (!this.setup) return;
      if (this.dirty && this.phase >= 0) {
        this.active = true;
        this.dirty = false;
        this.rounds++;
        this.evaluation = { stages: this.setup.runner.stages(this.upTo), stage: undefined };
        if (!this.evaluate(this.setup)) return;
      }
    }
    if (this.phase >= 0 && (this.active || this.probes.length > 0)) {
      const waves = this.probes.length > 0 ? this.probes.splice(0) : [-1];
      for (const wave of waves) this.post(COORDINATOR, { t: "status", phase: this.phase, wave, sent: this.sent, received: this.received });
    }
    this.active = false;
  }

  /**
   * Runs the strata for a slice of time, then sends what they derived; false
   * when there is more to run (the node comes back to it after what the event
   * loop has waiting, heartbeats included).
   */
  private evaluate(s: Setup): boolean {
    const e = this.evaluation!;
    const until = performance.now() + SLICE_MS;
    for (const r of s.relations) r.routing = true;
    try {
      // Starting a stratum runs its first rules: with routing on, as every rule runs.
      e.stage ??= e.stages.next();
      while (!e.stage.done) {
        const left = until - performance.now();
        if (left <= 0 || !s.runner.iterate(e.stage.value.plan, e.stage.value.report, left)) break;
        e.stage = e.stages.next();
      }
    } finally {
      for (const r of s.relations) r.routing = false;
    }
    this.flush(s);
    if (!e.stage.done) {
      this.scheduled = true;
      this.host.defer(() => this.pump());
      return false;
    }
    this.evaluation = undefined;
    return true;
  }

  private start(m: Extract<Control, { t: "setup" }>): void {
    if (this.setup || this.loading) return;
    if (m.functors === undefined) return this.compile(m, {});
    const load = this.host.loadFunctors;
    if (!load) throw new Error(`this node does not run functor modules (${m.functors.name}): start it with cairn node --allow-functors`);
    this.loading = true;
    load(m.functors).then(
      (functors) => {
        if (this.done || this.failed) return;
        this.loading = false;
        this.guard(() => this.compile(m, functors));
      },
      (e: unknown) => {
        if (this.done || this.failed) return;
        this.loading = false;
        this.guard(() => {
          throw new Error(`cannot load the functors module ${m.functors!.name}: ${(e as Error).message ?? e}`);
        });
      },
    );
  }

  /** Runs `f` as a pump would (a failure reported to the coordinator), then sends what is due and pumps what waited. */
  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.outgoing.clear();
      this.fail(e);
    }
    this.sendAll();
    if (!this.scheduled && this.queue.length > 0) {
      this.scheduled = true;
      this.host.defer(() => this.pump());
    }
  }

  /** Compiles the program the coordinator sent over shard relations, with the run's functors, and takes over its symbol table. */
  private compile(m: Extract<Control, { t: "setup" }>, functors: Readonly<Record<string, UserFunctor>>): void {
    const checked = this.inProcess?.program ?? this.checkedOf(m.program);
    const columns = new Map(m.placement);
    const relations: ShardRelation[] = [];
    const owners: SymbolOwners = {};
    const everywhere = new Set(m.everywhere);
    // Node 0 runs the rules that number their tuples over replicas alone; the others keep none of what they derive.
    const muted = new Set(m.node === 0 ? [] : (m.solo ?? []));
    const byName = new Map<string, ShardRelation>();
    let head: ShardRelation | undefined;
    const runner = new ProgramRunner(checked, {
      functors: this.inProcess?.functors ?? functors,
      growthLimit: m.growthLimit,
      memoryLimit: m.memoryLimit,
      // Node k of n numbers k, k + n, k + 2n, …: no two nodes give the same number.
      autoinc: { first: (m.autoinc ?? 0) + m.node, step: m.nodes },
      beforeRule: (rule) => {
        if (head) head.ownOnly = head.muted = false;
        head = byName.get(rule.head.relation);
        if (head) {
          head.muted = muted.has(rule.id);
          head.ownOnly = head.muted || everywhere.has(rule.id);
        }
      },
      relationFactory: (name, types, lattice) => {
        const column = columns.get(name) ?? -1;
        const record = column >= 0 ? splitRecord(checked, name, column) : undefined;
        const r = new ShardRelation(name, types, lattice, column, m.node, m.nodes, owners, record);
        relations.push(r);
        byName.set(name, r);
        return r;
      },
    });
    if (!runner.symbols.restore(m.symbols)) throw new Error("the coordinator's symbol table does not extend this node's");
    const symbols = (owners.wire = new SymbolWire(runner.symbols, m.symbols.length, m.nodes));
    const wire = new RowWire(checked, symbols, runner.values, runner.records);
    owners.records = wire.records;
    this.setup = { runner, relations, node: m.node, facts: m.facts, wire };
    this.checkLoaded();
  }

  /** The program the coordinator sent, compiled here. */
  private checkedOf(program: Extract<Control, { t: "setup" }>["program"]): CheckedProgram {
    const files = new Map(program.files);
    const front = frontend(program.entry, (p) => files.get(p), {
      includeDirs: [...program.includeDirs],
      defines: { ...program.defines },
    });
    if (!front.checked) throw new Error(`the program does not compile on this node: ${front.diagnostics[0]?.message ?? "unknown error"}`);
    return front.checked;
  }

  private checkLoaded(): void {
    if (this.setup && this.factsIn === this.setup.facts) {
      this.factsIn = -1;
      if (this.inProcess) {
        this.inProcess.loaded(this.setup.runner, this.setup.relations);
        this.loadedRows = this.setup.relations.map((r) => r.size);
      }
      this.post(COORDINATOR, { t: "loaded" });
    }
  }

  /** Applies a rows frame (once per link and sequence); returns whether it was new. */
  private applyRows(from: number, m: Rows): boolean {
    const s = this.setup;
    if (!s) throw new Error("rows arrived before the run was set up");
    let seen = this.seen.get(from);
    if (!seen) this.seen.set(from, (seen = new SeenSet()));
    if (!seen.add(m.seq)) return false;
    const rel = s.relations[m.relation];
    if (!rel || rel.arity !== m.arity) throw new WireError(`rows for relation ${m.relation} with ${m.arity} cells match no relation`);
    s.wire.in(m.relation, m.cells, m.arity, m.strings, m.values);
    // A node in the coordinator's process gets its facts before any other row, each once: appended as they are.
    if (this.inProcess && from === COORDINATOR && this.factsIn >= 0) {
      rel.appendRows(m.cells, m.count);
      if (m.count > 0) this.dirty = true;
    } else if (rel.receive(m.cells, m.count) > 0) this.dirty = true;
    if (from === COORDINATOR) {
      this.factsIn++;
      this.checkLoaded();
    } else this.received++;
    return true;
  }

  private control(m: Control): void {
    switch (m.t) {
      case "phase":
        if (m.phase > this.phase) {
          this.phase = m.phase;
          this.upTo = m.upTo;
          this.dirty = true;
        }
        return;
      case "probe":
        if (m.phase === this.phase) this.probes.push(m.wave);
        return;
      case "collect":
        this.collect(m.relations);
        return;
      case "end":
        this.done = true;
        return;
      case "setup":
      case "loaded":
      case "status":
      case "collected":
      case "failed":
        this.host.log?.(`unexpected ${m.t} message`);
        return;
    }
  }

  /** Sends what the rules collected for other nodes. */
  private flush(s: Setup): void {
    s.relations.forEach((r, i) => {
      r.outboxes.forEach((box, to) => {
        if (box.count === 0) return;
        const out = box.take();
        for (const f of this.framesFor(s, i, out.rows, out.count, to)) {
          this.sent++;
          this.post(to, f);
        }
      });
    });
  }

  /** Rows of relation `i` for `to`, in numbered frames, made symbols as strings and sets and pairs as their structure. */
  private framesFor(s: Setup, i: number, cells: Int32Array, count: number, to: number): Rows[] {
    const arity = s.relations[i]!.arity;
    return rowsFrames(i, arity, cells, count, () => this.nextSeq(to)).map((f) => ({ ...f, ...s.wire.out(i, f.cells, arity) }));
  }

  /** Sends the coordinator the rows this node answers for: its part of each split relation, and node 0 every replicated one. */
  private collect(names: readonly string[]): void {
    const s = this.setup!;
    let frames = 0;
    for (const name of names) {
      const i = s.relations.findIndex((r) => r.name === name);
      const r = s.relations[i]!;
      if (r.column < 0 && s.node !== 0) continue;
      // A node in the coordinator's process sends only the rows it added: the coordinator holds those it sent.
      const from = this.loadedRows?.[i] ?? 0;
      let count = 0;
      for (let row = from; row < r.size; row++) if (r.isLive(row)) count++;
      const a = r.arity;
      let cells: Int32Array;
      if (count === r.size - from) cells = r.data.slice(from * a, r.size * a);
      else {
        cells = new Int32Array(count * a);
        for (let row = from, k = 0; row < r.size; row++) {
          if (!r.isLive(row)) continue;
          cells.set(r.data.subarray(row * a, (row + 1) * a), k);
          k += a;
        }
      }
      for (const f of this.framesFor(s, i, cells, count, COORDINATOR)) {
        frames++;
        this.post(COORDINATOR, f);
      }
    }
    this.post(COORDINATOR, { t: "collected", frames, stats: this.stats(), autoinc: s.runner.exportProgress().counter });
  }

  stats(): NodeStats {
    const s = this.setup;
    const rows: Record<string, number> = {};
    let derived = 0;
    for (const r of s?.relations ?? []) {
      rows[r.name] = r.live;
      derived += r.derived;
    }
    return {
      rows,
      derived,
      framesSent: this.sent,
      framesReceived: this.received,
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
      exchangeBytes: this.exchangeBytes,
      rounds: this.rounds,
    };
  }

  private fail(e: unknown): void {
    this.failed = true;
    const kind =
      e instanceof EvaluationError
        ? "evaluation"
        : e instanceof GrowthLimitError
          ? "growth"
          : e instanceof MemoryLimitError
            ? "memory"
            : "internal";
    const span = e instanceof EvaluationError ? e.span : undefined;
    this.host.log?.(`run failed: ${(e as Error).message ?? e}`);
    const growth =
      e instanceof GrowthLimitError
        ? { relation: e.relation, rows: e.rows }
        : e instanceof MemoryLimitError
          ? { relation: e.relation, rows: e.rows, reason: e.reason }
          : {};
    this.post(COORDINATOR, { t: "failed", kind, message: (e as Error).message ?? String(e), span, ...growth });
  }
}
