// Test helpers for the semantic checks: parse a program text, check it, and
// look at the diagnostics as short strings ("3:7 code: message").

import { expect } from "vitest";
import { check } from "../lang/check/index.js";
import type { Diagnostic } from "../lang/diagnostics.js";
import type { CheckedProgram, MTerm, Rule } from "../lang/model.js";
import { parse } from "../lang/parse/parse.js";

export interface Checked {
  readonly checked?: CheckedProgram;
  readonly diagnostics: Diagnostic[];
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
}

/** Parses and checks `text` (the file is "t.dl"); fails the test on a syntax error. */
export function checkText(text: string): Checked {
  const parsed = parse(text, "t.dl");
  expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const r = check(parsed.program);
  return {
    checked: r.checked,
    diagnostics: r.diagnostics,
    errors: r.diagnostics.filter((d) => d.severity === "error"),
    warnings: r.diagnostics.filter((d) => d.severity === "warning"),
  };
}

export function at(span: Diagnostic["span"]): string {
  return span ? `${span.start.line}:${span.start.col}` : "-";
}

/** "line:col code: message" */
export function brief(d: Diagnostic): string {
  return `${at(d.span)} ${d.code}: ${d.message}`;
}

/** Each note as "line:col message". */
export function notes(d: Diagnostic): string[] {
  return d.notes.map((n) => `${at(n.span)} ${n.message}`);
}

/** The diagnostics of a program that must have errors, as short strings. */
export function errorsOf(text: string): string[] {
  const r = checkText(text);
  expect(r.checked).toBeUndefined();
  return r.errors.map(brief);
}

/** The checked program of a program that must have no errors. */
export function okProgram(text: string): CheckedProgram {
  const r = checkText(text);
  expect(r.errors.map(brief)).toEqual([]);
  expect(r.checked).toBeDefined();
  return r.checked!;
}

/** A rule as compact text: `path(x:symbol, y:symbol) :- edge(x, y)`-like, with types on variables and constants. */
export function showRule(r: Rule): string {
  const term = (t: MTerm): string => {
    switch (t.kind) {
      case "const":
        return `${typeof t.value === "string" ? JSON.stringify(t.value) : t.value}:${t.type}`;
      case "var":
        return `${t.name}:${t.type}`;
      case "wildcard":
        return `_:${t.type}`;
      case "binary":
        return `(${term(t.left)} ${t.op} ${term(t.right)}):${t.type}`;
      case "unary":
        return `${t.op}(${term(t.operand)}):${t.type}`;
      case "call":
        return `${t.name}(${t.args.map(term).join(", ")}):${t.type}`;
      case "cast":
        return `as(${term(t.term)}):${t.type}`;
      case "aggregate": {
        const witnesses = t.witnesses ? ` witnessing ${t.witnesses.join(", ")}` : "";
        return `${t.fn}${t.target ? ` ${term(t.target)}` : ""} : { ${t.body.map(lit).join(", ")} }${witnesses}:${t.type}`;
      }
    }
  };
  const atom = (a: { relation: string; args: readonly MTerm[] }) => `${a.relation}(${a.args.map(term).join(", ")})`;
  const lit = (l: Rule["body"][number]): string => {
    switch (l.kind) {
      case "atom":
        return atom(l);
      case "negation":
        return `!${atom(l.atom)}`;
      case "compare":
        return `${term(l.left)} ${l.op} ${term(l.right)}`;
      case "test":
        return `${l.negated ? "!" : ""}${l.name}(${l.args.map(term).join(", ")})`;
    }
  };
  return r.body.length === 0 ? `${atom(r.head)}.` : `${atom(r.head)} :- ${r.body.map(lit).join(", ")}.`;
}
