// The symbol table: every string value is interned to a dense integer id, so
// tuples hold only 32-bit integers and symbol equality is integer equality.

export class SymbolTable {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  /** The id of `s`, interning it on first sight. */
  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
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

  get size(): number {
    return this.strings.length;
  }
}
