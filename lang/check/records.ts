// Record and algebraic-data-type terms of one rule: which record or ADT type
// each `[…]`, `nil` and `$Branch(…)` has, from the columns it is stored in or
// read from, the variables it is equated with, the field it fills and the
// branch it names; then that each one fits: record arity, known constructor,
// branch arity, a branch of the type its place expects. The base-type
// inference (infer.ts) then types each field as its declaration says.

import type { Atom, Literal, Term } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { FieldType, StructuredType } from "../model.js";
import type { Relations } from "./declarations.js";
import { literalTerms, subterms, walkTerm } from "./ast-terms.js";
import type { Scoped } from "./scope.js";
import type { TypeEnv } from "./typeenv.js";
import { didYouMean, plural } from "./util.js";

/** A structured term: a record, nil or a branch value. */
export type StructuredTerm = Extract<Term, { kind: "record" | "nil" | "adt" }>;

export interface RecordTyping {
  /** The record or ADT type (its declared name, aliases resolved) of a structured term, once known. */
  of(t: Term): string | undefined;
}

export const NO_RECORDS: RecordTyping = { of: () => undefined };

/** Whether any term of the rule is structured (most rules have none, and skip the pass). */
function hasStructured(terms: readonly Term[]): boolean {
  let found = false;
  const visit = (t: Term): void => {
    if (t.kind === "record" || t.kind === "nil" || t.kind === "adt") found = true;
    else if (t.kind === "aggregate") {
      if (t.target) walkTerm(t.target, visit);
      for (const l of t.body) for (const s of literalTerms(l)) walkTerm(s, visit);
    }
  };
  for (const t of terms) walkTerm(t, visit);
  return found;
}

