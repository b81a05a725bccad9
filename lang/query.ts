// A query: a rule body in the program's language, checked as the body of a
// rule of the program and turned into one, whose head holds the query's
// variables. The body is parsed and checked by the same parser and checks as
// any rule (lang/parse, lang/check): first under a head with no columns, which
// gives each variable its type, then under a head declared with those types,
// which is the rule the engine plans and runs (engine/api/query.ts). Its
// diagnostics are located in the query text, named `<query>`.

import type { Clause, Item, Program } from "./ast.js";
import { check } from "./check/index.js";
import { FIELD } from "./check/unpack.js";
import { CairnError, type Diagnostic, error } from "./diagnostics.js";
import { LineIndex } from "./line-index.js";
import type { BaseType, CheckedProgram, MLiteral, MTerm, Rule } from "./model.js";
import { parse } from "./parse/parse.js";
import { mapSpans } from "./preprocess/map.js";
import { SourceMap, type Span } from "./span.js";

/** The name query diagnostics give the query text. */
export const QUERY_FILE = "<query>";

/** The relation a query's answers go to: a name no program can declare. */
export const QUERY_RELATION = "__cairn_query";

export interface QueryVariable {
  readonly name: string;
  readonly type: BaseType;
  /** A variable holding a record or ADT value: its type's name (its answers are that type's values). */
  readonly structured?: string;
}

/** How a query column is declared: a record or ADT variable by its type's name, any other by its base type. */
const declared = (v: QueryVariable) => `${v.name}: ${v.structured ?? v.type}`;

export interface CompiledQuery {
  /** The program with the query's rules, to be evaluated over a database of the program it was compiled against. */
  readonly program: CheckedProgram;
  /** The query's variables in order of first appearance: the columns of QUERY_RELATION. */
  readonly variables: readonly QueryVariable[];
}

/**
 * Compiles `body` (a rule body, as after `:-`; a final `.` may be left out)
 * against the program `base` (as parsed). Throws a CairnError whose
 * diagnostics are located in the body, named QUERY_FILE, with `sources`
 * holding its text.
 */
export function compileQuery(base: Program, body: string, programSources?: SourceMap): CompiledQuery {
  const sources = new SourceMap();
  sources.add(QUERY_FILE, body);
  const lines = new LineIndex(QUERY_FILE, body);
  const fail = (diagnostics: readonly Diagnostic[]): never => {
    // Notes may point into the program (a declaration): its files' text goes with the query's.
    for (const d of diagnostics) {
      for (const n of d.notes ?? []) {
        const file = n.span?.file;
        const text = file === undefined || file === QUERY_FILE ? undefined : programSources?.text(file);
        if (file !== undefined && text !== undefined) sources.add(file, text);
      }
    }
    // The relation that holds the answers is the query's own: messages call it so.
    const named = diagnostics.map((d) => ({ ...d, message: d.message.replaceAll(`"${QUERY_RELATION}"`, "the query's answers") }));
    throw new CairnError(named, sources);
  };
  const trimmed = body.replace(/\s*\.?\s*$/, "");
  if (trimmed.trim() === "") fail([error("query", "a query is a rule body, such as `path(1, x), !blocked(x)`; this one is empty")]);
  // The body is read as the body of a rule; spans are moved back into the body's own text.
  const head = `${QUERY_RELATION}() :- `;
  const toBody = (s: Span): Span => {
    if (s.file !== QUERY_FILE) return s;
    const at = (o: number) => Math.min(body.length, Math.max(0, o - head.length));
    return lines.spanAt(at(s.start.offset), at(s.end.offset));
  };
  const parsed = parse(`${head}${trimmed}.`, QUERY_FILE);
  const parseErrors = parsed.diagnostics.filter((d) => d.severity === "error");
  const clause = parsed.program.items[0];
  if (parseErrors.length > 0 || parsed.program.items.length > 1) {
    // A `.` that ends the body before the text does says more than the syntax error after it.
    const stop = clauseEnd(trimmed);
    if (stop >= 0)
      fail([error("query", "a query is one rule body, without a `.` inside it: the body ends here", lines.spanAt(stop, stop + 1))]);
    fail(mapSpans(parseErrors, toBody));
  }
  if (clause?.kind !== "clause" || clause.heads.length !== 1) {
    fail([
      error("query", "a query is one rule body: atoms, negations and constraints separated by `,` or `;`", lines.spanAt(0, body.length)),
    ]);
  }
  const clauseItem = mapSpans(clause as Clause, toBody);

  // First under a head without columns: the variables' types.
  const typed = checkWith(base, [], clauseItem);
  if (!typed.checked) return fail(typed.errors);
  const variables = queryVariables(
    typed.checked.rules.filter((r) => r.head.relation === QUERY_RELATION),
    typed.checked,
  );

  // Then under a head that holds them: the rule to run.
  const columns = variables.map(declared).join(", ");
  const vars = variables.map((v) => v.name).join(", ");
  // The head is not in the text: what is said of it is said of the whole query.
  const whole = lines.spanAt(0, body.length);
  const withHead = mapSpans(parse(`${QUERY_RELATION}(${vars}) :- ${trimmed}.`, "<query rule>").program.items[0] as Clause, () => whole);
  const final = checkWith(base, variables, { ...withHead, body: clauseItem.body });
  if (!final.checked) return fail(final.errors.length > 0 ? final.errors : [error("query", `the query could not be checked (${columns})`)]);
  const program = final.checked;
  // Only the query's own stratum runs: everything it reads is in the database already.
  const ids = new Set(program.rules.filter((r) => r.head.relation === QUERY_RELATION).map((r) => r.id));
  return { program: { ...program, strata: program.strata.filter((s) => s.rules.some((id) => ids.has(id))) }, variables };
}

