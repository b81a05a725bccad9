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
// Every other cell (numbers, the run's symbols, min/max/or/and and user
// lattice values of a number type) goes as it is. One RowWire serves every
// relation of a program, in declaration order (the relation index of a
// frame).

import type { CheckedProgram, LatticeRef } from "../lang/model.js";
import { cellType } from "../lang/check/lattice-types.js";
import { pairOf } from "../engine/lattices/pair.js";
import { setOf } from "../engine/lattices/set.js";
import type { ValueTable } from "../engine/lattices/value-table.js";
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
}

/** A frame's cells ready for the wire, with the strings and value words they name. */
export interface WireRows {
  readonly cells: Int32Array;
  readonly strings?: string[];
  readonly values?: Int32Array;
}

export class RowWire {
  private readonly relations: RelationWire[];

  constructor(
    program: CheckedProgram,
    private readonly symbols: SymbolWire,
    private readonly table: ValueTable,
  ) {
    this.relations = [...program.relations.values()].map((info) => {
      const last = info.columns.length - 1;
      const ref = info.columns[last]?.lattice;
      const shape = ref && shapeOf(ref);
      const composite = shape !== undefined && typeof shape === "object" ? { column: last, shape } : undefined;
      const symbols: number[] = [];
      info.columns.forEach((c, i) => {
        if (c.type === "symbol" && i !== composite?.column) symbols.push(i);
      });
      return { symbols, composite };
    });
  }

  /** Whether rows of relation `i` may hold cells that need translating. */
  translates(i: number): boolean {
    const r = this.relations[i]!;
    return r.symbols.length > 0 || r.composite !== undefined;
  }

  /** A copy of the rows of relation `i` for the wire (the rows themselves when nothing in them needs translating). */
  out(i: number, cells: Int32Array, arity: number): WireRows {
    const r = this.relations[i]!;
    if (!this.translates(i)) return { cells };
    const strings = new FrameStrings();
    const words: number[] = [];
    const written = new Map<number, number>();
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

  /** Turns the wire's cells of relation `i` into this process's ids, in place; throws WireError for a cell that names nothing in the frame. */
  in(i: number, cells: Int32Array, arity: number, strings?: readonly string[], values?: Int32Array): void {
    const r = this.relations[i]!;
    if (!this.translates(i)) return;
    const ids = this.symbols.idsOf(strings);
    const words = values ?? new Int32Array(0);
    const read = new Map<number, number>();
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
    }
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
