// `cairn explain PROG.dl -F FACTS 'path(1, 4)' [--depth N] [--format text|json]`:
// why a fact holds (a proof tree: each step the rule, where it is written and
// the facts it joined, down to given facts) or why it does not (each rule that
// could derive it and the first body literal it fails on). Without a fact,
// Soufflé's explain interface reads its commands from standard input
// (cli/souffle-explain.ts). A fact that cannot be read is a usage error (exit
// 2) showing the text with a caret under the problem.

import { Option, type Command } from "commander";
import type { CheckedProgram } from "../lang/model.js";
import type { Program } from "../lang/ast.js";
import type { SourceMap } from "../lang/span.js";
import { Database, type Proof, type WhyNot } from "../engine/database.js";
import type { ProgramRunner } from "../engine/eval/program-runner.js";
import type { Value } from "../engine/storage/values.js";
import { frontOptions, type FrontFlags } from "./analyze.js";
import { databaseSource } from "./emit.js";
import { SouffleExplain } from "./souffle-explain.js";
import { factTuple, parseFact, QueryError } from "./fact-text.js";

/** What the explain command needs from the CLI around it. */
export interface ExplainCli {
  readonly load: (
    file: string,
    opts: { include?: string[]; define?: string[]; warn?: boolean },
  ) => { checked: CheckedProgram; sources: SourceMap; ast: Program };
  /** Reads the program's input facts from `factDir` into `runner`, reporting bad facts and ending the command. */
  readonly loadInputs: (checked: CheckedProgram, runner: ProgramRunner, sources: SourceMap, factDir: string) => void;
  readonly exit: (code: number) => never;
  readonly io: () => { stdout(s: string): void; stderr(s: string): void };
  /** Standard input's text (the commands of Soufflé's explain interface). */
  readonly stdin: () => string;
}

/** A value as facts and outputs show it. */
function show(v: Value): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `{${v.map(show).join(", ")}}`;
  return String(v);
}

/** A fact as facts and outputs show it: a record or ADT column as Soufflé writes it, unquoted. */
export function factText(program: CheckedProgram, relation: string, tuple: readonly Value[]): string {
  const columns = program.relations.get(relation)?.columns;
  return `${relation}(${tuple.map((v, c) => (columns?.[c]?.structured !== undefined ? String(v) : show(v))).join(", ")})`;
}

/** A proof as an indented tree, one fact a line, the rule that derived it after it. */
export function renderProof(p: Proof, program: CheckedProgram): string {
  const lines: string[] = [];
  const walk = (n: Proof, lead: string, branch: string, rest: string): void => {
    let line = `${lead}${branch}${factText(program, n.relation, n.tuple)}`;
    if (n.kind === "given") line += "  (given)";
    else if (n.kind === "cut") line += "  …";
    else if (n.rule)
      line += `  ⟸ ${n.rule.file}:${n.rule.line}  ${n.rule.text}${n.partial ? "  (one of the values joined into this one)" : ""}`;
    lines.push(line);
    const kids: { text?: string; proof?: Proof }[] = [
      ...(n.premises ?? []).map((proof) => ({ proof })),
      ...(n.conditions ?? []).map((text) => ({ text })),
    ];
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      if (k.proof) walk(k.proof, lead + rest, last ? "└─ " : "├─ ", last ? "   " : "│  ");
      else lines.push(`${lead}${rest}${last ? "└─ " : "├─ "}${k.text}  ✓`);
    });
  };
  walk(p, "", "", "");
  return `${lines.join("\n")}\n`;
}

/** Why a fact does not hold, rule by rule. */
export function renderWhyNot(w: WhyNot, program: CheckedProgram): string {
  const fact = factText(program, w.relation, w.tuple);
  const lines: string[] = [];
  if (w.held) lines.push(`${fact} does not hold: its key holds ${factText(program, w.relation, w.held)}`);
  else lines.push(`${fact} does not hold`);
  if (w.rules.length === 0) lines.push(`  no rule derives ${w.relation}, and the given facts do not include it`);
  for (const r of w.rules) {
    lines.push(`  ${r.rule.file}:${r.rule.line}  ${r.rule.text}`);
    const bound = Object.entries(r.bindings).map(([k, v]) => `${k} = ${show(v)}`);
    const with_ = bound.length > 0 ? `with ${bound.join(", ")}: ` : "";
    if (r.failsAt !== undefined) lines.push(`    ${with_}fails at ${r.failsAt} (${r.rule.file}:${r.line}:${r.column})`);
    else lines.push(`    ${with_}derives a value for this key, joined into the one it holds`);
  }
  return `${lines.join("\n")}\n`;
}

interface ExplainFlags extends FrontFlags {
  factDir: string;
  depth?: string;
  format: string;
}

export function addExplainCommand(program: Command, cli: ExplainCli): void {
  frontOptions(
    program
      .command("explain")
      .description("why a fact holds (its proof tree) or why not (the rules that could derive it and where each fails)")
      .argument("<program.dl>", "the program")
      .argument(
        "[fact]",
        "the fact, as in `path(1, 4)`; without it, the commands of Soufflé's explain interface are read from standard input",
      )
      .option("-F, --fact-dir <dir>", "folder of input .facts files", ".")
      .option("--depth <n>", "expand the proof at most n rule steps deep")
      .addOption(new Option("--format <format>", "text for people, json for tools").choices(["text", "json"]).default("text")),
  ).action((file: string, fact: string | undefined, o: ExplainFlags) => {
    const depth = o.depth === undefined ? Infinity : Number(o.depth);
    if (!(depth === Infinity || (Number.isInteger(depth) && depth >= 0))) {
      cli.io().stderr(`cairn: --depth takes a whole number of rule steps, got "${o.depth}"\n`);
      cli.exit(2);
    }
    const { checked, sources, ast } = cli.load(file, { include: o.includeDir, define: o.macro, warn: o.warn });
    const db = new Database(checked, {}, databaseSource(ast, sources));
    cli.loadInputs(checked, db.runner, sources, o.factDir);
    if (fact === undefined) {
      cli.io().stdout(new SouffleExplain(db, (s) => cli.io().stderr(s)).run(cli.stdin()));
      return;
    }
    const usage = (message: string, column: number): never => {
      cli.io().stderr(`cairn: cannot read the fact to explain: ${message}\n  ${fact}\n  ${" ".repeat(column - 1)}^\n`);
      return cli.exit(2);
    };
    let parsed: ReturnType<typeof parseFact>;
    try {
      parsed = parseFact(fact);
    } catch (e) {
      if (e instanceof QueryError) return usage(e.message, e.column);
      throw e;
    }
    const info = checked.relations.get(parsed.relation);
    if (!info) return usage(`relation "${parsed.relation}" is not declared in ${file}`, 1);
    if (parsed.args.length !== info.columns.length)
      return usage(
        `${parsed.relation} has ${info.columns.length} columns, got ${parsed.args.length}`,
        parsed.columns[info.columns.length] ?? fact.length + 1,
      );
    let answer: Proof | WhyNot;
    try {
      answer = db.explain(parsed.relation, factTuple(db, parsed.relation, parsed.args, parsed.texts), { depth });
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      const col = /column (\d+)/.exec(e.message);
      return usage(e.message, parsed.columns[Number(col?.[1] ?? 1) - 1] ?? 1);
    }
    if (o.format === "json") cli.io().stdout(`${JSON.stringify(answer, null, 2)}\n`);
    else cli.io().stdout(answer.kind === "absent" ? renderWhyNot(answer, db.program) : renderProof(answer, db.program));
  });
}
