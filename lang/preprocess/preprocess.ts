// The C-preprocessor subset Soufflé programs use (#include, #define, #undef,
// #if… #endif, #error, #pragma once) plus `.include "f"` and `.once`; directive
// lines are blanked, not deleted, so every line keeps its number.

import { error, warning, type Diagnostic } from "../diagnostics.js";
import { LineIndex } from "../line-index.js";
import { decodeString } from "../parse/literals.js";
import { evaluateCondition } from "./expr.js";
import { type CodeHooks, type ExpansionBudget, ExpansionTooLarge, expand, MAX_EXPANDED, parseDefine, type MacroTable } from "./macros.js";
import type { Span } from "../span.js";

export interface IncludeRequest {
  /** The file name as written. */
  readonly target: string;
  /** `#include <f>` rather than `"f"`. */
  readonly angled: boolean;
  readonly span: Span;
  /** Where in the preprocessed text the include stands, to order its items among this file's. */
  readonly outOffset: number;
}

export interface PreprocessHost {
  /** Shared with included files, as in C: a macro defined in one is visible after its #include. */
  readonly macros: MacroTable;
  readonly diagnostics: Diagnostic[];
  include(request: IncludeRequest): void;
  /** `#pragma once` in this file. */
  pragmaOnce(): void;
}

/** A macro invocation at `src[srcStart, srcEnd)` of the original text that became `out[outStart, outEnd)`. */
export interface ExpansionSite {
  readonly srcStart: number;
  readonly srcEnd: number;
  readonly outStart: number;
  readonly outEnd: number;
}

export interface Preprocessed {
  readonly text: string;
  /** Every top-level macro expansion, in order: the only places where the text's length changed. */
  readonly expansions: readonly ExpansionSite[];
}

interface Directive {
  readonly start: number;
  /** End of the directive's last line, newline excluded. */
  readonly end: number;
}

interface Conditional {
  readonly parentActive: boolean;
  active: boolean;
  taken: boolean;
  sawElse: boolean;
  readonly span: Span;
}

/** Directive lines (a `#` first on a line, outside comments and strings), with their continuations. */
function findDirectives(text: string): Directive[] {
  const out: Directive[] = [];
  let inComment = false;
  let inString = false;
  let pos = 0;
  while (pos < text.length) {
    let lineEnd = text.indexOf("\n", pos);
    if (lineEnd < 0) lineEnd = text.length;
    if (!inComment && !inString && /^[ \t]*#/.test(text.slice(pos, Math.min(lineEnd, pos + 256)))) {
      let end = lineEnd;
      // Backslash-newline continues a directive; so does a block comment opened in it.
      for (;;) {
        const continued = /\\\r?$/.test(text.slice(pos, end)) || stripComments(text.slice(pos, end)).open;
        if (!continued || end >= text.length) break;
        const next = text.indexOf("\n", end + 1);
        end = next < 0 ? text.length : next;
      }
      out.push({ start: pos, end });
      pos = end + 1;
      continue;
    }
    for (let i = pos; i < lineEnd; i++) {
      const c = text[i];
      if (inComment) {
        if (c === "*" && text[i + 1] === "/") {
          inComment = false;
          i++;
        }
      } else if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === "/" && text[i + 1] === "/") break;
      else if (c === "/" && text[i + 1] === "*") {
        inComment = true;
        i++;
      } else if (c === '"') inString = true;
    }
    pos = lineEnd + 1;
  }
  return out;
}

const blank = (s: string) => s.replace(/[^\n]/g, " ");

/** `s` with its comments replaced by a space (strings are left alone); `open` if a block comment is not closed. */
function stripComments(s: string): { text: string; open: boolean } {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && s[i + 1] === "/") {
      const nl = s.indexOf("\n", i);
      out += " ";
      i = nl < 0 ? s.length : nl;
    } else if (c === "/" && s[i + 1] === "*") {
      const close = s.indexOf("*/", i + 2);
      if (close < 0) return { text: `${out} `, open: true };
      out += " ";
      i = close + 2;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, open: false };
}

/** Replaces `defined X` and `defined(X)` by 1 or 0. */
function replaceDefined(expr: string, macros: MacroTable): string {
  return expr.replace(/\bdefined\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))/g, (_m, a: string, b: string) =>
    macros.has(a ?? b) ? " 1 " : " 0 ",
  );
}

