// What the CLI shows on a terminal: colours that honour NO_COLOR and
// FORCE_COLOR, and a throttled one-line progress display on stderr.

import pc from "picocolors";
import type { Style } from "../lang/diagnostics.js";
import type { Progress } from "../engine/eval/program-runner.js";
import { progressText } from "../engine/eval/progress-text.js";

export function colorsWanted(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY);
}

export function styleFor(stream: NodeJS.WriteStream): Style {
  const c = pc.createColors(colorsWanted(stream));
  return { error: (s) => c.bold(c.red(s)), warning: (s) => c.bold(c.yellow(s)), note: c.cyan, dim: c.dim, bold: c.bold };
}

/** A progress line on stderr for long runs: shown after `delayMs`, redrawn at most every 100 ms, cleared at the end. */
export class ProgressLine {
  private readonly start = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly delayMs = 1000,
  ) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  update(p: Progress): void {
    const now = Date.now();
    if (now - this.start < this.delayMs || now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    const line = progressText(p, now - this.start);
    const width = (this.stream.columns ?? 80) - 1;
    this.stream.write(`\r${line.slice(0, width).padEnd(Math.min(width, line.length))}\x1b[K`);
  }

  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
  }
}
