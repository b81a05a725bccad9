// Diagnostics as data ({code, severity, message, span, notes}) and their
// rendering as a code frame: file:line:col, the source line, a caret.

import type { SourceMap, Span } from "./span.js";

export type Severity = "error" | "warning";

export interface Note {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  /** A stable identifier such as `undeclared-relation`; documented in the README. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: Span;
  readonly notes: readonly Note[];
}

export function error(code: string, message: string, span?: Span, notes: Note[] = []): Diagnostic {
  return { code, severity: "error", message, span, notes };
}

export function warning(code: string, message: string, span?: Span, notes: Note[] = []): Diagnostic {
  return { code, severity: "warning", message, span, notes };
}

/** Thrown when a program (or its input) has errors; carries every diagnostic found. */
export class CairnError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources?: SourceMap;

  constructor(diagnostics: readonly Diagnostic[], sources?: SourceMap) {
    super(diagnostics.map((d) => plainMessage(d)).join("\n"));
    this.name = "CairnError";
    this.diagnostics = diagnostics;
    this.sources = sources;
  }
}

function plainMessage(d: Diagnostic): string {
  const at = d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.col}: ` : "";
  return `${at}${d.severity}: ${d.message}`;
}

export interface Style {
  error(s: string): string;
  warning(s: string): string;
  note(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const plainStyle: Style = {
  error: (s) => s,
  warning: (s) => s,
  note: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
};

/** A caret frame under the quoted source line of `span`. */
function frame(span: Span, sources: SourceMap | undefined, style: Style, mark: (s: string) => string): string[] {
  const text = sources?.line(span.file, span.start.line);
  if (text === undefined) return [];
  const gutter = String(span.start.line);
  const pad = " ".repeat(gutter.length);
  const startCol = span.start.col;
  const endCol = span.end.line === span.start.line ? Math.max(span.end.col, startCol + 1) : text.length + 1;
  const width = Math.max(1, Math.min(endCol, text.length + 1) - startCol);
  const lead = text.slice(0, startCol - 1).replace(/[^\t]/g, " ");
  return [style.dim(`${pad} |`), `${style.dim(`${gutter} |`)} ${text}`, `${style.dim(`${pad} |`)} ${lead}${mark("^".repeat(width))}`];
}

/** Renders one diagnostic the way the CLI prints it. */
export function renderDiagnostic(d: Diagnostic, sources?: SourceMap, style: Style = plainStyle): string {
  const color = d.severity === "error" ? style.error : style.warning;
  const lines: string[] = [];
  const at = d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.col}: ` : "";
  lines.push(`${style.bold(at)}${color(`${d.severity}[${d.code}]`)}: ${style.bold(d.message)}`);
  if (d.span) lines.push(...frame(d.span, sources, style, color));
  for (const n of d.notes) {
    const nat = n.span ? `${n.span.file}:${n.span.start.line}:${n.span.start.col}: ` : "";
    lines.push(`  ${style.note("note")}: ${nat}${n.message}`);
    if (n.span) lines.push(...frame(n.span, sources, style, style.note).map((l) => `  ${l}`));
  }
  return lines.join("\n");
}

export function renderDiagnostics(ds: readonly Diagnostic[], sources?: SourceMap, style: Style = plainStyle): string {
  return ds.map((d) => renderDiagnostic(d, sources, style)).join("\n\n");
}
