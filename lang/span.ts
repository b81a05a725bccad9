// Source positions: where a node of a program came from.

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units. */
  readonly col: number;
  /** 0-based offset into the file's text. */
  readonly offset: number;
}

export interface Span {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

/** A piece of one line of a file: its text from column `col` on, up to the line's end when `toEnd`. */
export interface LineExcerpt {
  readonly col: number;
  readonly text: string;
  readonly toEnd: boolean;
}

/**
 * The text of every file a program was read from, so diagnostics can quote
 * lines; of a file too large to keep (a facts file), only pieces of the lines
 * its diagnostics point at.
 */
export class SourceMap {
  private readonly files = new Map<string, string>();
  private readonly excerpts = new Map<string, Map<number, LineExcerpt>>();

  add(file: string, text: string): void {
    this.files.set(file, text);
  }

  /** Keeps a piece of line `line` of `file`, whose whole text is not kept. */
  addExcerpt(file: string, line: number, excerpt: LineExcerpt): void {
    let lines = this.excerpts.get(file);
    if (!lines) this.excerpts.set(file, (lines = new Map()));
    lines.set(line, excerpt);
  }

  text(file: string): string | undefined {
    return this.files.get(file);
  }

  /** The whole line `line` (1-based) of `file`, without its line break. */
  line(file: string, line: number): string | undefined {
    const text = this.files.get(file);
    if (text === undefined) return undefined;
    let start = 0;
    for (let n = 1; n < line; n++) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) return undefined;
      start = nl + 1;
    }
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    return text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
  }

  /** What is known of line `line` of `file`: all of it, or a piece. */
  excerpt(file: string, line: number): LineExcerpt | undefined {
    const whole = this.line(file, line);
    return whole === undefined ? this.excerpts.get(file)?.get(line) : { col: 1, text: whole, toEnd: true };
  }
}

/** The position of `offset` in `text`. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1, offset };
}

export function spanOf(file: string, text: string, start: number, end: number): Span {
  return { file, start: positionAt(text, start), end: positionAt(text, end) };
}
