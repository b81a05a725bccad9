// A fact as the command line gives it (`cairn explain`, Soufflé's explain
// commands), or a list of them (Soufflé's `query`): `name(arg, …)` read into
// values, each located by its column so that a bad one can be shown with a
// caret under it.

import type { Database, Tuple } from "../engine/database.js";
import type { Value } from "../engine/storage/values.js";

/** A fact as the command line gives it, that cannot be read: the message and the column (from 1) of the problem. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * Reads `name(arg, …)`: numbers, strings in double quotes, bare words (as
 * symbols), `{…}` or `[…]` lists (set values, pairs, records) and ADT values
 * `$Branch(…)`; with each argument's text as written.
 */
export function parseFact(text: string): ParsedFact {
  const [fact, end] = readFact(text, 0);
  if (end < text.length) throw new QueryError("unexpected text after the fact", end + 1);
  return fact;
}

/** Reads `name(arg, …), name(arg, …), …` (Soufflé's `query` command), each atom as parseFact reads one. */
export function parseFacts(text: string): ParsedFact[] {
  const out: ParsedFact[] = [];
  let at = 0;
  for (;;) {
    const [fact, end] = readFact(text, at);
    out.push(fact);
    if (end >= text.length) return out;
    if (text[end] !== ",") throw new QueryError('expected "," between atoms', end + 1);
    at = end + 1;
  }
}

/** A fact as read: its values, where each starts (column from 1) and its text as written. */
export interface ParsedFact {
  readonly relation: string;
  readonly args: Value[];
  readonly columns: number[];
  readonly texts: string[];
}

/** Reads one fact from `start`; returns it and where the text after it (past white space) begins. */
function readFact(text: string, start: number): [ParsedFact, number] {
  let i = start;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new QueryError(what, i + 1);
  };
  ws();
  const name = /^[A-Za-z_?][A-Za-z0-9_?.]*/.exec(text.slice(i));
  if (!name) fail("expected a relation name");
  i += name![0].length;
  ws();
  if (text[i] !== "(") fail('expected "(" after the relation name');
  i++;
  /** Reads `item, item, …` up to `close` (none at all too), just past an opening bracket. */
  const list = (close: string, item: () => void): void => {
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ",") fail(`expected "," or "${close}"`);
      i++;
    }
  };
  const value = (): Value => {
    ws();
    const c = text[i];
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) fail("a string without its closing quote");
      i += m![0].length;
      return JSON.parse(m![0]) as string;
    }
    if (c === "{" || c === "[") {
      i++;
      const items: Value[] = [];
      list(c === "{" ? "}" : "]", () => items.push(value()));
      return items;
    }
    const num = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan)/.exec(text.slice(i));
    if (num && !/^[A-Za-z0-9_]/.test(text.slice(i + num[0].length))) {
      i += num[0].length;
      return Number(num[0].replace(/^\+/, "").replace("inf", "Infinity").replace("nan", "NaN"));
    }
    if (c === "$") {
      // An ADT value, $Branch or $Branch(arg, …): its text is what the column reads (factTuple).
      const start = i;
      i++;
      const branch = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
      if (!branch) fail("expected a branch name after $");
      i += branch![0].length;
      ws();
      if (text[i] === "(") {
        i++;
        list(")", () => value());
      }
      return text.slice(start, i);
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) {
      i += word[0].length;
      return word[0];
    }
    return fail("expected a value: a number, a string in double quotes, a {…} list, a […] record or a $Branch(…)");
  };
  const args: Value[] = [];
  const columns: number[] = [];
  const texts: string[] = [];
  list(")", () => {
    ws();
    columns.push(i + 1);
    const start = i;
    args.push(value());
    texts.push(text.slice(start, i));
  });
  ws();
  return [{ relation: name![0], args, columns, texts }, i];
}

/**
 * The values as the relation's columns take them: a number given for a
 * symbol column is that symbol; a record or ADT column takes the argument's
 * text as written (`[1, [2, nil]]`, `$Circle(2)`), which the API reads.
 */
export function factTuple(db: Database, relation: string, args: readonly Value[], texts?: readonly string[]): Tuple {
  const info = db.program.relations.get(relation)!;
  return args.map((v, c) => {
    const column = info.columns[c];
    if (column?.structured !== undefined && texts?.[c] !== undefined) return texts[c]!;
    return column?.type === "symbol" && typeof v === "number" ? String(v) : v;
  });
}