/** The offset of a `.` that would end a clause in `text` (outside parentheses, strings and numbers), or -1. */
function clauseEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (ch === "(" || ch === "{") depth++;
    else if (ch === ")" || ch === "}") depth--;
    else if (ch === "." && depth === 0 && !/\d/.test(text[i - 1] ?? "") && !/\d/.test(text[i + 1] ?? "")) return i;
  }
  return -1;
}

/** Checks `base` with the query's head relation declared with `columns` and `clause` added; its errors, or the checked program. */
function checkWith(
  base: Program,
  columns: readonly QueryVariable[],
  clause: Item,
): { checked?: CheckedProgram; errors: readonly Diagnostic[] } {
  const decl = parse(`.decl ${QUERY_RELATION}(${columns.map(declared).join(", ")})`, "<query declaration>").program.items[0]!;
  const result = check({ ...base, items: [...base.items, decl, clause] });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  return errors.length > 0 || !result.checked ? { errors } : { checked: result.checked, errors };
}

/**
 * The variables of the query's rules outside aggregates, in order of first
 * appearance, with their types; not those that hold set or pair values (an
 * answer binds plain values; such a variable may still be tested, `member("a", s)`).
 */
function queryVariables(rules: readonly Rule[], program: CheckedProgram): QueryVariable[] {
  const found = new Map<string, BaseType>();
  const composite = new Set<string>();
  for (const r of rules) {
    for (const l of r.body) {
      if (l.kind !== "atom") continue;
      const last = program.relations.get(l.relation)?.columns.at(-1)?.lattice;
      const arg = l.args.at(-1);
      if ((last?.name === "set" || last?.name === "pair") && arg?.kind === "var") composite.add(arg.name);
    }
  }
  const term = (t: MTerm): void => {
    switch (t.kind) {
      case "var":
        // Not the checks' own helper variables ($rec0 for an unpacked record, x'1 from inlining).
        if (!found.has(t.name) && !/[$']/.test(t.name)) found.set(t.name, t.type);
        return;
      case "binary":
        term(t.left);
        term(t.right);
        return;
      case "unary":
        term(t.operand);
        return;
      case "call":
        t.args.forEach(term);
        return;
      case "cast":
        term(t.term);
        return;
      default:
        // Constants; an aggregate's own variables stay inside it.
        return;
    }
  };
  const literal = (l: MLiteral): void => {
    if (l.kind === "atom") l.args.forEach(term);
    else if (l.kind === "negation") return;
    else if (l.kind === "compare") {
      term(l.left);
      term(l.right);
    } else l.args.forEach(term);
  };
  for (const r of rules) r.body.forEach(literal);
  const structured = structuredVariables(rules, program);
  return [...found]
    .filter(([name]) => !composite.has(name))
    .map(([name, type]) => {
      const s = structured.get(name);
      return s === undefined ? { name, type } : { name, type, structured: s };
    });
}

/**
 * The record or ADT type of each variable that holds one: one an atom's
 * structured column binds, and one the checks bound to a field of such a
 * record (`v = $field(r, arity, i)`, as lang/check/unpack.ts writes a
 * pattern), field by field to the record's own declaration.
 */
function structuredVariables(rules: readonly Rule[], program: CheckedProgram): Map<string, string> {
  const types = new Map<string, string>();
  const fields: { readonly v: string; readonly record: string; readonly index: number }[] = [];
  for (const r of rules) {
    for (const l of r.body) {
      if (l.kind === "atom") {
        const columns = program.relations.get(l.relation)?.columns;
        l.args.forEach((a, i) => {
          const s = columns?.[i]?.structured;
          if (a.kind === "var" && s !== undefined) types.set(a.name, s);
        });
      } else if (l.kind === "compare" && l.op === "=" && l.left.kind === "var" && l.right.kind === "call" && l.right.name === FIELD) {
        const [record, , index] = l.right.args;
        if (record?.kind === "var" && index?.kind === "const")
          fields.push({ v: l.left.name, record: record.name, index: Number(index.value) });
      }
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of fields) {
      const of = types.get(f.record);
      const t = of === undefined ? undefined : program.structured?.get(of);
      const field = t?.kind === "record" ? t.fields[f.index] : undefined;
      if (field !== undefined && typeof field !== "string" && !types.has(f.v)) {
        types.set(f.v, field.structured);
        changed = true;
      }
    }
  }
  return types;
}
