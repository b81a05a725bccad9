// The state one parse carries while the semantic actions run: the file and its
// text, fast offset-to-position lookups for spans, and the diagnostics so far.

import type { Node } from "ohm-js";
import { error, type Diagnostic } from "../diagnostics.js";
import { LineIndex } from "../line-index.js";
import type { Span } from "../span.js";

export class ParseContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Counts `unsupported` diagnostics, so an item that used such a feature can be dropped. */
  unsupportedCount = 0;
  /** Where in `text` the piece that ohm is matching starts (ohm's offsets are relative to it). */
  base = 0;
  private readonly lines: LineIndex;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(file, text);
  }

  spanAt(start: number, end: number): Span {
    return this.lines.spanAt(start, end);
  }

  /** The span of the text an ohm node matched. */
  span(node: Node): Span {
    return this.spanAt(this.base + node.source.startIdx, this.base + node.source.endIdx);
  }

  /** The span from the start of `from` to the end of `to`. */
  spanFrom(from: Node, to: Node): Span {
    return this.spanAt(this.base + from.source.startIdx, this.base + to.source.endIdx);
  }

  /** The absolute offset of an offset into the piece being matched. */
  at(offset: number): number {
    return this.base + offset;
  }

  syntax(message: string, span: Span): void {
    this.diagnostics.push(error("syntax", message, span));
  }

  /** Reports a construct of Soufflé that Cairn does not handle, e.g. `records are not supported yet`. */
  unsupported(feature: string, span: Span, plural = true): void {
    this.unsupportedCount++;
    this.diagnostics.push(error("unsupported", `${feature} ${plural ? "are" : "is"} not supported yet`, span));
  }
}

let current: ParseContext | undefined;

/** The context of the parse in progress; only valid inside semantic actions. */
export function cx(): ParseContext {
  if (!current) throw new Error("semantic action run outside of parse()");
  return current;
}

/** Runs `fn` with `ctx` as the current context (parses are synchronous, so one at a time). */
export function withContext<T>(ctx: ParseContext, fn: () => T): T {
  const saved = current;
  current = ctx;
  try {
    return fn();
  } finally {
    current = saved;
  }
}
