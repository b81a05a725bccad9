// Record patterns of a lowered rule turned into what the engine evaluates.
// A record, or a branch value with fields, is lowered to `$record(…)`, which
// packs its fields into one id (engine/storage/records.ts). Where such a
// term matches values instead of building one (an argument of a positive
// atom, or a side of `=`, whose variables are not all bound elsewhere), it
// becomes a variable for the value and literals over its fields:
//   r([x, [y, _]])  →  r(v), v != 0, x = $field(v, 2, 0), w = $field(v, 2, 1), w != 0, y = $field(w, 2, 0)
// `$field(v, n, i)` reads field i of the n-field record v; the planner binds
// x and w, or checks them where already bound. Id 0 is nil, which matches no
// pattern. Everything else (heads, negations, `!=`, patterns whose variables
// are bound anyway) keeps `$record(…)` and compares ids: an integer join.

import type { MAtom, MLiteral, MTerm } from "../model.js";
import { someTerm, termVars } from "../model-terms.js";
import type { Span } from "../span.js";

export const PACK = "$record";
export const FIELD = "$field";

type Call = Extract<MTerm, { kind: "call" }>;

const isPack = (t: MTerm): t is Call => t.kind === "call" && t.name === PACK;

function hasPack(t: MTerm): boolean {
  if (isPack(t)) return true;
  if (t.kind === "cast") return hasPack(t.term);
  return false;
}

const constant = (value: number, span: Span): MTerm => ({ kind: "const", type: "number", value, span });

/** The rule's body with its record patterns unpacked; `fresh` names helper variables. */
export function unpackBody(body: readonly MLiteral[], outerBound: ReadonlySet<string>, fresh: () => string): MLiteral[] {
  if (!body.some(mentionsPack)) return [...body];
  const bound = new Set(outerBound);
  const plainBind = (): void => {
    for (const l of body) {
      if (l.kind === "atom") for (const a of l.args) if (a.kind === "var") bound.add(a.name);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const l of body) {
        if (l.kind !== "compare" || l.op !== "=") continue;
        for (const [v, e] of [
          [l.left, l.right],
          [l.right, l.left],
        ] as const) {
          if (v.kind === "var" && !bound.has(v.name) && ground(e)) {
            bound.add(v.name);
            changed = true;
          }
        }
      }
    }
  };
  const allBound = (t: MTerm) => !someTerm(t, (x) => x.kind === "wildcard") && [...termVars(t)].every((n) => bound.has(n));
  const ground = allBound;
  plainBind();
  const out: MLiteral[] = [];

  /** Literals matching the value of variable `v` against `pattern` (a $record term). */
  const unpack = (pattern: Call, v: MTerm, span: Span): void => {
    const n = pattern.args.length;
    out.push({ kind: "compare", op: "!=", type: "number", left: v, right: constant(0, span), span });
    pattern.args.forEach((arg, i) => {
      const field: MTerm = { kind: "call", name: FIELD, type: arg.type, args: [v, constant(n, span), constant(i, span)], span: arg.span };
      match(arg, field);
    });
  };
  /** Literals matching `value` (a field read) against the pattern `arg`. */
  const match = (arg: MTerm, value: MTerm): void => {
    const inner = arg.kind === "cast" ? arg.term : arg;
    if (inner.kind === "wildcard") return;
    if (isPack(inner) && !allBound(inner)) {
      const w: MTerm = { kind: "var", name: fresh(), type: "number", span: inner.span };
      out.push({ kind: "compare", op: "=", type: "number", left: w, right: value, span: inner.span });
      unpack(inner, w, inner.span);
      return;
    }
    if (inner.kind === "var") {
      out.push({ kind: "compare", op: "=", type: inner.type, left: inner, right: value, span: inner.span });
      bound.add(inner.name);
      return;
    }
    out.push({ kind: "compare", op: "=", type: inner.type, left: value, right: inner, span: inner.span });
  };
  /**
   * `a = b` where one side or both are records: matched field by field, unpacked from a bound
   * variable, or built from bound fields (binding the other side); false while none of these can be done yet.
   */
  const equate = (l: Extract<MLiteral, { kind: "compare" }>, force: boolean): boolean => {
    const a = l.left.kind === "cast" ? l.left.term : l.left;
    const b = l.right.kind === "cast" ? l.right.term : l.right;
    // `_ = [x, …]` (a field matched against `_`) holds for any value, and binds nothing.
    if (a.kind === "wildcard" || b.kind === "wildcard") return true;
    if (isPack(a) && isPack(b) && (!allBound(a) || !allBound(b))) {
      if (a.args.length !== b.args.length) {
        out.push({ kind: "test", name: "false", args: [], negated: false, span: l.span });
        return true;
      }
      a.args.forEach((x, i) => pending.push({ ...l, left: x, right: b.args[i]!, type: x.type }));
      return true;
    }
    for (const [p, v] of [
      [a, b],
      [b, a],
    ] as const) {
      if (isPack(p) && !allBound(p) && v.kind === "var" && bound.has(v.name)) {
        unpack(p, v, l.span);
        return true;
      }
    }
    if (!force && !allBound(a) && !allBound(b)) return false;
    out.push({ ...l, left: a, right: b });
    for (const t of [a, b]) if (t.kind === "var") bound.add(t.name);
    return true;
  };
  const pending: Extract<MLiteral, { kind: "compare" }>[] = [];

  for (const l of body) {
    if (l.kind === "atom" && l.args.some((a) => hasPack(a) && !allBound(a))) {
      const waiting: [Call, MTerm][] = [];
      const args = l.args.map((a) => {
        const p = a.kind === "cast" ? a.term : a;
        if (!isPack(p) || allBound(p)) return a;
        const v: MTerm = { kind: "var", name: fresh(), type: "number", span: p.span };
        waiting.push([p, v]);
        return v;
      });
      const atom: MAtom = { ...l, args };
      out.push(atom);
      for (const [p, v] of waiting) unpack(p, v, p.span);
      continue;
    }
    if (l.kind === "compare" && l.op === "=" && (hasPack(l.left) || hasPack(l.right))) {
      pending.push(l);
      continue;
    }
    out.push(l);
  }
  // Equalities with records, each once it can be decided; what never can stays as written (and fails to plan as ungrounded).
  for (let progress = true; pending.length > 0; ) {
    const round = pending.splice(0);
    progress = false;
    for (const l of round) {
      if (equate(l, false)) progress = true;
      else pending.push(l);
    }
    if (!progress) {
      for (const l of pending.splice(0)) equate(l, true);
    }
  }
  return out;
}

function mentionsPack(l: MLiteral): boolean {
  const terms = l.kind === "atom" ? l.args : l.kind === "negation" ? l.atom.args : l.kind === "compare" ? [l.left, l.right] : l.args;
  return terms.some(hasPack);
}
