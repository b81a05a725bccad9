// `cairn analyze PROG.dl [--format text|json]`: the CALM analysis — each rule's
// and relation's class with reasons, the outputs that need no coordination, the
// strata and their barriers, the freeze points. Exit 1 for a freeze point in recursion.

import { Option, type Command } from "commander";
import { analyze } from "../lang/calm/analyze.js";
import { renderAnalysis } from "../lang/calm/render-text.js";
import type { Analysis } from "../lang/calm/types.js";
import type { Diagnostic, Style } from "../lang/diagnostics.js";
import type { CheckedProgram } from "../lang/model.js";
import type { SourceMap } from "../lang/span.js";

/** What the CALM commands need from the CLI around them. */
export interface CalmCli {
  /** Parses and checks a program, printing its diagnostics; ends the command when it has errors. */
  readonly load: (
    file: string,
    opts: { include?: string[]; define?: string[]; warn?: boolean },
  ) => { checked: CheckedProgram; sources: SourceMap };
  /** Ends the command with an exit code. */
  readonly exit: (code: number) => never;
  readonly io: () => { stdout(s: string): void; stderr(s: string): void };
  readonly style: () => Style;
  /** Shows diagnostics (code frames, or `--format json`'s document), and a summary line that the document replaces. */
  readonly report: (diagnostics: readonly Diagnostic[], sources: SourceMap) => void;
  readonly summary: (line: string) => void;
}

export interface FrontFlags {
  includeDir?: string[];
  macro?: string[];
  warn?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Adds -I, -M and -w, as `run` and `check` have them. */
export function frontOptions(c: Command): Command {
  return c
    .option("-I, --include-dir <dir>", "folder searched by #include (repeatable)", collect)
    .option("-M, --macro <name=value>", "define a preprocessor macro (repeatable)", collect)
    .option("-w, --no-warn", "do not show warnings");
}

/** Loads and analyses `file`; reports freeze points in recursion on stderr. */
export function loadAnalysis(
  cli: CalmCli,
  file: string,
  o: FrontFlags,
): { analysis: Analysis; checked: CheckedProgram; sources: SourceMap; rejected: boolean } {
  const { checked, sources } = cli.load(file, { include: o.includeDir, define: o.macro, warn: o.warn });
  const analysis = analyze(checked);
  const n = analysis.diagnostics.length;
  if (n > 0) {
    cli.report(analysis.diagnostics, sources);
    cli.summary(`cairn: ${n} error${n === 1 ? "" : "s"} in ${file}\n`);
  }
  return { analysis, checked, sources, rejected: n > 0 };
}

/** The JSON document of `--format json` (schema cairn.analysis/1, see docs/calm-schema.md). */
export function analysisJson(analysis: Analysis, program: string): string {
  const { schema, ...rest } = analysis;
  return JSON.stringify({ schema, program, ...rest }, null, 2) + "\n";
}

export function addAnalyzeCommand(program: Command, cli: CalmCli): void {
  frontOptions(
    program
      .command("analyze")
      .description("CALM analysis: which results need no coordination, the strata, and the freeze points")
      .argument("<program.dl>", "the program")
      .addOption(new Option("--format <format>", "text for people, json for tools").choices(["text", "json"]).default("text")),
  ).action((file: string, o: FrontFlags & { format: string }) => {
    const { analysis, checked, sources, rejected } = loadAnalysis(cli, file, o);
    const out =
      o.format === "json"
        ? analysisJson(analysis, file)
        : renderAnalysis(analysis, { style: cli.style(), sources, program: checked, title: file });
    cli.io().stdout(out);
    if (rejected) cli.exit(1);
  });
}
