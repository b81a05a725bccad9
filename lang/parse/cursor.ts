// The fast path's reading position, with ohm's conventions: syntactic rules
// skip spaces before each token, and a failed alternative leaves the position
// where it was. It also records whether the item being read needs the grammar,
// how deeply the reader is nested, and the terms already read at each position.

import type { Literal } from "../ast.js";
import type { Dnf } from "./body.js";
import type { ParseContext } from "./context.js";
import type { Operand } from "./nodes.js";
import { skipSpace } from "./scan.js";
import type { Span } from "../span.js";
import { Ch } from "./chars.js";
import { MAX_NESTING } from "../nesting.js";

/**
 * grammar.ohm's AggregateBody (`{ Disjunction }` or an Atom). Terms hold
 * aggregates, and rule bodies hold terms: fast-body.ts, which reads bodies,
 * imports fast-terms.ts, and the Cursor carries fast-body.ts's reader to the
 * aggregates in fast-terms.ts, so that the two files do not import each other.
 */
export type BodyReader = (c: Cursor) => Literal | Dnf | undefined;

/** A term read at a position and nesting: what it was (undefined if none) and where it ended. */
interface TermRead {
  readonly term: Operand | undefined;
  readonly end: number;
}

/** A token's text and where it is. */
export interface Lexeme {
  readonly text: string;
  readonly span: Span;
}

export class Cursor {
  /** End of the last token read (spaces after it are not consumed until the next token). */
  pos: number;
  /**
   * Set once the item uses something whose AST or diagnostics only the
   * grammar's actions give: a Soufflé feature Cairn reports as unsupported, or
   * a literal with a diagnostic. The fast path still reads such an item to its
   * end, so that ohm parses that item and nothing more.
   */
  needsGrammar = false;
  /** How many levels of nesting enclose the reader now (see lang/nesting.ts). */
  depth = 0;
  /**
   * Where the nesting first went past MAX_NESTING. The alternative that did
   * fails there; if the whole item then fails, it is reported there.
   */
  tooDeep: number | undefined;
  /**
   * The terms read so far, by start position and nesting. An alternative that
   * fails after reading a term (`max(…)` tried as an aggregate before it is read
   * as a call) leaves it here for the next one, so nested ones are not read
   * again at every level. The nesting is part of the key, since the same text
   * may be too deep at one and not at another.
   */
  private readonly terms = new Map<number, TermRead>();

  constructor(
    readonly text: string,
    readonly ctx: ParseContext,
    pos: number,
    readonly aggregateBody: BodyReader,
  ) {
    this.pos = pos;
  }

  /** Notes that the item being read is to be parsed by the grammar (see needsGrammar). */
  leaveToGrammar(): void {
    this.needsGrammar = true;
  }

  /**
   * `read` one level of nesting deeper, for what starts at `at`; past
   * MAX_NESTING it is not called, and the reader fails there.
   */
  nested<T>(at: number, read: (c: Cursor) => T | undefined): T | undefined {
    if (!this.enter(at)) return undefined;
    const value = read(this);
    this.depth--;
    return value;
  }

  /** Enters one more level of nesting for what starts at `at` (false past the limit); the caller restores `depth`. */
  enter(at: number): boolean {
    if (this.depth >= MAX_NESTING) {
      this.tooDeep ??= at;
      return false;
    }
    this.depth++;
    return true;
  }

  /** `read` (a term reader) at the position, or what it read there before at the same nesting; the position moves past it. */
  memoTerm(read: (c: Cursor) => Operand | undefined): Operand | undefined {
    const key = this.pos * (MAX_NESTING + 1) + this.depth;
    const known = this.terms.get(key);
    if (known) {
      if (known.term) this.pos = known.end;
      return known.term;
    }
    const term = read(this);
    this.terms.set(key, { term, end: this.pos });
    return term;
  }

  /** Where the next token starts: after the spaces and comments at the position. */
  next(): number {
    return skipSpace(this.text, this.pos);
  }

  /** The character code where the next token starts. */
  peek(): number {
    return this.text.charCodeAt(skipSpace(this.text, this.pos));
  }

  /** Reads the one-character token `code` (after spaces). */
  eatChar(code: number): boolean {
    const at = skipSpace(this.text, this.pos);
    if (this.text.charCodeAt(at) !== code) return false;
    this.pos = at + 1;
    return true;
  }

  /**
   * Appends to `out` one element after each one-character separator `sep`
   * while `elem` reads one; a separator not followed by an element is left
   * unread. Returns `out` (the tail of NonemptyListOf<elem, sep>).
   */
  more<T>(sep: number, elem: (c: Cursor) => T | undefined, out: T[]): T[] {
    for (;;) {
      const save = this.pos;
      const next = this.eatChar(sep) ? elem(this) : undefined;
      if (next === undefined) {
        this.pos = save;
        return out;
      }
      out.push(next);
    }
  }

  /** ListOf<elem, ",">: the elements, none when the first one is missing. */
  listOf<T>(elem: (c: Cursor) => T | undefined): T[] {
    const first = elem(this);
    return first === undefined ? [] : this.more(Ch.Comma, elem, [first]);
  }

  /** Reads the token `token` (after spaces). */
  eat(token: string): boolean {
    const at = skipSpace(this.text, this.pos);
    if (!this.text.startsWith(token, at)) return false;
    this.pos = at + token.length;
    return true;
  }

  /** A lexical rule applied in a syntactic one (spaces, then the token `scan` finds): its text and span. */
  lexeme(scan: (text: string, pos: number) => number): Lexeme | undefined {
    const at = skipSpace(this.text, this.pos);
    const end = scan(this.text, at);
    if (end < 0) return undefined;
    this.pos = end;
    return { text: this.text.slice(at, end), span: this.ctx.spanAt(at, end) };
  }

  /** NonemptyListOf<elem, sep> for a lexical elem and a one-character sep. */
  lexemeList(scan: (text: string, pos: number) => number, sep: number): Lexeme[] | undefined {
    const first = this.lexeme(scan);
    if (!first) return undefined;
    const out = [first];
    for (;;) {
      const save = this.pos;
      const next = this.eatChar(sep) ? this.lexeme(scan) : undefined;
      if (!next) {
        this.pos = save;
        return out;
      }
      out.push(next);
    }
  }

  span(start: number, end: number): Span {
    return this.ctx.spanAt(start, end);
  }

  /** `span` as a detached function, for climb(). */
  readonly spanAt = (start: number, end: number): Span => this.ctx.spanAt(start, end);
}
