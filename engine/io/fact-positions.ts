// Where a place in a facts file's bytes is, as a diagnostic gives it: line,
// column and offset counted in UTF-16 code units of the decoded text, found
// by counting bytes forward from the last place asked about (the reader asks in
// order), never by decoding the file; and the piece of the line around it that
// the diagnostic's frame quotes, so that the file's text need not be kept.

import type { LineExcerpt, Position, Span } from "../../lang/span.js";
import { utf8Slicer } from "../runtime.js";

/** Bytes kept on each side of a diagnostic's place for its frame (which quotes far fewer characters). */
const EXCERPT_BYTES = 1024;

/**
 * Where the next line break is in `bytes` from `from` on, or -1. (Typed
 * arrays' indexOf, not Buffer's, which is wrong past 2 GiB in Node 20, and slower.)
 */
export function nextLineBreak(bytes: Uint8Array, from: number): number {
  return Uint8Array.prototype.indexOf.call(bytes, 10, from);
}

/** Whether `b` continues a UTF-8 sequence (10xxxxxx). */
const isContinuation = (b: number) => (b & 0xc0) === 0x80;

export class FactPositions {
  /** The last place counted: a byte offset and the UTF-16 offset it decodes to. */
  private byte = 0;
  private unit = 0;
  /** Lines before `from` (read by an earlier run), counted when first needed. */
  private linesBefore: number | undefined;

  constructor(
    readonly file: string,
    private readonly bytes: Uint8Array,
    /** Where reading starts: lines are numbered from the file's start all the same. */
    private readonly from = 0,
  ) {}

  /** The UTF-16 offset of byte offset `at` (at the start of a character). */
  private unitAt(at: number): number {
    if (at < this.byte) {
      this.byte = 0;
      this.unit = 0;
    }
    const bytes = this.bytes;
    let unit = this.unit;
    for (let i = this.byte; i < at; i++) {
      const b = bytes[i]!;
      // One unit per character, two for one of four bytes (a surrogate pair).
      if (!isContinuation(b)) unit += b >= 0xf0 ? 2 : 1;
    }
    this.byte = at;
    this.unit = unit;
    return unit;
  }

  /** The 1-based number of the file's line that is line `line` of the part read from `from`. */
  lineNumber(line: number): number {
    if (this.linesBefore === undefined) {
      let n = 0;
      for (let i = nextLineBreak(this.bytes, 0); i >= 0 && i < this.from; i = nextLineBreak(this.bytes, i + 1)) n++;
      this.linesBefore = n;
    }
    return this.linesBefore + line;
  }

  /**
   * Where bytes [start, end) are, on line `line` of the part read, which is
   * bytes [lineStart, lineEnd): their span, and the piece of the line around
   * them that the diagnostic's frame quotes. (Offsets are asked for in order.)
   */
  place(line: number, lineStart: number, lineEnd: number, start: number, end: number): { span: Span; excerpt: LineExcerpt } {
    const bytes = this.bytes;
    let from = Math.max(lineStart, start - EXCERPT_BYTES);
    while (from > lineStart && isContinuation(bytes[from]!)) from--;
    let to = Math.min(lineEnd, start + EXCERPT_BYTES);
    while (to < lineEnd && isContinuation(bytes[to]!)) to++;
    const number = this.lineNumber(line);
    const lineUnit = this.unitAt(lineStart);
    const fromUnit = this.unitAt(from);
    const at = (b: number): Position => {
      const offset = this.unitAt(b);
      return { line: number, col: offset - lineUnit + 1, offset };
    };
    const span = { file: this.file, start: at(start), end: at(end) };
    const text = utf8Slicer(bytes)(from, to);
    return { span, excerpt: { col: fromUnit - lineUnit + 1, text, toEnd: to === lineEnd } };
  }
}

/** The piece of a decoded facts text's line [lineStart, lineEnd) around `start` that a frame quotes. */
export function textExcerpt(text: string, lineStart: number, lineEnd: number, start: number): LineExcerpt {
  const from = Math.max(lineStart, start - EXCERPT_BYTES);
  const to = Math.min(lineEnd, start + EXCERPT_BYTES);
  return { col: from - lineStart + 1, text: text.slice(from, to), toEnd: to === lineEnd };
}