export function preprocess(text: string, file: string, host: PreprocessHost): Preprocessed {
  const lines = new LineIndex(file, text);
  const { macros, diagnostics } = host;
  const conds: Conditional[] = [];
  const active = () => conds.length === 0 || conds[conds.length - 1]!.active;
  let out = "";
  const expansions: ExpansionSite[] = [];
  const budget: ExpansionBudget = { left: MAX_EXPANDED };

  const emitCode = (from: number, to: number) => {
    // Once the expansion budget has run out (and said so), the rest of the file is left out.
    if (!active() || budget.left < 0) {
      out += blank(text.slice(from, to));
      return;
    }
    try {
      expandCode(from, to);
    } catch (e) {
      if (!(e instanceof ExpansionTooLarge)) throw e;
      // The text up to the next directive is left out (as blanks, keeping its lines).
      diagnostics.push(error("preprocessor", e.message, lines.spanAt(e.start, e.end)));
      out += blank(text.slice(from, to));
    }
  };

  const expandCode = (from: number, to: number) => {
    const base = out.length;
    const sites: ExpansionSite[] = [];
    const hooks: CodeHooks = {
      include(start, end, target, outLength) {
        const span = lines.spanAt(start, end);
        host.include({ target: decodeString(target).value, angled: false, span, outOffset: base + outLength });
      },
      once: () => host.pragmaOnce(),
      expanded(srcStart, srcEnd, outStart, outEnd) {
        sites.push({ srcStart, srcEnd, outStart: base + outStart, outEnd: base + outEnd });
      },
      builtin(name, at) {
        if (name === "__LINE__") return String(lines.spanAt(at, at).start.line);
        if (name === "__FILE__") return JSON.stringify(file);
        return undefined;
      },
    };
    const r = expand(text, from, to, macros, undefined, hooks, budget);
    expansions.push(...sites);
    out += r.out;
  };

  const runDirective = (d: Directive) => {
    const raw = text.slice(d.start, d.end);
    const logical = stripComments(raw.replace(/\\\r?\n/g, "")).text.trim();
    const m = /^#\s*([A-Za-z_]*)\s*([\s\S]*)$/.exec(logical);
    const name = m?.[1] ?? "";
    const rest = (m?.[2] ?? "").trim();
    const hash = d.start + raw.indexOf("#");
    const span = lines.spanAt(hash, d.start + raw.split("\n")[0]!.trimEnd().length);
    const fail = (message: string) => diagnostics.push(error("preprocessor", message, span));
    /** `s` with its macros expanded (undefined when that runs past the budget, reported the first time). */
    const expanded = (s: string): string | undefined => {
      if (budget.left < 0) return undefined;
      try {
        return expand(s, 0, s.length, macros, undefined, undefined, budget).out;
      } catch (e) {
        if (!(e instanceof ExpansionTooLarge)) throw e;
        fail(e.message);
        return undefined;
      }
    };
    const condition = (): boolean => {
      const withDefined = replaceDefined(rest, macros);
      const expr = expanded(withDefined);
      if (expr === undefined) return false;
      const r = evaluateCondition(expr);
      if ("error" in r) {
        fail(r.error);
        return false;
      }
      return r.value;
    };
    const top = conds[conds.length - 1];
    switch (name) {
      case "ifdef":
      case "ifndef":
      case "if": {
        const parentActive = active();
        let value = false;
        if (parentActive) value = name === "if" ? condition() : macros.has(rest.split(/\s/)[0] ?? "") === (name === "ifdef");
        conds.push({ parentActive, active: parentActive && value, taken: value, sawElse: false, span });
        return;
      }
      case "elif":
        if (!top || top.sawElse) return fail(top ? "#elif after #else" : "#elif without #if");
        if (!top.parentActive || top.taken) top.active = false;
        else top.taken = top.active = condition();
        return;
      case "else":
        if (!top || top.sawElse) return fail(top ? "#else after #else" : "#else without #if");
        top.sawElse = true;
        top.active = top.parentActive && !top.taken;
        top.taken = true;
        return;
      case "endif":
        if (!top) return fail("#endif without #if");
        conds.pop();
        return;
    }
    if (!active()) return;
    switch (name) {
      case "define": {
        const def = parseDefine(rest);
        if (!def) return fail("malformed #define");
        macros.set(def.name, def.macro);
        return;
      }
      case "undef":
        macros.delete(rest.split(/\s/)[0] ?? "");
        return;
      case "include": {
        let target = rest;
        if (!/^["<]/.test(target)) {
          const named = expanded(target);
          if (named === undefined) return;
          target = named.trim();
        }
        const inc = /^"([^"]*)"$|^<([^>]*)>$/.exec(target);
        if (!inc) return fail('#include expects "FILENAME" or <FILENAME>');
        const at = raw.search(/["<]/);
        const tspan = at >= 0 && rest === target ? lines.spanAt(d.start + at, d.start + at + target.length) : span;
        host.include({ target: inc[1] ?? inc[2]!, angled: inc[2] !== undefined, span: tspan, outOffset: out.length });
        return;
      }
      case "error":
        return fail(rest ? `#error ${rest}` : "#error");
      case "warning":
        diagnostics.push(warning("preprocessor", rest ? `#warning ${rest}` : "#warning", span));
        return;
      case "pragma":
        if (rest === "once") host.pragmaOnce();
        return;
      case "":
      case "line":
      case "ident":
        return;
      default:
        return fail(`unknown preprocessor directive #${name}`);
    }
  };

  let pos = 0;
  for (const d of findDirectives(text)) {
    emitCode(pos, d.start);
    out += blank(text.slice(d.start, d.end));
    runDirective(d);
    pos = d.end;
  }
  emitCode(pos, text.length);
  for (const c of conds) diagnostics.push(error("preprocessor", "unterminated conditional: missing #endif", c.span));
  return { text: out, expansions };
}
