// `.functor f(a: T, …): R [monotone] [stateful]` declarations: duplicates,
// parameter and result types, and the FunctorInfo the engine binds to the
// implementations given through the API. `monotone` is Cairn's extension.

import type { FunctorDecl, TypeRef } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType, FunctorInfo } from "../model.js";
import type { TypeEnv } from "./typeenv.js";
import { declaredTwice, didYouMeanType } from "./util.js";

function baseOf(ref: TypeRef, env: TypeEnv, diagnostics: Diagnostic[]): BaseType {
  if (!env.has(ref.name)) {
    diagnostics.push(error("unknown-type", `type "${ref.name}" is not declared`, ref.span, didYouMeanType(ref.name, env.names())));
  }
  return env.base(ref.name) ?? "number";
}

/** Reads the functor declarations, by name (without `@`). */
export function declareFunctors(decls: readonly FunctorDecl[], env: TypeEnv, diagnostics: Diagnostic[]): Map<string, FunctorInfo> {
  const out = new Map<string, FunctorInfo>();
  for (const d of decls) {
    const first = out.get(d.name);
    if (first) {
      diagnostics.push(declaredTwice("duplicate-functor", "functor", d.name, d.span, first.span));
      continue;
    }
    d.qualifiers.forEach((q, i) => {
      if (d.qualifiers.indexOf(q) < i)
        diagnostics.push(error("duplicate-qualifier", `qualifier ${q} is given twice for functor "${d.name}"`, d.span));
    });
    const params = d.params.map((p) => baseOf(p.type, env, diagnostics));
    const result = baseOf(d.result, env, diagnostics);
    out.set(d.name, { name: d.name, params, result, monotone: d.qualifiers.includes("monotone"), span: d.span });
  }
  return out;
}
