// What a rows frame's cells mean between processes. A cell that is an id in
// one process's own tables is translated on the way out and back in:
//
// - a symbol made during the run travels as its text (symbol-wire.ts);
// - a set or pair value of a lattice column travels as its structure: the
//   cell becomes -(w + 1), w the word of the frame's values where it is
//   written — a set as its size and its elements, a pair as its two
//   components one after the other (a component set or pair written in
//   place), a symbol element or component as a symbol cell above. The
//   receiver interns each value in its own table (a set's elements sorted
//   again: made symbols have other ids there).
//
// - a record or ADT value travels as its parts (record-wire.ts), written in
//   the same values: the cell becomes -(w + 1), w the word of its entry, an
//   entry being its tag then a word per field — a number as it is, a symbol
//   as a symbol cell above, a nested record or ADT value as the word of its
//   own entry, written before it (each value once per frame, so a list's
//   shared tails are written once). The receiver builds each value from its
//   fields in its own record table; a nested entry must come before the one
//   naming it, so no frame can make a cycle.
//
// Every other cell (numbers, the run's symbols, enumerations, min/max/or/and
// and user lattice values of a number type) goes as it is. One RowWire serves every
// relation of a program, in declaration order (the relation index of a
// frame).

import type { CheckedProgram, LatticeRef } from "../lang/model.js";
import { cellType } from "../lang/check/lattice-types.js";
import { pairOf } from "../engine/lattices/pair.js";
import { setOf } from "../engine/lattices/set.js";
import type { ValueTable } from "../engine/lattices/value-table.js";
import type { RecordTable } from "../engine/storage/records.js";
import { nestedFirst, RecordWire, type TypedValue } from "./record-wire.js";
import { FrameStrings, type SymbolWire } from "./symbol-wire.js";
import { WireError } from "./wire.js";

/** How a lattice value is written: a plain cell, a symbol cell, a set of plain or symbol cells, a pair of two shapes. */
type Shape = "plain" | "symbol" | { readonly set: "plain" | "symbol" } | { readonly pair: readonly [Shape, Shape] };

function shapeOf(ref: LatticeRef): Shape {
  if (ref.name === "set") return { set: ref.elem === "symbol" ? "symbol" : "plain" };
  if (ref.name === "pair") {
    const [a, b] = ref.args ?? [];
    if (!a || !b) throw new Error(`internal: pair lattice without its components`);
    return { pair: [shapeOf(a), shapeOf(b)] };
  }
  return cellType(ref) === "symbol" ? "symbol" : "plain";
}

interface RelationWire {
  /** Columns of plain symbol cells. */
  readonly symbols: readonly number[];
  /** The last column when it holds set or pair values, with their shape. */
  readonly composite?: { readonly column: number; readonly shape: Shape };
  /** Columns of record and ADT values (enumerations aside), with their types' names. */
  readonly structured: readonly { readonly column: number; readonly type: string }[];
}

/** A frame's cells ready for the wire, with the strings and value words they name. */
export interface WireRows {
  readonly cells: Int32Array;
  readonly strings?: string[];
  readonly values?: Int32Array;
}

export class RowWire {
  private readonly relations: RelationWire[];
  /** Record and ADT values: their parts, and their owners. */
  readonly records: RecordWire;

  constructor(
    program: CheckedProgram,
    private readonly symbols: SymbolWire,
    private readonly table: ValueTable,
    records: RecordTable,
  ) {
    const recordWire = (this.records = new RecordWire(program.structured ?? new Map(), records, symbols));
    this.relations = [...program.relations.values()].map((info) => {
      const last = info.columns.length - 1;
      const ref = info.columns[last]?.lattice;
      const shape = ref && shapeOf(ref);
      const composite = shape !== undefined && typeof shape === "object" ? { column: last, shape } : undefined;
      const symbols: number[] = [];
      const structured: { column: number; type: string }[] = [];
      info.columns.forEach((c, i) => {
        const w = c.structured === undefined ? undefined : recordWire.wireOf({ structured: c.structured });
        if (typeof w === "object") structured.push({ column: i, type: w.structured });
        else if (c.type === "symbol" && i !== composite?.column) symbols.push(i);
      });
      return { symbols, composite, structured };
    });
  }

