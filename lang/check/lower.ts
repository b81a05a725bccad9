// Lowering a checked rule to the model: terms carry their base types,
// variables their scoped names, constants their value in the column's domain
// (32-bit, as in Soufflé; out-of-range constants are errors).

import type { Aggregate, Atom, Literal, Term } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType, MAtom, MLiteral, MTerm, Rule } from "../model.js";
import type { Span } from "../span.js";
import type { Typing } from "./infer.js";
import type { Scoped } from "./scope.js";
import type { TypeEnv } from "./typeenv.js";
import { PACK, unpackBody } from "./unpack.js";
import { witnessCopies } from "./witness-copies.js";
import { witnessesOf } from "./witnesses.js";

export const NUMBER_MIN = -(2 ** 31);
export const NUMBER_MAX = 2 ** 31 - 1;
export const UNSIGNED_MAX = 2 ** 32 - 1;

/** The value of a number literal in domain `type`, or an error message. */
function constantValue(text: string, value: number, type: BaseType): number | string {
  switch (type) {
    case "float":
      return value;
    case "number":
      if (!Number.isInteger(value)) return `${text} is not an integer`;
      if (value < NUMBER_MIN || value > NUMBER_MAX) return `${text} is out of range for number (${NUMBER_MIN} to ${NUMBER_MAX})`;
      return value;
    case "unsigned":
      if (!Number.isInteger(value)) return `${text} is not an integer`;
      if (value < 0) return `${text} is not a valid unsigned value (unsigned values are 0 to ${UNSIGNED_MAX})`;
      if (value > UNSIGNED_MAX) return `${text} is out of range for unsigned (0 to ${UNSIGNED_MAX})`;
      return value;
    case "symbol":
      return value;
  }
}

export function lowerRule(
  id: number,
  head: Atom,
  body: readonly Literal[],
  span: Span,
  scoped: Scoped,
  typing: Typing,
  diagnostics: Diagnostic[],
  env?: TypeEnv,
): Rule {
  let helpers = 0;
  const fresh = () => `$rec${helpers++}`;
  const term = (t: Term): MTerm => {
    const type = typing.of(t);
    switch (t.kind) {
      case "number": {
        const v = constantValue(t.text, t.value, type);
        if (typeof v === "string") {
          diagnostics.push(error("constant-out-of-range", v, t.span));
          return { kind: "const", type, value: 0, span: t.span };
        }
        return { kind: "const", type, value: v, span: t.span };
      }
      case "string":
        return { kind: "const", type: "symbol", value: t.value, span: t.span };
      case "var":
        return { kind: "var", name: scoped.names.get(t) ?? t.name, type, span: t.span };
      case "wildcard":
        return { kind: "wildcard", type, span: t.span };
      case "binary":
        // `+` on symbols concatenates (Soufflé's overload); the model spells it cat.
        if (type === "symbol" && t.op === "+")
          return { kind: "call", name: "cat", type, args: [term(t.left), term(t.right)], span: t.span };
        return { kind: "binary", op: t.op, type, left: term(t.left), right: term(t.right), span: t.span };
      case "unary":
        return { kind: "unary", op: t.op, type, operand: term(t.operand), span: t.span };
      case "call":
        return { kind: "call", name: t.name, type, args: t.args.map(term), span: t.span };
      case "cast":
        return { kind: "cast", type, term: term(t.term), span: t.span };
      case "aggregate": {
        const witnesses = witnessesOf(scoped.witnesses, t)
          .filter((w) => w.direct)
          .map((w) => w.name);
        const m = {
          kind: "aggregate",
          fn: t.fn,
          type,
          target: t.target ? term(t.target) : undefined,
          body: unpackBody(t.body.map(literal), new Set(), fresh),
          ...(witnesses.length > 0 ? { witnesses } : {}),
          span: t.span,
        } as const;
        aggregates.set(t, m);
        return m;
      }
      case "nil":
        return { kind: "const", type: "number", value: 0, span: t.span, shown: "nil" };
      case "record":
        return { kind: "call", name: PACK, type: "number", args: t.args.map(term), span: t.span };
      case "adt": {
        // As in Soufflé: a branch of an enumeration is its number; any other branch value is the
        // record [number, field] (one field) or [number, [fields…]] (several; none: nil).
        const b = env?.branch(t.branch);
        const index = b?.index ?? 0;
        const decl = b && env?.structured(b.type);
        const shown = `$${t.branch}`;
        if (decl?.branches?.every((x) => x.fields.length === 0))
          return { kind: "const", type: "number", value: index, span: t.span, shown };
        const args = t.args.map(term);
        const payload: MTerm =
          args.length === 1
            ? args[0]!
            : args.length === 0
              ? { kind: "const", type: "number", value: 0, span: t.span }
              : { kind: "call", name: PACK, type: "number", args, span: t.span };
        const tag: MTerm = { kind: "const", type: "number", value: index, span: t.span };
        return {
          kind: "call",
          name: PACK,
          type: "number",
          args: [tag, payload],
          span: t.span,
          adt: { branch: shown, fields: args.length },
        };
      }
    }
  };
  const aggregates = new Map<Aggregate, Extract<MTerm, { kind: "aggregate" }>>();
  let discarded = 0;
  // `_ = t` keeps t's value in a variable nothing reads: the literal still needs t to have one.
  const side = (t: Term): MTerm =>
    t.kind === "wildcard" ? { kind: "var", name: `$discard${discarded++}`, type: typing.of(t), span: t.span } : term(t);
  const atom = (a: Atom): MAtom => ({ kind: "atom", relation: a.relation, args: a.args.map(term), span: a.span });
  const literal = (l: Literal): MLiteral => {
    switch (l.kind) {
      case "atom":
        return atom(l);
      case "negation":
        return { kind: "negation", atom: atom(l.atom), span: l.span };
      case "compare":
        if (l.op === "=") {
          // A generator is kept on the right: `x = range(…)`.
          const [a, b] = l.left.kind === "call" && l.left.name === "range" ? [l.right, l.left] : [l.left, l.right];
          return { kind: "compare", op: l.op, type: typing.of(l.left), left: side(a), right: side(b), span: l.span };
        }
        return { kind: "compare", op: l.op, type: typing.of(l.left), left: term(l.left), right: term(l.right), span: l.span };
      case "test":
        return { kind: "test", name: l.name, args: l.args.map(term), negated: l.negated, span: l.span };
    }
  };
  const lowered = unpackBody(body.map(literal), new Set(), fresh);
  const loweredHead = atom(head);
  const copies = witnessCopies(scoped.witnesses, aggregates, new Set(scoped.root.locals));
  return { id, head: loweredHead, body: [...lowered, ...copies], span };
}
