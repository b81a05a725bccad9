// Reading input facts into a runner that continues from a saved state. Every
// fact is checked against the input facts read by earlier runs: one seen
// before costs one probe and changes nothing, a new one is added as a given
// fact. A fact read before that the input no longer has is retracted
// (engine/eval/retract.ts); a lattice input whose facts changed otherwise than
// by growing is replaced as a whole. When only the lines added to a
// relation's files are read, the facts read before are known to be there. An input relation with no rules is
// its own set of input facts; one that rules or the program's facts also fill
// keeps a separate set.

import type { ProgramRunner } from "../eval/program-runner.js";
import { factMatcher, retractFacts } from "../eval/retract.js";
import { Relation } from "../storage/relation.js";

/** Input facts of one relation that the state holds and the input no longer has. */
export interface MissingFacts {
  readonly relation: string;
  readonly count: number;
}

/**
 * What the facts reader fills for a plain input relation: each fact is probed
 * in the set of facts read before, and only a new one goes on to the relation.
 */
class FactProbe extends Relation {
  /** Rows of `set` that held facts before this run and must turn up again (none when only new lines are read). */
  readonly old: number;
  /** How many of them the input has (each counted once). */
  hits = 0;
  /** New facts (not read by an earlier run). */
  added = 0;
  private readonly seen: Uint8Array;

  /** The old facts the input no longer has, as rows of cells. */
  missing(): Int32Array {
    const set = this.set;
    const arity = this.arity;
    const out = new Int32Array((this.old - this.hits) * arity);
    for (let r = 0, n = 0; r < this.old; r++) {
      if (this.seen[r] === 1) continue;
      out.set(set.data.subarray(r * arity, (r + 1) * arity), n * arity);
      n++;
    }
    return out;
  }

  /** Takes the missing facts out of the runner and of the saved set of input facts. */
  retractMissing(runner: ProgramRunner): void {
    const rows = this.missing();
    const count = this.old - this.hits;
    if (this.set !== this.target) this.set.removeBase(factMatcher(rows, count, this.arity));
    retractFacts(runner, this.target, rows, count);
  }

  constructor(
    private readonly target: Relation,
    private readonly set: Relation,
    onlyNew: boolean,
  ) {
    super(target.name, target.types);
    this.old = onlyNew ? 0 : target.arity === 0 ? Math.min(1, set.size) : set.size;
    this.seen = new Uint8Array(this.old);
  }

  /** Every fact goes through addBase() below, never straight into the rows. */
  override takesWrittenRows(): boolean {
    return false;
  }

  override reserve(): void {}

  override addBase(): boolean {
    const set = this.set;
    const tmp = this.tmp;
    if (this.old === 0) return this.addNew(tmp);
    const row = this.arity === 0 ? set.size - 1 : set.unique.find(set.data, tmp);
    if (row >= 0) {
      if (row < this.old && this.seen[row] === 0) {
        this.seen[row] = 1;
        this.hits++;
      }
      return false;
    }
    return this.addNew(tmp);
  }

  /** Adds a fact that is not among the old ones to the set and the relation (each may already hold it). */
  private addNew(tmp: Int32Array): boolean {
    const set = this.set;
    const target = this.target;
    const arity = this.arity;
    if (set !== target) {
      for (let c = 0; c < arity; c++) set.tmp[c] = tmp[c]!;
      if (!set.add()) return false;
      this.added++;
    }
    for (let c = 0; c < arity; c++) target.tmp[c] = tmp[c]!;
    const changed = target.addBase();
    if (changed && set === target) this.added++;
    return changed;
  }
}

/** A lattice input relation: its facts are read into a fresh relation, compared and merged once all are in. */
interface LatticeInput {
  readonly target: Relation;
  readonly set: Relation;
  readonly fresh: Relation;
  /** Only lines added since the last run were read: the old values are known to be reached. */
  readonly onlyNew: boolean;
}