  /** Whether rows of relation `i` may hold cells that need translating. */
  translates(i: number): boolean {
    const r = this.relations[i]!;
    return r.symbols.length > 0 || r.composite !== undefined || r.structured.length > 0;
  }

  /** A copy of the rows of relation `i` for the wire (the rows themselves when nothing in them needs translating). */
  out(i: number, cells: Int32Array, arity: number): WireRows {
    const r = this.relations[i]!;
    if (!this.translates(i)) return { cells };
    const strings = new FrameStrings();
    const words: number[] = [];
    const written = new Map<number, number>();
    const entries = new Map<string, Map<number, number>>();
    let copy: Int32Array | undefined;
    for (let at = 0; at < cells.length; at += arity) {
      for (const c of r.symbols) {
        const id = cells[at + c]!;
        const cell = this.symbols.cellOut(id, strings);
        if (cell === id) continue;
        copy ??= cells.slice();
        copy[at + c] = cell;
      }
      if (r.composite) {
        const id = cells[at + r.composite.column]!;
        let w = written.get(id);
        if (w === undefined) {
          written.set(id, (w = words.length));
          this.write(r.composite.shape, id, words, strings);
        }
        copy ??= cells.slice();
        copy[at + r.composite.column] = -(w + 1);
      }
      for (const { column, type } of r.structured) {
        copy ??= cells.slice();
        copy[at + column] = -(this.entry(type, cells[at + column]!, words, strings, entries) + 1);
      }
    }
    if (!copy) return { cells };
    return {
      cells: copy,
      ...(strings.list.length > 0 ? { strings: strings.list } : {}),
      ...(words.length > 0 ? { values: Int32Array.from(words) } : {}),
    };
  }

  private write(shape: Shape, cell: number, words: number[], strings: FrameStrings): void {
    if (shape === "plain") words.push(cell);
    else if (shape === "symbol") words.push(this.symbols.cellOut(cell, strings));
    else if ("set" in shape) {
      const elems = this.table.get(cell);
      words.push(elems.length);
      for (const e of elems) words.push(shape.set === "symbol" ? this.symbols.cellOut(e, strings) : e);
    } else {
      const [a, b] = this.table.get(cell);
      this.write(shape.pair[0], a!, words, strings);
      this.write(shape.pair[1], b!, words, strings);
    }
  }

  /** The word of the entry of value `cell` of `type`, written (its nested values first) unless the frame has it. */
  private entry(type: string, cell: number, words: number[], strings: FrameStrings, entries: Map<string, Map<number, number>>): number {
    const seen = (t: string) => {
      let m = entries.get(t);
      if (!m) entries.set(t, (m = new Map()));
      return m;
    };
    nestedFirst<TypedValue>(
      { type, cell },
      (v) => seen(v.type).has(v.cell),
      (v) => this.records.nested(v),
      (v) => {
        const cells: number[] = [];
        const tag = this.records.parts(v.type, v.cell, cells);
        const fields = this.records.fieldsOf(v.type, tag) ?? [];
        const at = words.length;
        words.push(tag);
        cells.forEach((c, i) => {
          const w = this.records.wireOf(fields[i]!);
          words.push(w === "plain" ? c : w === "symbol" ? this.symbols.cellOut(c, strings) : seen(w.structured).get(c)!);
        });
        seen(v.type).set(v.cell, at);
      },
    );
    return seen(type).get(cell)!;
  }

