// The ohm grammar of the .dl dialect, rebuilt on first use from the recipe that
// scripts/embed-grammar.mjs compiled from lang/parse/grammar.ohm. Under Node, ohm is
// loaded only then, since most parses never need it (see parse.ts).

import type * as Ohm from "ohm-js";
import { grammarRecipe, grammarSource } from "./grammar.generated.js";

export { grammarSource };

/** makeRecipe is exported by ohm-js but missing from its type declarations. */
type OhmModule = typeof Ohm & { makeRecipe(recipe: string): Ohm.Grammar };

/** Node's `module` (Node 20.16+ hands it out synchronously, without an import of node:module). */
const nodeModule = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.("node:module") as
  | typeof import("node:module")
  | undefined;

/** Elsewhere (a browser, an older Node) ohm is imported up front. */
const preloaded = nodeModule ? undefined : ((await import("ohm-js")) as OhmModule);

function ohm(): OhmModule {
  return preloaded ?? (nodeModule!.createRequire(import.meta.url)("ohm-js") as OhmModule);
}

let built: Ohm.Grammar | undefined;

/** The compiled grammar (built on first use). */
export function souffleGrammar(): Ohm.Grammar {
  built ??= ohm().makeRecipe(grammarRecipe);
  return built;
}
