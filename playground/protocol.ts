// The messages between the playground's page and its worker: the page asks for
// a check (as the program is edited) or a run; the worker answers with the
// diagnostics, the CALM analysis and the dataflow graph, then the run's
// progress and its output tables.

import type { Graph } from "../lang/calm/graph.js";

export interface Request {
  readonly type: "check" | "run";
  /** The program's file name, as diagnostics give it. */
  readonly name: string;
  readonly program: string;
  /** Facts text by input relation (run only). */
  readonly facts?: Readonly<Record<string, string>>;
}

/** A diagnostic with its place as offsets into its file, and its frame as the command line prints it. */
export interface PageDiagnostic {
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly from?: number;
  readonly to?: number;
  readonly line?: number;
  readonly col?: number;
  readonly notes: readonly string[];
  /** The frame: file:line:col, the source line, a caret, the notes. */
  readonly text: string;
}

export interface RelationShape {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** The file an `.input` reads, as the facts folder would hold it. */
  readonly file?: string;
  readonly delimiter?: string;
}

export interface CheckedReply {
  readonly type: "checked";
  readonly diagnostics: readonly PageDiagnostic[];
  /** Present when the program has no errors: the `cairn analyze` report, and the analysis's own errors (freeze points in recursion). */
  readonly analysis?: string;
  readonly analysisDiagnostics?: readonly PageDiagnostic[];
  readonly graph?: Graph;
  /** The same at the level of operators (`cairn graph --operators`). */
  readonly operators?: Graph;
  readonly inputs: readonly RelationShape[];
  readonly outputs: readonly RelationShape[];
}

export interface ProgressReply {
  readonly type: "progress";
  readonly text: string;
}

export interface Table {
  readonly name: string;
  readonly columns: readonly string[];
  /** Cells as the command line writes them. */
  readonly rows: readonly (readonly string[])[];
}

export interface DoneReply {
  readonly type: "done";
  readonly tables: readonly Table[];
  /** `.printsize` lines: relation and count. */
  readonly sizes: readonly (readonly [string, number])[];
  readonly loadMs: number;
  readonly evaluateMs: number;
}

export interface FailedReply {
  readonly type: "failed";
  /** Where it failed: the program, its facts, or the run. */
  readonly stage: "program" | "facts" | "run";
  readonly diagnostics: readonly PageDiagnostic[];
}

export type Reply = CheckedReply | ProgressReply | DoneReply | FailedReply;
