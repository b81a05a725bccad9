// Answering a query (lang/query.ts) from a database as it stands: the query's
// rules are planned and compiled as any rule is (engine/plan, engine/codegen),
// by a runner that evaluates over the database's own relations, symbols and
// indexes (ProgramRunner's `over`), into a relation of its own, from which the
// answers are read. An index the query's plan probes is built on the
// database's relation if it has none, and kept.

import type { QueryVariable } from "../../lang/query.js";
import { QUERY_RELATION, type CompiledQuery } from "../../lang/query.js";
import { ProgramRunner, type RunnerOptions } from "../eval/program-runner.js";
import { decode, type Value } from "../storage/values.js";
import { keepingBounds } from "./bounds.js";

/** One answer: a value for each of the query's variables, by name. */
export type Binding = Record<string, Value>;

/** The answers to `query` over the relations of `runner`, each once, in the order they were derived. */
export function answerQuery(runner: ProgramRunner, options: RunnerOptions, query: CompiledQuery): Binding[] {
  const own = new ProgramRunner(query.program, { functors: options.functors, over: runner, workers: 1 });
  // The database may be between two rounds of its own run (a query from a handler).
  keepingBounds(runner, () => own.run());
  return readAnswers(own, query.variables);
}

function readAnswers(runner: ProgramRunner, variables: readonly QueryVariable[]): Binding[] {
  const rel = runner.relation(QUERY_RELATION);
  const out: Binding[] = [];
  const arity = rel.arity;
  for (let r = 0; r < rel.size; r++) {
    const b: Binding = {};
    for (let c = 0; c < arity; c++) {
      const cell = rel.data[r * arity + c]!;
      const structured = rel.structuredIO?.[c];
      b[variables[c]!.name] = structured ? structured.format(cell) : decode(variables[c]!.type, cell, runner.symbols);
    }
    out.push(b);
  }
  return out;
}
