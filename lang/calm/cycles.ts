// Freeze points inside recursion: a rule that needs a relation complete while
// that relation depends on the rule's own head can never run. Each is an error
// showing the whole cycle, one note per edge, and the lattice rewrite if any.

import { error, type Diagnostic, type Note } from "../diagnostics.js";
import type { CheckedProgram } from "../model.js";
import { latticeRewriteNote } from "./rewrite.js";
import type { RuleFacts } from "./rule.js";
import type { CycleEdge, FreezeCycle, FreezePoint } from "./types.js";

function edgeLabel(fp: FreezePoint): string {
  switch (fp.kind) {
    case "negation":
      return `!${fp.relation}`;
    case "aggregate":
      return `aggregate(${fp.relation})`;
    default:
      return `exact(${fp.relation})`;
  }
}

export function freezeCycles(
  program: CheckedProgram,
  facts: readonly RuleFacts[],
  freezePoints: readonly FreezePoint[],
): { cycles: FreezeCycle[]; diagnostics: Diagnostic[] } {
  const stratumOf = new Map<string, number>();
  program.strata.forEach((s, i) => s.relations.forEach((r) => stratumOf.set(r, i)));
  const deps = new Map<string, CycleEdge[]>();
  for (const f of facts) {
    const to = f.rule.head.relation;
    for (const r of f.reads) {
      const e: CycleEdge = { from: r.relation, to, rule: f.rule.id, freeze: r.mode === "freeze", span: r.span };
      const list = deps.get(to);
      if (list) list.push(e);
      else deps.set(to, [e]);
    }
  }
  const cycles: FreezeCycle[] = [];
  const diagnostics: Diagnostic[] = [];
  freezePoints.forEach((fp, index) => {
    const head = program.rules[fp.rule]!.head.relation;
    const s = stratumOf.get(head);
    if (s === undefined || stratumOf.get(fp.relation) !== s) return;
    // Breadth-first from the frozen relation along "depends on" edges inside the stratum, back to the head.
    const via = new Map<string, CycleEdge>();
    const queue = [fp.relation];
    const seen = new Set(queue);
    while (queue.length > 0 && !seen.has(head)) {
      const v = queue.shift()!;
      for (const e of deps.get(v) ?? []) {
        if (stratumOf.get(e.from) !== s || seen.has(e.from)) continue;
        seen.add(e.from);
        via.set(e.from, e);
        queue.push(e.from);
      }
    }
    const path: CycleEdge[] = [];
    for (let v = head; v !== fp.relation && via.has(v); ) {
      const e = via.get(v)!;
      path.push(e);
      v = e.to;
    }
    path.reverse();
    const first: CycleEdge = { from: fp.relation, to: head, rule: fp.rule, freeze: true, span: fp.span };
    const edges = [first, ...path];
    cycles.push({ freezePoint: index, edges });
    diagnostics.push(cycleDiagnostic(program, fp, edges));
  });
  return { cycles, diagnostics };
}

function cycleDiagnostic(program: CheckedProgram, fp: FreezePoint, edges: readonly CycleEdge[]): Diagnostic {
  const head = edges[0]!.to;
  const chain = [head, edgeLabel(fp), ...edges.slice(1).map((e) => e.from)].join(" -> ");
  const what =
    fp.relation === head
      ? `"${head}" needs itself complete`
      : `"${head}" needs "${fp.relation}" complete, which in turn depends on "${head}"`;
  const notes: Note[] = edges.map((e, i) =>
    i === 0
      ? { message: `"${e.to}" reads "${e.from}" here, and only the complete "${e.from}" will do: ${fp.reason}`, span: fp.use ?? e.span }
      : { message: `"${e.to}" depends on "${e.from}" here`, span: e.span },
  );
  const rule = program.rules[fp.rule]!;
  const hint = fp.kind === "aggregate" ? latticeRewriteNote(rule, program.relations.get(head)?.columns) : undefined;
  if (hint) notes.push(hint);
  else if (fp.fix) notes.push({ message: fp.fix, span: fp.use ?? fp.span });
  return error("freeze-in-recursion", `cannot evaluate: ${what}, so it can never be frozen (cycle: ${chain})`, fp.use ?? fp.span, notes);
}
