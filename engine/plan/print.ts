// The plan as text, for `cairn run --emit plan`: each stratum with what it
// reads (and which reads are freeze points it waits for), each rule version
// with its join order and why, and its pipeline one operator a line, outermost
// first, with the sizes the planner expected where it had data.

import { printLiteral, printRule, printTerm } from "../../lang/calm/print.js";
import type { MTerm } from "../../lang/model.js";
import type { Estimate, Op, Read, RulePlan, StratumPlan } from "./ir.js";

function count(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  if (n >= 10) return n.toFixed(0);
  return n < 0.01 && n > 0 ? "<0.01" : String(Math.round(n * 100) / 100);
}

function estimate(e: Estimate | undefined, kind: "scan" | "probe"): string {
  if (!e) return "";
  const rows = `${count(e.rows)} row${e.rows === 1 ? "" : "s"}`;
  const each = kind === "scan" ? "" : `, ~${count(e.perInput)} per key`;
  return `  [${rows}${each}, ${count(e.inputs)}× → ~${count(e.inputs * e.perInput)}]`;
}

/** The cells of an atom of `arity` columns looked up by `keys` on the `index` columns, the others `_`. */
function keyedCells(arity: number, index: readonly number[], keys: readonly MTerm[]): string[] {
  const cells: string[] = Array.from({ length: arity }, () => "_");
  index.forEach((c, i) => {
    cells[c] = printTerm(keys[i]!);
  });
  return cells;
}

/** The atom a read matches, its columns shown as keys, bound variables, checked values or `_`. */
function pattern(op: Read, arity: number): string {
  const cells = keyedCells(arity, op.index, op.keys);
  for (const u of op.columns) cells[u.column] = u.kind === "bind" ? u.variable : printTerm(u.term);
  return `${op.relation}(${cells.join(", ")})`;
}

/** Which rows a read covers, as words after it ("" for all of them); the operator graph labels reads the same way. */
export function rangeText(op: Read): string {
  return op.range === "delta" ? " in Δ" : op.range === "old" ? " in old" : "";
}

function keyText(keys: readonly MTerm[]): string {
  return keys.length === 1 ? printTerm(keys[0]!) : `(${keys.map(printTerm).join(", ")})`;
}

function lines(ops: readonly Op[], arity: (relation: string) => number, indent: string, out: string[]): void {
  for (const op of ops) {
    switch (op.kind) {
      case "scan":
        out.push(
          `${indent}${op.exists ? "exists" : "for"} ${pattern(op, arity(op.relation))}${rangeText(op)}${estimate(op.estimate, "scan")}`,
        );
        break;
      case "probe": {
        const by = `by ${keyText(op.keys)} [index ${op.relation}(${op.index.join(", ")})${op.unique ? ", unique" : ""}]`;
        out.push(
          `${indent}${op.exists ? "exists" : "for"} ${pattern(op, arity(op.relation))}${rangeText(op)} ${by}${estimate(op.estimate, "probe")}`,
        );
        break;
      }
      case "filter":
        out.push(`${indent}if ${printLiteral(op.literal)}`);
        break;
      case "bind":
        out.push(`${indent}let ${op.variable} = ${printTerm(op.term)}`);
        break;
      case "range":
        out.push(
          `${indent}${op.variable !== undefined ? `for ${op.variable}` : `if ${printTerm(op.equals!)}`} in range(${op.args.map(printTerm).join(", ")})`,
        );
        break;
      case "negation": {
        const cells = keyedCells(arity(op.relation), op.index, op.keys);
        if (op.value) cells[cells.length - 1] = printTerm(op.value);
        out.push(`${indent}if not ${op.relation}(${cells.join(", ")})`);
        break;
      }
      case "aggregate": {
        const target = op.target ? ` ${printTerm(op.target)}` : "";
        const distinct = op.distinct ? ` over distinct (${op.distinct.join(", ")})` : "";
        out.push(`${indent}let ${op.variable} = ${op.fn}${target}${distinct} of:`);
        lines(op.body, arity, `${indent}    `, out);
        if (op.witnesses) {
          out.push(`${indent}for each binding of (${op.witnesses.variables.join(", ")}) attaining it:`);
          lines(op.witnesses.body, arity, `${indent}    `, out);
        }
        break;
      }
      case "insert":
        out.push(`${indent}${op.lattice ? "join into" : "insert"} ${op.relation}(${op.args.map(printTerm).join(", ")})`);
        break;
      case "accumulate":
        out.push(`${indent}accumulate`);
        break;
    }
  }
}

function versionText(p: RulePlan): string {
  const v = p.version;
  const which =
    v.kind === "base" ? "runs once" : `${v.kind} ${v.k}: reads the ${v.kind === "delta" ? "delta" : "new rows"} of atom ${v.atom + 1}`;
  const why = p.orderedBy === "plan" ? "as its .plan says" : p.orderedBy === "cost" ? "by cost" : "by bound columns (no sizes known)";
  return `${which}; join order ${p.order.map((i) => i + 1).join(", ") || "-"} ${why}`;
}

/** One rule version's pipeline, indented by `indent`. */
export function printRulePlan(p: RulePlan, arity: (relation: string) => number, indent = ""): string[] {
  const out = [`${indent}${versionText(p)}`];
  lines(p.ops, arity, `${indent}    `, out);
  return out;
}

/** Every stratum's plan; `ruleText` gives the heading of each rule (its location and text). */
export function printPlans(strata: readonly StratumPlan[], arity: (relation: string) => number, ruleText: (p: RulePlan) => string): string {
  const out: string[] = [];
  for (const s of strata) {
    const ruled = s.facts.length + s.base.length + s.step.length > 0;
    const kind = !ruled ? "no rules: the facts given" : s.recursive ? "recursive, semi-naive" : "non-recursive, one pass";
    out.push(`stratum ${s.index + 1}: ${s.relations.join(", ")} (${kind})`);
    const frozen = s.reads.filter((r) => r.mode === "freeze").map((r) => r.relation);
    const monotone = s.reads.filter((r) => r.mode === "monotone").map((r) => r.relation);
    if (monotone.length > 0) out.push(`  reads ${monotone.join(", ")}`);
    if (frozen.length > 0)
      out.push(`  freezes ${frozen.join(", ")} (waits until complete: read under negation, in an aggregate or exactly)`);
    for (const f of s.facts) out.push(`  fact: ${printRule(f)}`);
    let last: number | undefined;
    for (const p of [...s.base, ...s.step]) {
      if (p.rule.id !== last) out.push(`  rule ${p.rule.id}: ${ruleText(p)}`);
      last = p.rule.id;
      out.push(...printRulePlan(p, arity, "    "));
    }
  }
  return `${out.join("\n")}\n`;
}
