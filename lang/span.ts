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

/** The text of every file a program was read from, so diagnostics can quote lines. */
export class SourceMap {
  private readonly files = new Map<string, string>();

  add(file: string, text: string): void {
    this.files.set(file, text);
  }

  text(file: string): string | undefined {
    return this.files.get(file);
  }

  /** The whole line `line` (1-based) of `file`, without its line break. */
  line(file: string, line: number): string | undefined {
    const text = this.files.get(file);
    if (text === undefined) return undefined;
    return text.split(/\r?\n/)[line - 1];
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
