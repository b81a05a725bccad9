// Fast offset-to-position lookups for one file's text: the same positions as
// span.ts's positionAt, in O(log lines) instead of O(offset).

import type { Position, Span } from "./span.js";

export class LineIndex {
  /** Offsets at which each line starts; lineStarts[0] is 0. */
  readonly lineStarts: readonly number[];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** The line of the last lookup: parsers mostly ask about the same line or the next one. */
  private hint = 0;

  /** The 0-based index of the line that holds `offset`. */
  lineOf(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    const h = this.hint;
    if (starts[h]! <= o) {
      if (h + 1 >= starts.length || o < starts[h + 1]!) return h;
      if (h + 2 >= starts.length || o < starts[h + 2]!) return (this.hint = h + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    this.hint = lo;
    return lo;
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line: line + 1, col: offset - this.lineStarts[line]! + 1, offset };
  }

  spanAt(start: number, end: number): Span {
    return { file: this.file, start: this.position(start), end: this.position(end) };
  }
}
