// Symbols across a cluster. Every node takes over the coordinator's symbol
// table before the run, so an id below `base` means the same string on every
// node. A symbol made during the run (cat, substr, to_string) gets an id of
// the node's own, which means nothing elsewhere: such ids never leave the
// node. In a rows frame a symbol cell at or above `base` travels as -(i + 1),
// an index into the frame's strings, and the receiver interns the string
// under an id of its own (row-wire.ts walks a frame's cells). The owner of a made symbol (the node holding the
// rows split on it) is a hash of its text, so nodes agree on it whatever id
// each gives it; a symbol of the table is owned by the hash of its id, as any
// other cell. A record holding symbols is owned by a hash of its fields
// (record-wire.ts), a symbol's field hashed alike: its id or its text.

import { finish, HASH_SEED, mix } from "../engine/storage/hash.js";
import { ownerOf, ownerOfCell } from "../engine/parallel/partition.js";
import type { SymbolTable } from "../engine/storage/symbols.js";
import { WireError } from "./wire.js";

/** A hash of a symbol's text: its UTF-16 code units folded into the same hash. */
function hashOfText(text: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return finish(mix(h, text.length));
}

/** The node owning a symbol made during the run. */
export function ownerOfText(text: string, nodes: number): number {
  return ownerOf(hashOfText(text), nodes);
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

  /** A hash of a symbol cell that every node computes alike: the id of a symbol of the run's table, a made one's text hashed (record-wire.ts folds it into a record's). */
  hashOf(cell: number): number {
    return cell < this.base ? cell : hashOfText(this.symbols.text(cell));
  }

  /** A symbol cell for the wire: an id of the run's table as it is, a made one as -(i + 1), i its string in `strings`. */
  cellOut(id: number, strings: FrameStrings): number {
    return id < this.base ? id : -(strings.ref(id, this.symbols) + 1);
  }

  /** The ids of a frame's strings in this table (interned as they arrive). */
  idsOf(strings: readonly string[] = []): number[] {
    return strings.map((s) => this.symbols.intern(s));
  }

  /** A symbol cell from the wire as this table's id; `ids` are the frame's strings' (idsOf). */
  cellIn(cell: number, ids: readonly number[]): number {
    if (cell >= 0) {
      if (cell >= this.base) throw new WireError(`symbol id ${cell} is not in the run's table`);
      return cell;
    }
    const id = ids[-cell - 1];
    if (id === undefined) throw new WireError(`symbol cell ${cell} names no string of the frame`);
    return id;
  }
}

/** The strings of one frame being written: each made symbol once, in order of first use. */
export class FrameStrings {
  readonly list: string[] = [];
  private readonly index = new Map<number, number>();

  /** The index of symbol `id`'s text in the list. */
  ref(id: number, symbols: SymbolTable): number {
    let i = this.index.get(id);
    if (i === undefined) {
      this.index.set(id, (i = this.list.length));
      this.list.push(symbols.text(id));
    }
    return i;
  }
}
