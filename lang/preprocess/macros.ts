// C-preprocessor macros: definitions (object-like and function-like, with
// `#` stringizing, `##` pasting and `...`), and their expansion in code,
// leaving comments and strings alone and keeping the line count unchanged.
// Expansion draws on a budget of characters per file, so that a macro that
// refers to another several times, level after level, stops with an error
// instead of building text that doubles at each level.

export interface Macro {
  /** Parameter names of a function-like macro; absent for an object-like one. */
  readonly params?: readonly string[];
  readonly variadic?: boolean;
  readonly body: string;
}

export type MacroTable = Map<string, Macro>;

/** Characters macro expansion may produce in one file, the text of every level of nesting counted. */
export const MAX_EXPANDED = 1 << 24;
/** What one expansion costs beyond its text: the work of making it (many small expansions add up too). */
const EXPANSION_COST = 32;

/** What is left of a file's expansion budget (see MAX_EXPANDED). */
export interface ExpansionBudget {
  left: number;
}

/** A file's macro expansion ran past its budget: `macro` is the invocation in the file's text, at [start, end) once known. */
export class ExpansionTooLarge extends Error {
  constructor(
    readonly macro: string,
    readonly start = -1,
    readonly end = -1,
  ) {
    super(
      `the expansion of macro "${macro}" grows past ${MAX_EXPANDED} characters, the text of every level of nesting counted (a macro that uses another several times, at each of many levels?)`,
    );
    this.name = "ExpansionTooLarge";
  }
}

/** Takes the text of one expansion of `macro` out of `budget`. */
function spend(budget: ExpansionBudget, text: string, macro: string): string {
  budget.left -= text.length + EXPANSION_COST;
  if (budget.left < 0) throw new ExpansionTooLarge(macro);
  return text;
}

const DEFINE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\(([^)]*)\))?(?:\s+|$)([\s\S]*)$/;

/** Parses the text after `#define`; the name and the macro, or undefined if malformed. */
export function parseDefine(text: string): { name: string; macro: Macro } | undefined {
  const m = DEFINE.exec(text.trim());
  if (!m) return undefined;
  const [, name, paramText, body] = m;
  if (paramText === undefined) return { name: name!, macro: { body: body!.trim() } };
  const params = paramText
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const variadic = params[params.length - 1] === "...";
  if (variadic) params.pop();
  if (!params.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return undefined;
  return { name: name!, macro: { params, variadic, body: body!.trim() } };
}

const IDENT_START = /[A-Za-z_?]/;
const IDENT_PART = /[A-Za-z0-9_?]/;

/** The end of the string literal that starts at `i` (a `"`), or `to` if it is not closed. */
function stringEnd(src: string, i: number, to: number): number {
  let j = i + 1;
  while (j < to && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
  return Math.min(j + 1, to);
}

function identEnd(src: string, i: number, to: number): number {
  let j = i + 1;
  while (j < to && IDENT_PART.test(src[j]!)) j++;
  return j;
}

/** The raw arguments of the invocation whose `(` is at `open`, and the offset after its `)`. */
function collectArgs(src: string, open: number, to: number): { args: string[]; end: number } | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let j = open + 1; j < to; j++) {
    const c = src[j];
    if (c === '"') j = stringEnd(src, j, to) - 1;
    else if (c === "(") depth++;
    else if (c === ")" && depth > 0) depth--;
    else if ((c === "," || c === ")") && depth === 0) {
      args.push(src.slice(start, j));
      start = j + 1;
      if (c === ")") return { args, end: j + 1 };
    }
  }
  return undefined;
}

function stringize(arg: string): string {
  return `"${arg
    .trim()
    .replace(/\s+/g, " ")
    .replace(/(["\\])/g, "\\$1")}"`;
}

const BODY_TOKEN = /\s+|##|#|"(?:[^"\\]|\\.)*"?|[A-Za-z_][A-Za-z0-9_]*|[\s\S]/g;
const PASTE = Symbol("paste");

/** The body of `macro` with its parameters replaced (`#p` stringized, `a ## b` pasted). */
function substitute(macro: Macro, raw: readonly string[], expanded: readonly string[]): string {
  const params = macro.params ?? [];
  const index = (name: string) => (macro.variadic && name === "__VA_ARGS__" ? params.length : params.indexOf(name));
  const toks = macro.body.match(BODY_TOKEN) ?? [];
  const sig = (k: number, step: number) => {
    for (let j = k + step; j >= 0 && j < toks.length; j += step) if (!/^\s+$/.test(toks[j]!)) return toks[j];
    return undefined;
  };
  const pieces: (string | typeof PASTE)[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t === "#") {
      let n = k + 1;
      while (n < toks.length && /^\s+$/.test(toks[n]!)) n++;
      const p = n < toks.length ? index(toks[n]!) : -1;
      if (p >= 0) {
        pieces.push(stringize(raw[p] ?? ""));
        k = n;
        continue;
      }
    }
    if (t === "##") {
      pieces.push(PASTE);
      continue;
    }
    const p = index(t);
    if (p < 0) pieces.push(t);
    else if (sig(k, -1) === "##" || sig(k, 1) === "##") pieces.push((raw[p] ?? "").trim());
    else pieces.push(expanded[p] ?? "");
  }
  let out = "";
  let pasting = false;
  for (const piece of pieces) {
    if (piece === PASTE) {
      out = out.trimEnd();
      pasting = true;
    } else {
      out += pasting ? piece.trimStart() : piece;
      if (piece.trim() !== "") pasting = false;
    }
  }
  return out;
}

