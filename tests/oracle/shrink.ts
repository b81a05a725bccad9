// Judging a generated case (oracle on the generated model vs. the engine on its
// printed text), and shrinking a failing case greedily: drop rules, facts and
// literals, simplify terms, as long as it keeps failing the same way.

import { compile } from "../../index.js";
import type { MLiteral, MTerm } from "../../lang/model.js";
import { checkedOf, type Case, type RuleSpec } from "./gen-program.js";
import { differences } from "./compare.js";
import { evaluateNaive, groundable, OracleBudgetError } from "./naive.js";
import { printProgram } from "./print.js";

export type Verdict =
  | { readonly kind: "ok" | "too-big" }
  | { readonly kind: "oracle-error" | "rejected" | "engine-error" | "mismatch"; readonly detail: string };

/** A copy of `xs` with element `i` replaced. */
const replaced = <T>(xs: readonly T[], i: number, x: T): T[] => xs.map((y, j) => (j === i ? x : y));

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Backtracking steps the oracle may take on one case; the rare bigger case is skipped. */
export const STEP_BUDGET = 1_000_000;

export function judge(c: Case): Verdict {
  const checked = checkedOf(c);
  let expected: ReturnType<typeof evaluateNaive>;
  try {
    expected = evaluateNaive(checked, c.facts, STEP_BUDGET);
  } catch (e) {
    if (e instanceof OracleBudgetError) return { kind: "too-big" };
    return { kind: "oracle-error", detail: message(e) };
  }
  let program: ReturnType<typeof compile>;
  try {
    program = compile(printProgram(checked, true));
  } catch (e) {
    return { kind: "rejected", detail: message(e) };
  }
  let actual: ReturnType<typeof program.run>;
  try {
    actual = program.run(c.facts);
  } catch (e) {
    return { kind: "engine-error", detail: message(e) };
  }
  const diff = differences(expected, actual);
  if (diff.length === 0) return { kind: "ok" };
  // Which half is wrong: the oracle on the frontend's own checked program tells them apart.
  let side = "the frontend (the oracle on compile().checked agrees with the engine)";
  try {
    if (differences(evaluateNaive(program.checked, c.facts), actual).length > 0) side = "the engine";
  } catch (e) {
    side = `unknown (the oracle fails on compile().checked: ${message(e)})`;
  }
  return { kind: "mismatch", detail: `blame: ${side}\noracle vs engine:\n  ${diff.join("\n  ")}` };
}

/** Simpler terms of the same type: a subterm in place of the term, or one part simplified. */
function* termVariants(t: MTerm): Generator<MTerm> {
  switch (t.kind) {
    case "binary":
      for (const s of [t.left, t.right]) if (s.type === t.type) yield s;
      for (const l of termVariants(t.left)) yield { ...t, left: l };
      for (const r of termVariants(t.right)) yield { ...t, right: r };
      break;
    case "unary":
      yield t.operand;
      for (const o of termVariants(t.operand)) yield { ...t, operand: o };
      break;
    case "call":
      for (const a of t.args) if (a.type === t.type) yield a;
      for (let i = 0; i < t.args.length; i++) for (const a of termVariants(t.args[i]!)) yield { ...t, args: replaced(t.args, i, a) };
      break;
    case "aggregate":
      if (t.fn !== "count" && t.fn !== "mean") yield { ...t, fn: "count", target: undefined, type: "number" };
      for (const b of bodyVariants(t.body)) yield { ...t, body: b };
      if (t.target) for (const x of termVariants(t.target)) yield { ...t, target: x };
      break;
    case "const":
      if (typeof t.value === "number" && t.value !== 0 && t.type === "number") yield { ...t, value: 0 };
      break;
  }
}

function* literalVariants(l: MLiteral): Generator<MLiteral> {
  switch (l.kind) {
    case "atom":
      for (let i = 0; i < l.args.length; i++) for (const a of termVariants(l.args[i]!)) yield { ...l, args: replaced(l.args, i, a) };
      break;
    case "negation":
      for (const a of literalVariants(l.atom)) yield { ...l, atom: a as typeof l.atom };
      break;
    case "compare":
      for (const x of termVariants(l.left)) yield { ...l, left: x };
      for (const x of termVariants(l.right)) yield { ...l, right: x };
      break;
    case "test":
      if (l.negated) yield { ...l, negated: false };
      break;
  }
}

function* bodyVariants(body: readonly MLiteral[]): Generator<MLiteral[]> {
  for (let i = 0; i < body.length; i++) yield body.filter((_, j) => j !== i);
  for (let i = 0; i < body.length; i++) for (const l of literalVariants(body[i]!)) yield replaced(body, i, l);
}

function* ruleVariants(r: RuleSpec): Generator<RuleSpec> {
  for (const body of bodyVariants(r.body)) yield { ...r, body };
  for (let i = 0; i < r.head.args.length; i++) {
    for (const a of termVariants(r.head.args[i]!)) yield { ...r, head: { ...r.head, args: replaced(r.head.args, i, a) } };
  }
}

/** Every one-step simplification of a case, biggest steps first. */
function* variants(c: Case): Generator<Case> {
  const withGroups = (groups: RuleSpec[][]): Case => ({ ...c, groups });
  for (let g = 0; g < c.groups.length; g++) {
    for (let i = 0; i < c.groups[g]!.length; i++)
      yield withGroups(
        replaced(
          c.groups,
          g,
          c.groups[g]!.filter((_, j) => j !== i),
        ),
      );
  }
  for (const [rel, tuples] of Object.entries(c.facts)) {
    for (let i = 0; i < tuples.length; i++) yield { ...c, facts: { ...c.facts, [rel]: tuples.filter((_, j) => j !== i) } };
  }
  for (let g = 0; g < c.groups.length; g++) {
    for (let i = 0; i < c.groups[g]!.length; i++) {
      for (const r of ruleVariants(c.groups[g]![i]!)) yield withGroups(replaced(c.groups, g, replaced(c.groups[g]!, i, r)));
    }
  }
}

/** Drops relations that no rule mentions and that have no facts. */
function prune(c: Case): Case {
  const text = printProgram(checkedOf({ ...c, relations: [] }));
  const used = (name: string) => new RegExp(`\\b${name}\\(`).test(text) || (c.facts[name]?.length ?? 0) > 0;
  const facts = Object.fromEntries(Object.entries(c.facts).filter(([name, t]) => used(name) && t.length > 0));
  return { ...c, relations: c.relations.filter((r) => used(r.name)), facts };
}

/** The smallest case found that still fails like `c` does (within `budget` judgements). */
export function shrink(c: Case, budget = 3000): { case: Case; verdict: Verdict } {
  const kind = judge(c).kind;
  let current = c;
  let progress = true;
  while (progress && budget > 0) {
    progress = false;
    for (const candidate of variants(current)) {
      if (--budget <= 0) break;
      if (!groundable(checkedOf(candidate))) continue;
      if (judge(candidate).kind === kind) {
        current = candidate;
        progress = true;
        break;
      }
    }
  }
  const pruned = prune(current);
  const final = judge(pruned).kind === kind ? pruned : current;
  return { case: final, verdict: judge(final) };
}

/** A failing case written out for a test report. */
export function describe(c: Case, verdict: Verdict): string {
  const facts = Object.entries(c.facts).map(([rel, t]) => `  ${rel}: ${JSON.stringify(t)}`);
  const detail = "detail" in verdict ? `${verdict.kind}: ${verdict.detail}` : verdict.kind;
  return `${printProgram(checkedOf(c), true)}facts:\n${facts.join("\n")}\n${detail}`;
}
