// Whether a recursive stratum of `min` or `max` relations takes strict steps:
// every rule that reads one of the stratum's own atoms derives a value
// strictly worse, in the lattice's order, than the value it read (`d + w`
// under `min` with every `w` at least 1; `d - w` under `max`). Then a key's
// value is never held up by a cycle through the key itself: following tight
// derivations back from any key, the values strictly improve at each step, so
// the walk cannot come back to a key and ends at a derivation from the
// stratum's inputs. That is what makes delete and rederive keyed on tight
// derivations (engine/eval/rederive.ts) sound in such a stratum; a capped
// step (`min(n + 1, 6)`) or a weight of 0 can hold a value up by itself, and
// is not strict.
//
// The shape of each rule is read once; whether the weights it adds are at
// least 1, and whether no sum at the last fixpoint wrapped around the 32-bit
// range, depend on the rows, and are checked against them at each update, in
// time linear in the columns read.

import type { MAtom, MTerm, Rule, Stratum } from "../../lang/model.js";
import { literalVars, termVars } from "../../lang/model-terms.js";
import type { Relation } from "../storage/relation.js";

/** A column of an input to the stratum whose values a rule adds as a step: each must be at least 1. */
interface StepColumn {
  readonly relation: string;
  readonly column: number;
}

/** What must hold of the rows for the stratum's steps to be strict: the step columns, and the largest constant step. */
export interface StrictSteps {
  readonly columns: readonly StepColumn[];
  readonly constant: number;
}

const MAX = 2147483647;
const MIN = -2147483648;

/** Whether `rel`'s lattice is `min` or `max` over 32-bit integers, and which. */
function direction(rel: Relation): "min" | "max" | undefined {
  const name = rel.lattice?.name;
  return name === "min<number>" ? "min" : name === "max<number>" ? "max" : undefined;
}

/** A step a rule adds to the value it read: a positive constant, or a variable an input atom binds. */
type Step = { readonly kind: "constant"; readonly value: number } | { readonly kind: "column"; readonly name: string };

/**
 * The step of head value `value` over body value `n`, in the direction that
 * makes it worse: `n + s` or `s + n` under `min`, `n - s` under `max`, with
 * `s` a constant of at least 1 or a variable. Undefined for any other shape.
 */
function stepOf(value: MTerm, n: string, dir: "min" | "max"): Step | undefined {
  if (value.kind !== "binary" || value.type !== "number") return undefined;
  const isN = (t: MTerm) => t.kind === "var" && t.name === n;
  const step = (t: MTerm): Step | undefined => {
    if (t.kind === "const" && typeof t.value === "number" && Number.isInteger(t.value) && t.value >= 1)
      return { kind: "constant", value: t.value };
    if (t.kind === "var" && t.name !== n) return { kind: "column", name: t.name };
    return undefined;
  };
  if (dir === "min" && value.op === "+") {
    if (isN(value.left)) return step(value.right);
    if (isN(value.right)) return step(value.left);
  }
  if (dir === "max" && value.op === "-" && isN(value.left)) return step(value.right);
  return undefined;
}

/**
 * The conditions under which `stratum`'s rules take strict steps, or
 * undefined when their shape alone rules it out. `relation` finds a relation
 * by name; `own` are the stratum's relations.
 */
export function strictSteps(stratum: Stratum, rules: readonly Rule[], relation: (name: string) => Relation): StrictSteps | undefined {
  const own = new Set(stratum.relations);
  const dirs = new Set(stratum.relations.map((r) => direction(relation(r))));
  if (dirs.size !== 1 || dirs.has(undefined)) return undefined;
  const dir = [...dirs][0]!;
  const columns: StepColumn[] = [];
  let constant = 0;
  for (const rule of rules) {
    const recursive = rule.body.filter((l): l is MAtom => l.kind === "atom" && own.has(l.relation));
    if (recursive.length === 0) continue;
    if (recursive.length > 1 || rule.body.some((l) => l.kind === "negation" && own.has(l.atom.relation))) return undefined;
    const read = recursive[0]!;
    const n = read.args.at(-1);
    if (n?.kind !== "var" || read.exact) return undefined;
    // The value read goes into the head's value and nowhere else, but for comparisons: as the read
    // is not exact, those are thresholds a larger value passes too.
    const elsewhere = new Set<string>();
    for (const a of read.args.slice(0, -1)) termVars(a, elsewhere);
    for (const a of rule.head.args.slice(0, -1)) termVars(a, elsewhere);
    for (const l of rule.body) if (l !== read && l.kind !== "compare") literalVars(l, elsewhere);
    if (elsewhere.has(n.name)) return undefined;
    const step = stepOf(rule.head.args.at(-1)!, n.name, dir);
    if (!step) return undefined;
    if (step.kind === "constant") {
      constant = Math.max(constant, step.value);
      continue;
    }
    // A variable step: bound as a plain argument of an atom over an input to the stratum.
    const binder = rule.body.find(
      (l): l is MAtom => l.kind === "atom" && !own.has(l.relation) && l.args.some((a) => a.kind === "var" && a.name === step.name),
    );
    if (!binder || relation(binder.relation).lattice) return undefined;
    columns.push({ relation: binder.relation, column: binder.args.findIndex((a) => a.kind === "var" && a.name === step.name) });
  }
  return { columns, constant };
}

/**
 * Whether the rows now in place keep the steps strict: every step column at
 * least 1, and no derivation at the last fixpoint able to wrap around (the
 * stratum's values plus the largest step stay within 32 bits).
 */
export function stepsHold(steps: StrictSteps, own: readonly Relation[], relation: (name: string) => Relation): boolean {
  let largest = steps.constant;
  for (const { relation: name, column } of steps.columns) {
    const r = relation(name);
    const { data, arity, size } = r;
    for (let row = 0; row < size; row++) {
      const w = data[row * arity + column]!;
      if (w < 1) return false;
      if (w > largest) largest = w;
    }
  }
  for (const r of own) {
    const dir = direction(r);
    const { data, arity, size, dead } = r;
    for (let row = 0; row < size; row++) {
      if (dead[row] === 1) continue;
      const v = data[row * arity + arity - 1]!;
      if (dir === "min" ? v + largest > MAX : v - largest < MIN) return false;
    }
  }
  return true;
}
