// One rule through the magic-set transformation: its body ordered by a
// left-to-right sideways-information-passing strategy that prefers atoms with a
// bound argument, each atom of an adornable relation replaced by the copy for
// its bound/free pattern, and one magic rule per such atom that derives the
// bindings it is asked for from the literals before it.
//
// Bindings are strong (from a body atom or an equality over strong values) or
// weak (a bound head column). A computed argument counts as bound only when its
// variables are strong, as in Soufflé: x + 1 over a weakly bound x could feed a
// magic set that grows without end (gen(x) :- gen(x + 1), …).

import type { MAtom, MLiteral, MTerm, Rule } from "../model.js";
import { literalVars, safeTerm, termVars } from "./terms.js";

export interface RuleDraft {
  readonly head: MAtom;
  readonly body: readonly MLiteral[];
  readonly span: Rule["span"];
}

export interface SipsContext {
  /** Whether atoms of `relation` may be replaced by adorned copies. */
  canAdorn(relation: string): boolean;
  isLattice(relation: string): boolean;
  /** The adorned copy of `relation` for `adornment` (queued for its rules). */
  adorned(relation: string, adornment: string): string;
  /** The magic relation of that copy. */
  magicOf(relation: string, adornment: string): string;
  /** `relation` is read in full: its own rules must run. */
  full(relation: string): void;
  /** A variable name no rule uses. */
  fresh(): string;
}

const subset = (vs: Iterable<string>, of: ReadonlySet<string>) => [...vs].every((v) => of.has(v));

/**
 * Rewrites `rule`. With `head`, the rule is one of the adorned copy `head.name` for `head.adornment`
 * and is guarded by its magic atom; without, it is a rule of a relation computed in full.
 */
export function rewriteRule(
  rule: Rule,
  head: { name: string; magic: string; adornment: string } | undefined,
  cx: SipsContext,
): { rule: RuleDraft; magic: RuleDraft[] } {
  const strong = new Set<string>();
  const bound = new Set<string>(); // strong or weak: what the magic rules can use
  const evaluated = new Set<string>(); // every variable bound so far in the new order
  const prefix: MLiteral[] = [];
  const ordered: MLiteral[] = [];
  const tail: MLiteral[] = [];
  const magic: RuleDraft[] = [];

  if (head) {
    const args: MTerm[] = [];
    rule.head.args.forEach((t, i) => {
      if (head.adornment[i] !== "b") return;
      if (t.kind === "var") {
        args.push(t);
        bound.add(t.name);
        evaluated.add(t.name);
      } else if (t.kind === "const") args.push(t);
      else {
        // A computed head column: the guard takes a fresh variable, checked against the value once it is known
        // (not for floats, where = is not identity: the guard alone is still sound, only less selective).
        const v: MTerm = { kind: "var", name: cx.fresh(), type: t.type, span: t.span };
        args.push(v);
        evaluated.add(v.name);
        if (t.type !== "float") tail.push({ kind: "compare", op: "=", type: t.type, left: v, right: t, span: t.span });
      }
    });
    const guard: MAtom = { kind: "atom", relation: head.magic, args, span: rule.head.span };
    prefix.push(guard);
    ordered.push(guard);
  }

  const isBoundArg = (t: MTerm): boolean => {
    switch (t.kind) {
      case "const":
        return true;
      case "var":
        return bound.has(t.name);
      case "wildcard":
        return false;
      default:
        return safeTerm(t) && subset(termVars(t), strong);
    }
  };
  const bindStrong = (name: string) => {
    strong.add(name);
    bound.add(name);
  };

  const ready = (l: MLiteral): boolean => {
    switch (l.kind) {
      case "atom":
        return false;
      case "negation":
        return l.atom.args.every((a) => a.kind === "wildcard" || subset(termVars(a), evaluated));
      case "test":
        return subset(literalVars(l), evaluated);
      case "compare": {
        const lv = termVars(l.left);
        const rv = termVars(l.right);
        if (subset(lv, evaluated) && subset(rv, evaluated)) return true;
        if (l.op !== "=") return false;
        return (l.left.kind === "var" && subset(rv, evaluated)) || (l.right.kind === "var" && subset(lv, evaluated));
      }
    }
  };

  const takeFilter = (l: MLiteral): void => {
    ordered.push(l);
    if (l.kind === "compare" && l.op === "=") {
      const lv = termVars(l.left);
      const rv = termVars(l.right);
      const leftFree = !subset(lv, evaluated);
      const rightFree = !subset(rv, evaluated);
      if (leftFree || rightFree) {
        const [v, e] = leftFree ? [l.left, l.right] : [l.right, l.left];
        const name = (v as { name: string }).name;
        evaluated.add(name);
        // Floats: = is numeric equality, not identity, so a float is never bound through it here.
        if (l.type !== "float" && safeTerm(e) && subset(termVars(e), strong)) {
          prefix.push(l);
          bindStrong(name);
        }
        return;
      }
    }
    if (l.kind === "negation") return;
    const terms = l.kind === "compare" ? [l.left, l.right] : l.kind === "test" ? l.args : [];
    if (terms.every(safeTerm) && subset(literalVars(l), bound)) prefix.push(l);
  };

  const takeAtom = (a: MAtom): void => {
    let out = a;
    if (cx.canAdorn(a.relation)) {
      const adornment = a.args.map((t) => (isBoundArg(t) ? "b" : "f")).join("");
      if (adornment.includes("b")) {
        out = { ...a, relation: cx.adorned(a.relation, adornment) };
        const margs = a.args.filter((_, i) => adornment[i] === "b");
        magic.push({
          head: { kind: "atom", relation: cx.magicOf(a.relation, adornment), args: margs, span: a.span },
          body: [...prefix],
          span: rule.span,
        });
      } else cx.full(a.relation);
    } else cx.full(a.relation);
    ordered.push(out);
    const computed = a.args.filter((t) => t.kind !== "var" && t.kind !== "const" && t.kind !== "wildcard");
    if (!cx.isLattice(a.relation) && computed.every((t) => safeTerm(t) && subset(termVars(t), bound))) {
      prefix.push(out);
      for (const t of a.args) if (t.kind === "var") bindStrong(t.name);
    }
    for (const t of a.args) if (t.kind === "var") evaluated.add(t.name);
  };

  const rest = [...rule.body];
  while (rest.length > 0) {
    const f = rest.findIndex(ready);
    if (f >= 0) {
      takeFilter(rest.splice(f, 1)[0]!);
      continue;
    }
    const atoms = rest.flatMap((l, i) => (l.kind === "atom" ? [i] : []));
    if (atoms.length === 0) {
      // Nothing left is ready (cannot happen in a grounded rule): keep the rest as written.
      ordered.push(...rest.splice(0));
      break;
    }
    const pick = atoms.find((i) => (rest[i] as MAtom).args.some(isBoundArg)) ?? atoms[0]!;
    takeAtom(rest.splice(pick, 1)[0] as MAtom);
  }

  const newHead = head ? { ...rule.head, relation: head.name } : rule.head;
  return { rule: { head: newHead, body: [...ordered, ...tail], span: rule.span }, magic };
}
