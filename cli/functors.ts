// `cairn run --functors FILE`: the implementations of a program's `.functor`
// declarations, from a JavaScript module: its named function exports, or the
// functions of an object it exports by default. A declared functor that the
// module does not give is an error at its declaration.

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { UserFunctor } from "../engine/eval/functors.js";
import { error, type Diagnostic } from "../lang/diagnostics.js";
import type { CheckedProgram } from "../lang/model.js";

/** The functions module `path` exports (relative paths from the working directory). */
export async function loadFunctorModule(path: string): Promise<Record<string, UserFunctor>> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  const out: Record<string, UserFunctor> = {};
  const add = (from: Record<string, unknown>) => {
    for (const [name, f] of Object.entries(from)) if (typeof f === "function") out[name] = f as UserFunctor;
  };
  if (mod["default"] !== null && typeof mod["default"] === "object") add(mod["default"] as Record<string, unknown>);
  add(mod);
  return out;
}

/** An error at each `.functor` declaration that `impls` does not implement; `from` names the module, if one was given. */
export function missingFunctors(
  program: CheckedProgram,
  impls: Readonly<Record<string, UserFunctor>>,
  from: string | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of program.functors?.values() ?? []) {
    if (typeof impls[f.name] === "function") continue;
    const why =
      from === undefined
        ? "pass --functors FILE, a JavaScript module that exports a function of that name"
        : `${from} exports no function "${f.name}"`;
    out.push(error("missing-functor", `functor @${f.name} is declared but has no implementation: ${why}`, f.span));
  }
  return out;
}
