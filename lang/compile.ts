// The front half of the pipeline: source text → parse (with includes) → AST
// → checks → checked program. Browser-safe: files are read through a callback.

import { check } from "./check/index.js";
import type { Diagnostic } from "./diagnostics.js";
import { loadProgram } from "./load.js";
import type { Program } from "./ast.js";
import type { CheckedProgram } from "./model.js";
import { SourceMap } from "./span.js";

export interface FrontendOptions {
  readonly includeDirs?: string[];
  readonly defines?: Record<string, string>;
}

export interface FrontendResult {
  readonly ast?: Program;
  /** Present when there are no errors. */
  readonly checked?: CheckedProgram;
  /** Errors and warnings, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: SourceMap;
}

/** Parses and checks the program whose entry file is `entry`, reading files with `readFile`. */
export function frontend(entry: string, readFile: (path: string) => string | undefined, options: FrontendOptions = {}): FrontendResult {
  const loaded = loadProgram(entry, readFile, options);
  const sources = loaded.sources ?? new SourceMap();
  if (loaded.diagnostics.some((d) => d.severity === "error")) {
    return { ast: loaded.program, diagnostics: loaded.diagnostics, sources };
  }
  const checked = check(loaded.program);
  return { ast: loaded.program, checked: checked.checked, diagnostics: [...loaded.diagnostics, ...checked.diagnostics], sources };
}