/** Replaces a lattice input's given facts by the fresh ones (merged in afterwards): some value went down or a key went away. */
function replaceLattice(runner: ProgramRunner, { target, set }: LatticeInput): void {
  const { rows, count } = target.exportBase();
  retractFacts(runner, target, rows.slice(), count);
  if (set !== target) set.removeBase(() => true);
}

export class InputMerge {
  private readonly targets = new Map<string, Relation>();
  /** In the order the relations were read. */
  private readonly inputs: (FactProbe | LatticeInput)[] = [];
  /** Whether the input had facts no earlier run read (known after finish()). */
  changed = false;

  /** `sets`: the separate sets of input facts, by relation, saved with the state; new ones are added to it. */
  constructor(
    private readonly runner: ProgramRunner,
    readonly sets: Map<string, Relation>,
  ) {}

  /** The relation the facts reader fills for input relation `name`; `onlyNew` when only lines added since the last run are read. */
  target(name: string, onlyNew: boolean): Relation {
    const known = this.targets.get(name);
    if (known) return known;
    const rel = this.runner.relation(name);
    let set = rel;
    if (rel.recordBase) {
      set = this.sets.get(name) ?? this.blank(rel);
      this.sets.set(name, set);
    }
    let target: Relation;
    if (rel.lattice) {
      target = this.blank(rel);
      this.inputs.push({ target: rel, set, fresh: target, onlyNew });
    } else {
      const probe = new FactProbe(rel, set, onlyNew);
      this.inputs.push(probe);
      target = probe;
    }
    this.targets.set(name, target);
    return target;
  }

  private blank(rel: Relation): Relation {
    const r = new Relation(rel.name, rel.types, rel.lattice);
    r.latticeIO = rel.latticeIO;
    return r;
  }

  /**
   * Once every input was read: takes out of the runner the input facts the
   * state holds that the input lacks (returned, by relation), and adds the new
   * ones; the runner then holds exactly the input's facts.
   */
  finish(): MissingFacts[] {
    const missing: MissingFacts[] = [];
    for (const input of this.inputs) {
      const count = input instanceof FactProbe ? input.old - input.hits : input.onlyNew ? 0 : lowered(input);
      if (count === 0) continue;
      missing.push({ relation: input instanceof FactProbe ? input.name : input.target.name, count });
      this.changed = true;
      if (input instanceof FactProbe) input.retractMissing(this.runner);
      else replaceLattice(this.runner, input);
    }
    for (const input of this.inputs) if (input instanceof FactProbe ? input.added > 0 : merge(input)) this.changed = true;
    return missing;
  }
}

/** How many keys of the saved set of a lattice input the fresh input does not reach (absent, or a smaller value). */
function lowered({ set, fresh }: LatticeInput): number {
  const arity = set.arity;
  const lattice = set.lattice!;
  const key = new Int32Array(arity - 1);
  const data = set.data;
  let count = 0;
  for (let r = 0; r < set.size; r++) {
    if (!set.isLive(r)) continue;
    for (let c = 0; c < arity - 1; c++) key[c] = data[r * arity + c]!;
    const f = fresh.unique.find(fresh.data, key);
    if (f < 0 || !lattice.leq(data[r * arity + arity - 1]!, fresh.data[f * arity + arity - 1]!)) count++;
  }
  return count;
}

/** Joins the fresh input of a lattice relation into its saved set and the relation; returns whether either changed. */
function merge({ target, set, fresh }: LatticeInput): boolean {
  const arity = fresh.arity;
  let changed = false;
  for (let r = 0; r < fresh.size; r++) {
    if (!fresh.isLive(r)) continue;
    const row = fresh.data.subarray(r * arity, (r + 1) * arity);
    if (set !== target) {
      set.tmp.set(row);
      if (set.add()) changed = true;
    }
    target.tmp.set(row);
    if (target.addBase()) changed = true;
  }
  return changed;
}
