// Which relations the program asks the magic-set transformation for, read as
// Soufflé reads them: `.pragma "magic-transform" "*"` (every relation) or
// "a, b, c", `.pragma "magic-transform-exclude" "d, e"`, and the `magic` and
// `no_magic` qualifiers of a declaration. Unknown names are warnings.

import type { Program } from "../ast.js";
import { warning, type Diagnostic } from "../diagnostics.js";
import type { CheckedProgram } from "../model.js";

export interface MagicOptions {
  /** Every relation is a candidate (`*`). */
  readonly all: boolean;
  /** Relations named by the pragma or declared `magic`. */
  readonly named: ReadonlySet<string>;
  /** Relations named by magic-transform-exclude or declared `no_magic`. */
  readonly excluded: ReadonlySet<string>;
}

const names = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** The options, or undefined when the program does not ask for the transformation. */
export function magicOptions(ast: Program, program: CheckedProgram, diagnostics: Diagnostic[]): MagicOptions | undefined {
  let all = false;
  let asked = false;
  const named = new Set<string>();
  const excluded = new Set<string>();
  for (const item of ast.items) {
    if (item.kind !== "pragma") continue;
    const into = item.key === "magic-transform" ? named : item.key === "magic-transform-exclude" ? excluded : undefined;
    if (!into) continue;
    for (const name of names(item.value)) {
      if (name === "*" && into === named) {
        all = true;
        asked = true;
        continue;
      }
      if (!program.relations.has(name)) {
        diagnostics.push(
          warning("magic-unknown-relation", `.pragma "${item.key}" names "${name}", which is not a declared relation`, item.span),
        );
        continue;
      }
      into.add(name);
      if (into === named) asked = true;
    }
  }
  for (const r of program.relations.values()) {
    if (r.qualifiers.includes("no_magic")) excluded.add(r.name);
    else if (r.qualifiers.includes("magic")) {
      named.add(r.name);
      asked = true;
    }
  }
  return asked ? { all, named, excluded } : undefined;
}
