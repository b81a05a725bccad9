// The front half of the pipeline: source text → parse (with includes) → AST
// → checks → checked program → the magic-set transformation, when asked for.
// Browser-safe: files are read through a callback.

import { check } from "./check/index.js";
import type { Diagnostic } from "./diagnostics.js";
import { loadProgram, type SourceRead } from "./load.js";
import { magicSets } from "./magic/transform.js";
import type { Program } from "./ast.js";
import type { CheckedProgram } from "./model.js";
import { SourceMap } from "./span.js";

export interface FrontendOptions {
  readonly includeDirs?: string[];
  readonly defines?: Record<string, string>;
}

export interface FrontendResult {
  readonly ast?: Program;
  /** Present when there are no errors: the program to run (after the magic-set transformation, if asked for). */
  readonly checked?: CheckedProgram;
  /** The program as written, before the magic-set transformation: what the CALM analysis describes. */
  readonly written?: CheckedProgram;
  /** Errors and warnings, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: SourceMap;
}

/** Parses and checks the program whose entry file is `entry`, reading files with `readFile`. */
export function frontend(entry: string, readFile: (path: string) => SourceRead, options: FrontendOptions = {}): FrontendResult {
  const loaded = loadProgram(entry, readFile, options);
  const sources = loaded.sources ?? new SourceMap();
  if (loaded.diagnostics.some((d) => d.severity === "error")) {
    return { ast: loaded.program, diagnostics: loaded.diagnostics, sources };
  }
  const checked = check(loaded.program);
  const diagnostics = [...loaded.diagnostics, ...checked.diagnostics];
  if (!checked.checked) return { ast: loaded.program, diagnostics, sources };
  const magic = magicSets(loaded.program, checked.checked);
  return {
    ast: loaded.program,
    checked: magic.program,
    written: checked.checked,
    diagnostics: [...diagnostics, ...magic.diagnostics],
    sources,
  };
}
