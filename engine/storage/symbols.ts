// The symbol table: every string value is interned to a dense integer id, so
// tuples hold only 32-bit integers and symbol equality is integer equality.
// A saved table (engine/state/runner-state.ts) is taken over by restore().
// Each new string is asked of the run's memory budget first.

import { type MemoryBudget, symbolBytes } from "./memory-budget.js";

export class SymbolTable {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  /** The budget new strings are taken from (none: unbounded). */
  budget: MemoryBudget | undefined;

  /** The id of `s`, interning it on first sight. */
  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      this.budget?.takeText(symbolBytes(s.length));
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The string of an id. */
  text(id: number): string {
    const s = this.strings[id];
    if (s === undefined) throw new RangeError(`unknown symbol id ${id}`);
    return s;
  }

  /** Every string, in id order. */
  all(): readonly string[] {
    return this.strings;
  }

  /**
   * Takes over a saved table whose first strings are this table's (the ones a
   * program's constants interned before anything else), giving every string
   * its saved id; returns false, changing nothing, when they are not.
   */
  restore(saved: readonly string[]): boolean {
    const own = this.strings;
    if (saved.length < own.length) return false;
    for (let i = 0; i < own.length; i++) if (saved[i] !== own[i]) return false;
    for (let i = own.length; i < saved.length; i++) {
      const s = saved[i]!;
      this.budget?.takeText(symbolBytes(s.length));
      own.push(s);
      this.ids.set(s, i);
    }
    return true;
  }

  get size(): number {
    return this.strings.length;
  }
}
