// Loads a golden program through the real frontend, as `cairn analyze` does.

import type { Diagnostic } from "../../lang/diagnostics.js";
import { frontend } from "../../lang/compile.js";
import type { CheckedProgram } from "../../lang/model.js";
import type { SourceMap } from "../../lang/span.js";

export interface Loaded {
  readonly checked?: CheckedProgram;
  readonly errors: readonly Diagnostic[];
  readonly sources: SourceMap;
}

export function loadCalm(text: string, file: string): Loaded {
  const r = frontend(file, (p) => (p === file ? text : undefined));
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  return { checked: errors.length === 0 ? r.checked : undefined, errors, sources: r.sources };
}
