// The lattice rewrite suggested for a `min`/`max` aggregate in recursion:
// keep the least (greatest) value per key in a min<T> (max<T>) column and
// derive it directly, which needs no barrier. A pure function the stratifier
// can call for its aggregate-in-recursion error.

import type { Note } from "../diagnostics.js";
import type { Column, MLiteral, MTerm, Rule } from "../model.js";
import { printAtom, printLiteral } from "./print.js";
import { termVars } from "../model-terms.js";

type Aggregate = Extract<MTerm, { kind: "aggregate" }>;

/** The top-level min/max aggregate whose result is the head's last argument (directly or through `v = agg`). */
function aggregateIntoLast(rule: Rule): { agg: Aggregate; def?: MLiteral } | undefined {
  const last = rule.head.args[rule.head.args.length - 1];
  if (!last) return undefined;
  const isMinMax = (t: MTerm): t is Aggregate => t.kind === "aggregate" && (t.fn === "min" || t.fn === "max");
  if (isMinMax(last)) return { agg: last };
  if (last.kind !== "var") return undefined;
  for (const l of rule.body) {
    if (l.kind !== "compare" || l.op !== "=") continue;
    for (const [v, e] of [
      [l.left, l.right],
      [l.right, l.left],
    ] as const) {
      if (v.kind === "var" && v.name === last.name && isMinMax(e)) return { agg: e, def: l };
    }
  }
  return undefined;
}

/** The rule without the aggregate: its body joined to the rule's, its target in the head. */
function rewrittenRule(rule: Rule, agg: Aggregate, def: MLiteral | undefined): string | undefined {
  let target = agg.target;
  if (!target) return undefined;
  let inner = [...agg.body];
  // `c = d + w` defining the target inside the aggregate: put `d + w` in the head instead.
  if (target.kind === "var") {
    const name = target.name;
    const d = inner.find(
      (l) =>
        l.kind === "compare" &&
        l.op === "=" &&
        ((l.left.kind === "var" && l.left.name === name) || (l.right.kind === "var" && l.right.name === name)),
    );
    if (d && d.kind === "compare") {
      const e = d.left.kind === "var" && d.left.name === name ? d.right : d.left;
      if (!termVars(e).has(name)) {
        target = e;
        inner = inner.filter((l) => l !== d);
      }
    }
  }
  const args = rule.head.args.map((a, i) => (i === rule.head.args.length - 1 ? target! : a));
  const body = [...rule.body.filter((l) => l !== def), ...inner];
  const text = `${printAtom({ ...rule.head, args })} :- ${body.map(printLiteral).join(", ")}.`;
  return /#/.test(JSON.stringify([args, body])) ? undefined : text;
}

/**
 * The note suggesting a lattice column for a rule that takes the min or max of a relation it
 * depends on, or undefined when the rule has no such aggregate. `columns` gives the head's
 * declaration (for the suggested `.decl`) when known.
 */
export function latticeRewriteNote(rule: Rule, columns?: readonly Column[]): Note | undefined {
  const found = aggregateIntoLast(rule);
  if (!found) return undefined;
  const { agg, def } = found;
  const rel = rule.head.relation;
  const lattice = `${agg.fn}<${agg.type}>`;
  const col = columns?.[columns.length - 1]?.name;
  const decl = columns
    ? `.decl ${rel}(${columns.map((c, i) => `${c.name}: ${i === columns.length - 1 ? lattice : c.typeName}`).join(", ")})`
    : undefined;
  const which = agg.fn === "min" ? "least" : "greatest";
  const what = col ? `the column "${col}"` : `the last column of "${rel}"`;
  const rewritten = rewrittenRule(rule, agg, def);
  let message = `a lattice computes the ${which} value per key without a barrier: declare ${what} as ${lattice}`;
  if (decl) message += ` (\`${decl}\`)`;
  if (rewritten) message += ` and derive it without the aggregate: \`${rewritten}\``;
  return { message, span: agg.span };
}