export interface Expansion {
  readonly out: string;
  /** Whether any macro was expanded (so positions after it on its line moved). */
  readonly changed: boolean;
}

/** Soufflé's own directives met in code (only in a file's text, not in macro bodies). */
export interface CodeHooks {
  /** `.include "file"`; `outLength` is the output length so far. */
  include(start: number, end: number, target: string, outLength: number): void;
  /** `.once`: include this file only once. */
  once(): void;
  /** A macro invocation `src[srcStart, srcEnd)` became `out[outStart, outEnd)`. */
  expanded(srcStart: number, srcEnd: number, outStart: number, outEnd: number): void;
  /** The text of a built-in macro (`__LINE__`, `__FILE__`) used at `src[at]`, or undefined for another name. */
  builtin?(name: string, at: number): string | undefined;
}

/**
 * Expands the macros in `src[from, to)`. Comments and strings are copied as
 * they are; an invocation spread over several lines is followed by as many
 * newlines, so that the lines after it keep their numbers. Throws
 * ExpansionTooLarge, located at the invocation in `src`, once the expansions
 * take more than `budget` holds.
 */
export function expand(
  src: string,
  from: number,
  to: number,
  macros: MacroTable,
  hidden: ReadonlySet<string> = new Set(),
  hooks?: CodeHooks,
  budget: ExpansionBudget = { left: MAX_EXPANDED },
): Expansion {
  let out = "";
  let changed = false;
  let i = from;
  while (i < to) {
    const c = src[i]!;
    let j: number;
    if (c === "/" && src[i + 1] === "/") {
      j = src.indexOf("\n", i);
      if (j < 0 || j > to) j = to;
    } else if (c === "/" && src[i + 1] === "*") {
      j = src.indexOf("*/", i + 2);
      j = j < 0 || j + 2 > to ? to : j + 2;
    } else if (c === '"') {
      j = stringEnd(src, i, to);
    } else if (/[0-9]/.test(c)) {
      j = i + 1;
      while (j < to && (IDENT_PART.test(src[j]!) || (src[j] === "." && /[0-9]/.test(src[j + 1] ?? "")))) j++;
    } else if (c === "." && hooks && /^\.include[ \t]+"/.test(src.slice(i, i + 64))) {
      const q = src.indexOf('"', i);
      j = stringEnd(src, q, to);
      hooks.include(q, j, src.slice(q, j), out.length);
      out += src.slice(i, j).replace(/[^\n]/g, " ");
      i = j;
      continue;
    } else if (c === "." && hooks && /^\.once(?![A-Za-z0-9_?])/.test(src.slice(i, i + 6))) {
      hooks.once();
      out += "     ";
      i += 5;
      continue;
    } else if (IDENT_START.test(c)) {
      j = identEnd(src, i, to);
      const name = src.slice(i, j);
      const macro = hidden.has(name) ? undefined : macros.get(name);
      const builtin = macro ? undefined : hooks?.builtin?.(name, i);
      if (builtin !== undefined) {
        out += builtin;
        changed = true;
        i = j;
        continue;
      }
      if (macro) {
        const inner = new Set(hidden).add(name);
        // A budget run out is reported at the outermost invocation, located in `src`.
        const located = <T>(end: number, f: () => T): T => {
          try {
            return f();
          } catch (e) {
            if (e instanceof ExpansionTooLarge) throw new ExpansionTooLarge(name, i, end);
            throw e;
          }
        };
        if (!macro.params) {
          const outStart = out.length;
          out += located(j, () => spend(budget, expand(macro.body, 0, macro.body.length, macros, inner, undefined, budget).out, name));
          hooks?.expanded(i, j, outStart, out.length);
          changed = true;
          i = j;
          continue;
        }
        let k = j;
        while (k < to && /\s/.test(src[k]!)) k++;
        const call = src[k] === "(" ? collectArgs(src, k, to) : undefined;
        if (call) {
          const raw = macro.params.length === 0 && call.args.length === 1 && call.args[0]!.trim() === "" ? [] : call.args;
          const named = macro.variadic ? [...raw.slice(0, macro.params.length), raw.slice(macro.params.length).join(",")] : raw;
          const outStart = out.length;
          out += located(call.end, () => {
            const expanded = named.map((a) => expand(a, 0, a.length, macros, hidden, undefined, budget).out.trim());
            const body = substitute(macro, named, expanded);
            return spend(budget, expand(body, 0, body.length, macros, inner, undefined, budget).out, name);
          });
          out += "\n".repeat(src.slice(i, call.end).split("\n").length - 1);
          hooks?.expanded(i, call.end, outStart, out.length);
          changed = true;
          i = call.end;
          continue;
        }
      }
    } else {
      j = i + 1;
    }
    out += src.slice(i, j);
    i = j;
  }
  return { out, changed };
}
