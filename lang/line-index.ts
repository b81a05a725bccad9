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

  /** The 0-based index of the line that holds `offset`. */
  lineOf(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
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
