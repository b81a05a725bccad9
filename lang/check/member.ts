// The set test `member(x, s)`. The AST has no such test (the parser reads it as
// an atom), so a body atom `member(x, s)` with two arguments, where no relation
// is named member, becomes a test literal named "member" here, negated under `!`.

import type { Literal, Term, Test } from "../ast.js";

/** Whether a literal is the member test made by `withMemberTests`. */
export function isMember(l: Literal): boolean {
  return l.kind === "test" && (l.name as string) === "member";
}

/** Maps the elements of `xs`, returning `xs` itself when nothing changed. */
function mapSame<T>(xs: readonly T[], f: (x: T) => T): readonly T[] {
  let out: T[] | undefined;
  xs.forEach((x, i) => {
    const y = f(x);
    if (y !== x && !out) out = xs.slice(0, i);
    out?.push(y);
  });
  return out ?? xs;
}

/** `body` with its `member(x, s)` atoms (also inside aggregates) turned into member tests. */
export function withMemberTests(body: readonly Literal[], declared: (relation: string) => boolean): readonly Literal[] {
  if (declared("member")) return body;
  const term = (t: Term): Term => {
    switch (t.kind) {
      case "binary": {
        const left = term(t.left);
        const right = term(t.right);
        return left === t.left && right === t.right ? t : { ...t, left, right };
      }
      case "unary": {
        const operand = term(t.operand);
        return operand === t.operand ? t : { ...t, operand };
      }
      case "call": {
        const args = mapSame(t.args, term);
        return args === t.args ? t : { ...t, args };
      }
      case "cast": {
        const inner = term(t.term);
        return inner === t.term ? t : { ...t, term: inner };
      }
      case "aggregate": {
        const target = t.target && term(t.target);
        const inner = mapSame(t.body, literal);
        return target === t.target && inner === t.body ? t : { ...t, target, body: inner };
      }
      default:
        return t;
    }
  };
  const literal = (l: Literal): Literal => {
    const atom = l.kind === "atom" ? l : l.kind === "negation" ? l.atom : undefined;
    if (atom && atom.relation === "member" && atom.args.length === 2) {
      const test = { kind: "test", name: "member", args: mapSame(atom.args, term), negated: l.kind === "negation", span: l.span };
      return test as unknown as Test;
    }
    switch (l.kind) {
      case "atom": {
        const args = mapSame(l.args, term);
        return args === l.args ? l : { ...l, args };
      }
      case "negation": {
        const args = mapSame(l.atom.args, term);
        return args === l.atom.args ? l : { ...l, atom: { ...l.atom, args } };
      }
      case "compare": {
        const left = term(l.left);
        const right = term(l.right);
        return left === l.left && right === l.right ? l : { ...l, left, right };
      }
      case "test": {
        const args = mapSame(l.args, term);
        return args === l.args ? l : { ...l, args };
      }
    }
  };
  return mapSame(body, literal);
}
