// `--format json` for `cairn check`, `run` and `analyze`: every diagnostic of
// one invocation (the program's, the facts', the run's, the outputs') as one
// JSON document on standard error, in place of the code frames and the
// summary line. Schema cairn.diagnostics/1, documented in docs/cli.md.

import type { Diagnostic } from "../lang/diagnostics.js";
import type { Span } from "../lang/span.js";

/** A span as the document gives it: 1-based lines and columns (UTF-16 code units), the end exclusive. */
interface JsonSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

function spanJson(s: Span | undefined): JsonSpan | null {
  return s ? { file: s.file, line: s.start.line, column: s.start.col, endLine: s.end.line, endColumn: s.end.col } : null;
}

/** The document: the command, the program, counts, and the diagnostics in the order they were found. */
export function diagnosticsJson(
  command: string,
  program: string | undefined,
  diagnostics: readonly Diagnostic[],
  exitCode: number,
): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return `${JSON.stringify(
    {
      schema: "cairn.diagnostics/1",
      command,
      program: program ?? null,
      exitCode,
      errors,
      warnings: diagnostics.length - errors,
      diagnostics: diagnostics.map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.message,
        span: spanJson(d.span),
        notes: d.notes.map((n) => ({ message: n.message, span: spanJson(n.span) })),
      })),
    },
    null,
    2,
  )}\n`;
}
