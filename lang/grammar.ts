// The ohm grammar of the .dl dialect, built once from the embedded source text
// (lang/grammar.ohm, embedded by scripts/embed-grammar.mjs).

import * as ohm from "ohm-js";
import { grammarSource } from "./grammar.generated.js";

export { grammarSource };

let built: ohm.Grammar | undefined;

/** The compiled grammar (compiled on first use). */
export function souffleGrammar(): ohm.Grammar {
  built ??= ohm.grammar(grammarSource);
  return built;
}
