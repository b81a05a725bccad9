// The s-expression reader for CPS programs: `( )` and `[ ]` lists (a list must
// close with its own kind of bracket), symbols, `;` comments to the end of the
// line. Nodes carry offsets; malformed text is a located CairnError.

import { CairnError, errorDiagnostic, LineIndex, SourceMap, type Span } from "../../index.js";

/** Offsets into the text: [start, end). Spans are made only for diagnostics. */
export interface Extent {
  readonly start: number;
  readonly end: number;
}

export type SExp =
  | ({ readonly kind: "symbol"; readonly name: string } & Extent)
  | ({ readonly kind: "list"; readonly items: readonly SExp[]; readonly open: "(" | "[" } & Extent);

/** The text of a program, for turning offsets into spans and rendering diagnostics. */
export class Source extends LineIndex {
  span(e: Extent): Span {
    return this.spanAt(e.start, e.end);
  }

  fail(code: string, message: string, at: Extent, notes: { message: string; at?: Extent }[] = []): never {
    throw this.error([
      errorDiagnostic(
        code,
        message,
        this.span(at),
        notes.map((n) => ({ message: n.message, span: n.at && this.span(n.at) })),
      ),
    ]);
  }

  error(diagnostics: ConstructorParameters<typeof CairnError>[0]): CairnError {
    const sources = new SourceMap();
    sources.add(this.file, this.text);
    return new CairnError(diagnostics, sources);
  }
}

const Ch = {
  Tab: 9,
  Newline: 10,
  FormFeed: 12,
  Return: 13,
  Space: 32,
  Open: 40,
  Close: 41,
  Semicolon: 59,
  OpenSquare: 91,
  CloseSquare: 93,
} as const;

function isDelimiter(c: number): boolean {
  return (
    c === Ch.Space ||
    c === Ch.Newline ||
    c === Ch.Open ||
    c === Ch.Close ||
    c === Ch.OpenSquare ||
    c === Ch.CloseSquare ||
    c === Ch.Semicolon ||
    c === Ch.Tab ||
    c === Ch.Return ||
    c === Ch.FormFeed
  );
}

/** Reads the single s-expression that makes up the source's text. */
export function readSExp(src: Source): SExp {
  const text = src.text;
  const n = text.length;
  // An explicit stack, so deeply nested programs do not overflow the JS stack.
  const stack: { open: "(" | "["; start: number; items: SExp[] }[] = [];
  let result: SExp | undefined;
  let i = 0;
  for (;;) {
    // Skip blanks and comments.
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === Ch.Semicolon) while (i < n && text.charCodeAt(i) !== Ch.Newline) i++;
      else if (c === Ch.Space || c === Ch.Newline || c === Ch.Tab || c === Ch.Return || c === Ch.FormFeed) i++;
      else break;
    }
    if (result !== undefined || i >= n) break;
    const c = text.charCodeAt(i);
    const start = i;
    let node: SExp | undefined;
    if (c === Ch.Open || c === Ch.OpenSquare) {
      stack.push({ open: c === Ch.Open ? "(" : "[", start, items: [] });
      i++;
      continue;
    } else if (c === Ch.Close || c === Ch.CloseSquare) {
      const top = stack.pop();
      i++;
      const ch = text[start]!;
      if (!top) src.fail("cps-syntax", `unexpected "${ch}": nothing is open`, { start, end: i });
      const close = top.open === "(" ? ")" : "]";
      if (ch !== close) {
        src.fail("cps-syntax", `"${ch}" closes a list opened with "${top.open}"`, { start, end: i }, [
          { message: `opened here; close it with "${close}"`, at: { start: top.start, end: top.start + 1 } },
        ]);
      }
      node = { kind: "list", items: top.items, open: top.open, start: top.start, end: i };
    } else {
      while (i < n && !isDelimiter(text.charCodeAt(i))) i++;
      node = { kind: "symbol", name: text.slice(start, i), start, end: i };
    }
    if (stack.length > 0) stack[stack.length - 1]!.items.push(node);
    else result = node;
  }
  if (result === undefined) {
    const top = stack[stack.length - 1];
    if (top) src.fail("cps-syntax", `"${top.open}" is never closed`, { start: top.start, end: top.start + 1 });
    src.fail("cps-syntax", "the program is empty: expected a call such as (f x)", { start: i, end: i });
  }
  if (i < n) {
    const ch = text[i]!;
    if (ch === ")" || ch === "]") src.fail("cps-syntax", `unexpected "${ch}": nothing is open`, { start: i, end: i + 1 });
    src.fail("cps-syntax", "unexpected text after the program: a program is a single call", { start: i, end: i + 1 });
  }
  return result;
}
