// The set test `member(x, s)`. The AST has no such test (the parser reads it as
// an atom), so a body atom `member(x, s)` with two arguments, where no relation
// is named member, becomes a test literal named "member" here, negated under `!`.

import type { Literal, Test } from "../ast.js";
import { mapLiteral } from "./ast-terms.js";
import { mapAll } from "../model-terms.js";

/** Whether a literal is the member test made by `withMemberTests`. */
export function isMember(l: Literal): boolean {
  return l.kind === "test" && (l.name as string) === "member";
}

/** `body` with its `member(x, s)` atoms (also inside aggregates) turned into member tests. */
export function withMemberTests(body: readonly Literal[], declared: (relation: string) => boolean): readonly Literal[] {
  if (declared("member")) return body;
  const asTest = (l: Literal): Literal => {
    const atom = l.kind === "atom" ? l : l.kind === "negation" ? l.atom : undefined;
    if (atom?.relation !== "member" || atom.args.length !== 2) return l;
    const test = { kind: "test", name: "member", args: atom.args, negated: l.kind === "negation", span: l.span };
    return test as unknown as Test;
  };
  return mapAll(body, (l) => mapLiteral(l, (t) => t, asTest));
}
