// Symbols across a cluster. Every node takes over the coordinator's symbol
// table before the run, so an id below `base` means the same string on every
// node. A symbol made during the run (cat, substr, to_string) gets an id of
// the node's own, which means nothing elsewhere: such ids never leave the
// node. In a rows frame a symbol cell at or above `base` travels as -(i + 1),
// an index into the frame's strings, and the receiver interns the string
// under an id of its own. The owner of a made symbol (the node holding the
// rows split on it) is a hash of its text, so nodes agree on it whatever id
// each gives it; a symbol of the table is owned by the hash of its id, as any
// other cell.

import { finish, HASH_SEED, mix } from "../engine/storage/hash.js";
import { ownerOf, ownerOfCell } from "../engine/parallel/partition.js";
import type { SymbolTable } from "../engine/storage/symbols.js";
import { WireError } from "./wire.js";

/** The node owning a symbol made during the run: its UTF-16 code units folded into the same hash. */
export function ownerOfText(text: string, nodes: number): number {
  let h = HASH_SEED;
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return ownerOf(finish(mix(h, text.length)), nodes);
}

export class SymbolWire {
  private readonly owners = new Map<number, number>();

  constructor(
    readonly symbols: SymbolTable,
    /** Ids below this are the coordinator's table, the same on every node. */
    readonly base: number,
    readonly nodes: number,
  ) {}

  /** The owner of a symbol cell. */
  owner(cell: number): number {
    if (cell < this.base) return ownerOfCell(cell, this.nodes);
    let o = this.owners.get(cell);
    if (o === undefined) this.owners.set(cell, (o = ownerOfText(this.symbols.text(cell), this.nodes)));
    return o;
  }

  /** A copy of `cells` for the wire: made symbols in `columns` as -(i + 1), with the strings they stand for. */
  out(cells: Int32Array, arity: number, columns: readonly number[]): { cells: Int32Array; strings?: string[] } {
    if (columns.length === 0) return { cells };
    let copy: Int32Array | undefined;
    const index = new Map<number, number>();
    const strings: string[] = [];
    for (let at = 0; at < cells.length; at += arity) {
      for (const c of columns) {
        const id = cells[at + c]!;
        if (id < this.base) continue;
        copy ??= cells.slice();
        let i = index.get(id);
        if (i === undefined) {
          index.set(id, (i = strings.length));
          strings.push(this.symbols.text(id));
        }
        copy[at + c] = -(i + 1);
      }
    }
    return copy ? { cells: copy, strings } : { cells };
  }

  /** Turns the wire's -(i + 1) cells in `columns` into this table's ids, in place. */
  in(cells: Int32Array, arity: number, columns: readonly number[], strings: readonly string[] = []): void {
    if (columns.length === 0) return;
    const ids = strings.map((s) => this.symbols.intern(s));
    for (let at = 0; at < cells.length; at += arity) {
      for (const c of columns) {
        const cell = cells[at + c]!;
        if (cell >= 0) {
          if (cell >= this.base) throw new WireError(`symbol id ${cell} is not in the run's table`);
          continue;
        }
        const id = ids[-cell - 1];
        if (id === undefined) throw new WireError(`symbol cell ${cell} names no string of the frame`);
        cells[at + c] = id;
      }
    }
  }
}

/** The symbol columns of a relation's columns. */
export function symbolColumns(types: readonly string[]): number[] {
  const out: number[] = [];
  types.forEach((t, c) => {
    if (t === "symbol") out.push(c);
  });
  return out;
}