/** Gives the structured terms of a rule their types, reporting those that cannot have one or do not fit it. */
export function typeRecords(
  head: Atom,
  body: readonly Literal[],
  scoped: Scoped,
  relations: Relations,
  env: TypeEnv,
  diagnostics: Diagnostic[],
): RecordTyping {
  const literals: Literal[] = [];
  const collect = (ls: readonly Literal[]): void => {
    for (const l of ls) {
      literals.push(l);
      for (const t of literalTerms(l))
        walkTerm(t, (s) => {
          if (s.kind === "aggregate") collect(s.body);
        });
    }
  };
  collect([head, ...body]);
  if (!hasStructured(literals.flatMap((l) => [...literalTerms(l)]))) return NO_RECORDS;

  const types = new Map<Term, string>();
  const varTypes = new Map<string, string>();
  const reported = new Set<Term>();
  const report = (t: Term, d: Diagnostic): void => {
    if (reported.has(t)) return;
    reported.add(t);
    diagnostics.push(d);
  };
  const nameOf = (t: Term) => (t.kind === "var" ? (scoped.names.get(t) ?? t.name) : undefined);
  let changed = true;

  /** `t` stands where a value of type `type` is expected (an atom's column, a field, the other side of `=`). */
  const expect = (t: Term, type: string): void => {
    const decl = env.structured(type);
    switch (t.kind) {
      case "var": {
        const n = nameOf(t)!;
        if (decl && !varTypes.has(n)) {
          varTypes.set(n, decl.name);
          changed = true;
        }
        return;
      }
      case "cast":
        return expect(t.term, t.typeName);
      case "nil":
      case "record": {
        if (decl?.form !== "record") {
          const what = t.kind === "nil" ? "nil" : "a record";
          const why = decl ? "an algebraic data type" : "not a record type";
          report(t, error("record-type", `${what} cannot stand where a value of type ${type} is expected: ${type} is ${why}`, t.span));
          return;
        }
        if (types.has(t)) return;
        types.set(t, decl.name);
        changed = true;
        if (t.kind === "nil") return;
        const fields = decl.fields ?? [];
        if (fields.length !== t.args.length) {
          report(
            t,
            error(
              "record-arity",
              `record type ${decl.name} has ${plural(fields.length, "field")}, but this record has ${plural(t.args.length, "field")}`,
              t.span,
              [{ message: `${decl.name} is declared here`, span: decl.span }],
            ),
          );
          return;
        }
        t.args.forEach((a, i) => expect(a, fields[i]!.type.name));
        return;
      }
      case "adt": {
        const b = branchOf(t);
        if (!b) return;
        if (decl?.name !== b.type) {
          const tdecl = env.structured(b.type)!;
          report(
            t,
            error("branch-type", `$${t.branch}(…) is a value of type ${b.type}, but a value of type ${type} is expected here`, t.span, [
              { message: `$${t.branch} is a branch of ${b.type}`, span: tdecl.span },
            ]),
          );
        }
        return;
      }
      default:
        return;
    }
  };

  /** The branch a constructor names, with its own fields expected of its arguments; reported when unknown or given the wrong count. */
  const branchOf = (t: Extract<Term, { kind: "adt" }>) => {
    const b = env.branch(t.branch);
    if (!b) {
      report(
        t,
        error("unknown-constructor", `$${t.branch} is not a branch of any algebraic data type`, t.span, [
          ...didYouMean(t.branch, env.branchNames()).map((n) => ({ ...n, message: n.message.replace(/"(.*)"/, "$$$1") })),
        ]),
      );
      return undefined;
    }
    if (!types.has(t)) {
      types.set(t, b.type);
      changed = true;
      const fields = b.branch.fields;
      if (fields.length !== t.args.length) {
        report(
          t,
          error(
            "branch-arity",
            `branch ${t.branch} of ${b.type} has ${plural(fields.length, "field")}, but $${t.branch} is given ${plural(t.args.length, "argument")}`,
            t.span,
            [{ message: `${t.branch} is declared here`, span: b.branch.span }],
          ),
        );
      } else t.args.forEach((a, i) => expect(a, fields[i]!.type.name));
    }
    return b;
  };

  /** The type `t` is known to have, if a structured one. */
  const known = (t: Term): string | undefined => {
    if (t.kind === "var") return varTypes.get(nameOf(t)!);
    if (t.kind === "cast") return env.structured(t.typeName)?.name;
    if (t.kind === "record" || t.kind === "nil") return types.get(t);
    if (t.kind === "adt") return env.branch(t.branch)?.type;
    return undefined;
  };

  const atom = (a: Atom): void => {
    const rel = relations.get(a.relation);
    if (!rel || rel.columns.length !== a.args.length) return;
    a.args.forEach((arg, i) => expect(arg, rel.columns[i]!.display));
  };

  for (let round = 0; changed && round < 100; round++) {
    changed = false;
    for (const l of literals) {
      if (l.kind === "atom") atom(l);
      else if (l.kind === "negation") atom(l.atom);
      else if (l.kind === "compare") {
        const lt = known(l.left);
        const rt = known(l.right);
        if (lt !== undefined) expect(l.right, lt);
        if (rt !== undefined) expect(l.left, rt);
      }
      for (const t of literalTerms(l))
        walkTerm(t, (s) => {
          if (s.kind === "adt") branchOf(s);
          else if (s.kind === "cast") expect(s.term, s.typeName);
        });
    }
  }

  // A record or branch value cannot be computed with (a record whose type nothing gives is compared field by field).
  for (const l of literals)
    for (const t of literalTerms(l))
      walkTerm(t, (s) => {
        if (s.kind === "binary" || s.kind === "unary" || s.kind === "call") {
          for (const sub of subterms(s)) {
            if ((sub.kind === "record" || sub.kind === "adt" || sub.kind === "nil") && !reported.has(sub)) {
              report(sub, error("record-type", `a record or branch value cannot be an operand of arithmetic or a functor`, sub.span));
            }
          }
        }
      });
  return { of: (t) => types.get(t) };
}

/** The record and algebraic data types that the given column types reach, by name, for reading and writing values. */
export function structuredTypes(env: TypeEnv, columnTypes: Iterable<string>): Map<string, StructuredType> {
  const out = new Map<string, StructuredType>();
  const field = (type: string): FieldType => {
    const d = env.structured(type);
    if (!d) return env.base(type) ?? "number";
    visit(d.name);
    return { structured: d.name };
  };
  const visit = (type: string): void => {
    const d = env.structured(type);
    if (!d || out.has(d.name)) return;
    if (d.form === "record") {
      const fields: FieldType[] = [];
      out.set(d.name, { kind: "record", name: d.name, fields });
      for (const f of d.fields ?? []) fields.push(field(f.type.name));
      return;
    }
    const sorted = [...(d.branches ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const branches: { name: string; fields: FieldType[] }[] = sorted.map((b) => ({ name: b.name, fields: [] }));
    out.set(d.name, { kind: "adt", name: d.name, enumeration: sorted.every((b) => b.fields.length === 0), branches });
    sorted.forEach((b, i) => {
      for (const f of b.fields) branches[i]!.fields.push(field(f.type.name));
    });
  };
  for (const t of columnTypes) visit(t);
  return out;
}
