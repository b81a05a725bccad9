// Choice domains (`.decl r(x, y) choice-domain x, (x, y)`): each domain names
// columns whose values a tuple of the relation must not share with a tuple
// already in it; the first tuple with those values is kept, the later ones are
// dropped (engine/storage/choice.ts). Here: the names resolved to columns.

import type { RelationDecl } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import { didYouMean } from "./util.js";

/** Each choice domain of `decl` as sorted column positions (none: no domain); unknown names are reported. */
export function choiceDomains(decl: RelationDecl, diagnostics: Diagnostic[]): number[][] | undefined {
  if (!decl.choiceDomain) return undefined;
  const columns = new Map(decl.attributes.map((a, i) => [a.name, i] as const));
  const out: number[][] = [];
  let ok = true;
  for (const d of decl.choiceDomain) {
    const positions = new Set<number>();
    for (const name of d.columns) {
      const i = columns.get(name);
      if (i === undefined) {
        ok = false;
        const known = new Map(decl.attributes.map((a) => [a.name, a.span] as const));
        diagnostics.push(error("bad-choice-domain", `"${name}" is not a column of "${decl.name}"`, d.span, didYouMean(name, known)));
      } else positions.add(i);
    }
    out.push([...positions].sort((a, b) => a - b));
  }
  if (ok && decl.attributes.some((a) => a.type.args !== undefined)) {
    diagnostics.push(error("unsupported", `a relation with a lattice column cannot have a choice domain`, decl.choiceDomain[0]!.span));
  }
  return ok ? out : undefined;
}
