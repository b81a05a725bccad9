// Record and ADT values across a cluster. A value is an id in one process's
// record table (engine/storage/records.ts), which means nothing on another
// node, so a value leaves a node as its parts and is owned by a hash of them:
//
// - its parts: a tag and its fields' cells. A record's tag is 0 for nil (no
//   fields) and 1 otherwise; an ADT value's tag is its branch's number, its
//   fields the branch's. An enumeration (an ADT whose branches have no
//   fields) is a branch number, the same everywhere: it is a plain cell.
// - its owner (the node holding rows split on it): a hash folding the tag and
//   each field, a number as it is, a symbol as symbol-wire.ts hashes it (its
//   id in the run's table, or its text when made during the run), a nested
//   value by its own hash. Nodes agree on it whatever ids they gave the
//   value; hashes are kept per value, as values never change.
//
// row-wire.ts writes the parts into a rows frame and builds the value again
// on the receiving side (build()).

import type { CheckedProgram, FieldType, StructuredType } from "../lang/model.js";
import { finish, HASH_SEED, mix } from "../engine/storage/hash.js";
import { ownerOf } from "../engine/parallel/partition.js";
import type { RecordTable } from "../engine/storage/records.js";
import type { SymbolWire } from "./symbol-wire.js";

/** How one field or column is carried: a cell as it is, a symbol cell, or a record or ADT value (its type's name). */
export type FieldWire = "plain" | "symbol" | { readonly structured: string };

/** The record or ADT type (enumerations aside) of a relation's split column, if it holds one. */
export function splitRecord(program: CheckedProgram, relation: string, column: number): string | undefined {
  const type = program.relations.get(relation)?.columns[column]?.structured;
  const s = type === undefined ? undefined : program.structured?.get(type);
  return s && !(s.kind === "adt" && s.enumeration) ? type : undefined;
}

/**
 * Does `finish` for `root` and every value nested in it, nested values first,
 * each once (`done` says which are); `nested` gives the values directly inside
 * one. A loop over a stack of its own, not recursion: a list as deep as
 * memory allows. Values nest without cycles (a value's fields exist before
 * it; row-wire.ts refuses a frame whose entries would make one).
 */
export function nestedFirst<T>(root: T, done: (v: T) => boolean, nested: (v: T) => readonly T[], finish: (v: T) => void): void {
  if (done(root)) return;
  const stack: { v: T; inside: readonly T[]; next: number }[] = [{ v: root, inside: nested(root), next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.inside.length) {
      const v = top.inside[top.next++]!;
      if (!done(v)) stack.push({ v, inside: nested(v), next: 0 });
      continue;
    }
    stack.pop();
    if (!done(top.v)) finish(top.v);
  }
}

/** A value of a record or ADT type. */
export interface TypedValue {
  readonly type: string;
  readonly cell: number;
}

/** The hash of a value with tag `tag` whose fields hash to `fields`. */
function fold(tag: number, fields: readonly number[]): number {
  let h = mix(HASH_SEED, tag);
  for (const f of fields) h = mix(h, f);
  return finish(mix(h, fields.length));
}

export class RecordWire {
  private readonly hashes = new Map<string, Map<number, number>>();

  constructor(
    private readonly types: ReadonlyMap<string, StructuredType>,
    readonly records: RecordTable,
    private readonly symbols: SymbolWire,
  ) {}

  /** How a field of type `t` is carried. */
  wireOf(t: FieldType): FieldWire {
    if (typeof t === "string") return t === "symbol" ? "symbol" : "plain";
    const s = this.type(t.structured);
    return s.kind === "adt" && s.enumeration ? "plain" : t;
  }

  /** The fields of a value of `type` with tag `tag`, or undefined when the type has no such tag. */
  fieldsOf(type: string, tag: number): readonly FieldType[] | undefined {
    const s = this.type(type);
    if (s.kind === "record") return tag === 0 ? [] : tag === 1 ? s.fields : undefined;
    return s.branches[tag]?.fields;
  }

  /** The tag of value `cell` of `type`, its fields' cells written to `out`. */
  parts(type: string, cell: number, out: number[]): number {
    const s = this.type(type);
    const r = this.records;
    if (s.kind === "record") {
      if (cell === 0) return 0;
      const n = s.fields.length;
      for (let i = 0; i < n; i++) out.push(r.field(cell, n, i));
      return 1;
    }
    const tag = r.field(cell, 2, 0);
    const payload = r.field(cell, 2, 1);
    const n = s.branches[tag]?.fields.length ?? 0;
    if (n === 1) out.push(payload);
    else for (let i = 0; i < n; i++) out.push(r.field(payload, n, i));
    return tag;
  }

  /** The value of `type` with tag `tag` and fields `cells` (fieldsOf's count), interned here. */
  build(type: string, tag: number, cells: ArrayLike<number>): number {
    const s = this.type(type);
    const r = this.records;
    if (s.kind === "record") return tag === 0 ? 0 : r.pack(cells.length, cells);
    const payload = cells.length === 0 ? 0 : cells.length === 1 ? cells[0]! : r.pack(cells.length, cells);
    return r.pack2(tag, payload);
  }

  /** The node owning value `cell` of `type` among `nodes`. */
  owner(type: string, cell: number, nodes: number): number {
    return ownerOf(finish(this.hash(type, cell)), nodes);
  }

  /** The node owning nil among `nodes`, known before any table is (a fact the program states may hold nil). */
  static ownerOfNil(nodes: number): number {
    return ownerOf(finish(fold(0, [])), nodes);
  }

  /** The record and ADT values directly inside value `v`. */
  nested(v: TypedValue): TypedValue[] {
    const cells: number[] = [];
    const fields = this.fieldsOf(v.type, this.parts(v.type, v.cell, cells)) ?? [];
    const out: TypedValue[] = [];
    cells.forEach((cell, i) => {
      const w = this.wireOf(fields[i]!);
      if (typeof w === "object") out.push({ type: w.structured, cell });
    });
    return out;
  }

  /** A hash of value `cell` of `type` that every node computes alike (nested values hashed first). */
  private hash(type: string, cell: number): number {
    const known = this.hashes.get(type)?.get(cell);
    if (known !== undefined) return known;
    const memo = (t: string) => {
      let m = this.hashes.get(t);
      if (!m) this.hashes.set(t, (m = new Map()));
      return m;
    };
    nestedFirst<TypedValue>(
      { type, cell },
      (v) => memo(v.type).has(v.cell),
      (v) => this.nested(v),
      (v) => {
        const cells: number[] = [];
        const tag = this.parts(v.type, v.cell, cells);
        const fields = this.fieldsOf(v.type, tag) ?? [];
        const hashes = cells.map((c, i) => {
          const w = this.wireOf(fields[i]!);
          if (w === "plain") return c;
          if (w === "symbol") return this.symbols.hashOf(c);
          return memo(w.structured).get(c)!;
        });
        memo(v.type).set(v.cell, fold(tag, hashes));
      },
    );
    return memo(type).get(cell)!;
  }

  private type(name: string): StructuredType {
    const s = this.types.get(name);
    if (!s) throw new Error(`internal: no record or ADT type ${name}`);
    return s;
  }
}