  /** Turns the wire's cells of relation `i` into this process's ids, in place; throws WireError for a cell that names nothing in the frame. */
  in(i: number, cells: Int32Array, arity: number, strings?: readonly string[], values?: Int32Array): void {
    const r = this.relations[i]!;
    if (!this.translates(i)) return;
    const ids = this.symbols.idsOf(strings);
    const words = values ?? new Int32Array(0);
    const read = new Map<number, number>();
    const built = new Map<number, number>();
    for (let at = 0; at < cells.length; at += arity) {
      for (const c of r.symbols) cells[at + c] = this.symbols.cellIn(cells[at + c]!, ids);
      if (r.composite) {
        const cell = cells[at + r.composite.column]!;
        const w = -cell - 1;
        if (cell >= 0 || w >= words.length) throw new WireError(`value cell ${cell} names no value of the frame`);
        let id = read.get(w);
        if (id === undefined) read.set(w, (id = this.read(r.composite.shape, words, w, ids).cell));
        cells[at + r.composite.column] = id;
      }
      for (const { column, type } of r.structured) {
        const cell = cells[at + column]!;
        if (cell >= 0) throw new WireError(`record cell ${cell} names no value of the frame`);
        cells[at + column] = this.build(type, -cell - 1, words, ids, built);
      }
    }
  }

  /** The value of `type` whose entry is at word `w`, built here (its nested values first); a nested entry must come before the one naming it. */
  private build(type: string, w: number, words: Int32Array, ids: readonly number[], built: Map<number, number>): number {
    if (w >= words.length) throw new WireError(`a ${type} value names word ${w}, past the frame's values`);
    /** The fields of the entry at `v.cell` (a word), checked. */
    const fieldsAt = (v: TypedValue) => {
      const fields = this.records.fieldsOf(v.type, words[v.cell]!);
      if (!fields) throw new WireError(`${words[v.cell]} is no branch of ${v.type}`);
      if (v.cell + 1 + fields.length > words.length) throw new WireError(`a ${v.type} value overruns the frame's values`);
      return fields;
    };
    nestedFirst<TypedValue>(
      { type, cell: w },
      (v) => built.has(v.cell),
      (v) => {
        const inside: TypedValue[] = [];
        fieldsAt(v).forEach((f, i) => {
          const fw = this.records.wireOf(f);
          if (typeof fw !== "object") return;
          const c = words[v.cell + 1 + i]!;
          if (c < 0 || c >= v.cell) throw new WireError(`a ${v.type} value names word ${c}, not an entry before word ${v.cell}`);
          inside.push({ type: fw.structured, cell: c });
        });
        return inside;
      },
      (v) => {
        const cells = fieldsAt(v).map((f, i) => {
          const c = words[v.cell + 1 + i]!;
          const fw = this.records.wireOf(f);
          return fw === "plain" ? c : fw === "symbol" ? this.symbols.cellIn(c, ids) : built.get(c)!;
        });
        built.set(v.cell, this.records.build(v.type, words[v.cell]!, cells));
      },
    );
    return built.get(w)!;
  }

  /** The value of `shape` written from word `w`, interned here, and the word after it. */
  private read(shape: Shape, words: Int32Array, w: number, ids: readonly number[]): { cell: number; next: number } {
    if (w >= words.length) throw new WireError("a value overruns the frame's values");
    if (shape === "plain") return { cell: words[w]!, next: w + 1 };
    if (shape === "symbol") return { cell: this.symbols.cellIn(words[w]!, ids), next: w + 1 };
    if ("set" in shape) {
      const n = words[w]!;
      if (n < 0 || w + 1 + n > words.length) throw new WireError(`a set of ${n} elements overruns the frame's values`);
      const elems = words.subarray(w + 1, w + 1 + n);
      const cells = shape.set === "symbol" ? Array.from(elems, (e) => this.symbols.cellIn(e, ids)) : elems;
      return { cell: setOf(this.table, cells), next: w + 1 + n };
    }
    const a = this.read(shape.pair[0], words, w, ids);
    const b = this.read(shape.pair[1], words, a.next, ids);
    return { cell: pairOf(this.table, a.cell, b.cell), next: b.next };
  }
}
