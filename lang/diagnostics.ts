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

/** The most characters of a source line a frame quotes; a longer line is cut around the caret, marked with "…". */
export const FRAME_WIDTH = 120;
/** Of a cut line, how many characters before the caret are quoted. */
const FRAME_LEAD = 40;

/** A caret frame under the quoted source line of `span` (or the part of it around the caret). */
function frame(span: Span, sources: SourceMap | undefined, style: Style, mark: (s: string) => string): string[] {
  const known = sources?.excerpt(span.file, span.start.line);
  if (known === undefined) return [];
  const gutter = String(span.start.line);
  const pad = " ".repeat(gutter.length);
  // Columns are the line's; `text` holds columns [known.col, known.col + text.length).
  const text = known.text;
  const lineEnd = known.col + text.length;
  const startCol = Math.max(span.start.col, known.col);
  const endCol = span.end.line === span.start.line ? Math.max(span.end.col, startCol + 1) : lineEnd;
  let from = known.col;
  let to = lineEnd;
  if (to - from > FRAME_WIDTH || from > 1 || !known.toEnd) {
    from = Math.max(known.col, Math.min(startCol - FRAME_LEAD, lineEnd - FRAME_WIDTH));
    to = Math.min(lineEnd, from + FRAME_WIDTH);
  }
  const before = from > 1 ? "…" : "";
  const after = to < lineEnd || !known.toEnd ? "…" : "";
  const shown = text.slice(from - known.col, to - known.col);
  const width = Math.max(1, Math.min(endCol, to) - startCol);
  const lead = (before + shown.slice(0, startCol - from)).replace(/[^\t]/g, " ");
  return [
    style.dim(`${pad} |`),
    `${style.dim(`${gutter} |`)} ${before}${shown}${after}`,
    `${style.dim(`${pad} |`)} ${lead}${mark("^".repeat(width))}`,
  ];
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
