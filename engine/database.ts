// The embedded database: a compiled program's relations, filled with insert(),
// brought to the fixpoint with run(), read with tuples(). Values cross this
// boundary as numbers and strings; inside they are 32-bit cells.

import type { CheckedProgram } from "../lang/model.js";
import { ProgramRunner } from "./program-runner.js";
import { decode, encode, type Value } from "./values.js";

export type Tuple = readonly Value[];

export class UnknownRelationError extends Error {
  constructor(readonly relation: string) {
    super(`relation "${relation}" is not declared in the program`);
    this.name = "UnknownRelationError";
  }
}

export class Database {
  /** The runner that owns the relations; exposed for the CLI and tools. */
  readonly runner: ProgramRunner;

  constructor(readonly program: CheckedProgram) {
    this.runner = new ProgramRunner(program);
  }

  private info(relation: string) {
    const info = this.program.relations.get(relation);
    if (!info) throw new UnknownRelationError(relation);
    return info;
  }

  /** Adds tuples to a relation (set semantics: duplicates are ignored). */
  insert(relation: string, tuples: Iterable<Tuple>): this {
    const info = this.info(relation);
    const rel = this.runner.relation(relation);
    const types = info.columns.map((c) => c.type);
    for (const t of tuples) {
      if (t.length !== types.length) {
        throw new TypeError(`relation "${relation}" has ${types.length} columns, got a tuple of ${t.length}`);
      }
      for (let c = 0; c < types.length; c++) {
        const v = t[c]!;
        const type = types[c]!;
        if ((type === "symbol") !== (typeof v === "string")) {
          throw new TypeError(`column ${c + 1} of "${relation}" has type ${type}, got ${JSON.stringify(v)}`);
        }
        rel.tmp[c] = encode(type, v, this.runner.symbols);
      }
      rel.add();
    }
    return this;
  }

  /** Evaluates the rules to their fixpoint. */
  async run(): Promise<void> {
    this.runSync();
  }

  /** Evaluates the rules to their fixpoint, synchronously. */
  runSync(): void {
    this.runner.run();
  }

  /** The current contents of a relation. */
  tuples(relation: string): Tuple[] {
    const info = this.info(relation);
    const rel = this.runner.relation(relation);
    const types = info.columns.map((c) => c.type);
    const out: Tuple[] = [];
    for (let r = 0; r < rel.size; r++) {
      if (!rel.isLive(r)) continue;
      const t: Value[] = new Array(rel.arity);
      for (let c = 0; c < rel.arity; c++) t[c] = decode(types[c]!, rel.data[r * rel.arity + c]!, this.runner.symbols);
      out.push(t);
    }
    return out;
  }

  /** The number of tuples of a relation. */
  size(relation: string): number {
    this.info(relation);
    return this.runner.relation(relation).live;
  }
}
