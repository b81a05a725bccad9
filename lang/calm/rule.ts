// One rule's class: non-monotone when it has a freeze point (a negation, an
// aggregate or lattice value read exactly, a functor not declared monotone),
// lattice-monotone when it writes a lattice column, threshold when its plain
// head rests on threshold tests, monotone otherwise.

import { judgeReads } from "../check/reads/judge.js";
import type { CheckedProgram, LatticeRef, MAtom, Rule, RuleReads } from "../model.js";
import { explain } from "./explain.js";
import { latticeText } from "./print.js";
import type { CalmClass, FreezePoint, Reason, RuleRead } from "./types.js";

export function latticeOf(program: CheckedProgram, relation: string): LatticeRef | undefined {
  const cols = program.relations.get(relation)?.columns;
  return cols?.[cols.length - 1]?.lattice;
}

export interface RuleFacts {
  readonly rule: Rule;
  readonly class: CalmClass;
  readonly reasons: readonly Reason[];
  readonly freezes: readonly FreezePoint[];
  readonly reads: readonly RuleRead[];
}

/** How the checks judged the rule's reads; for a rule they did not make, the same judgment made now. */
export function readsOf(rule: Rule, program: CheckedProgram): RuleReads {
  const judged = program.reads?.get(rule);
  return judged ?? judgeReads(rule, { latticeOf: (a) => latticeOf(program, a.relation), functors: program.functors });
}

export function analyzeRule(rule: Rule, program: CheckedProgram): RuleFacts {
  const judged = readsOf(rule, program);
  const columnName = (relation: string, i: number) => program.relations.get(relation)?.columns[i]?.name ?? `#${i + 1}`;
  const uses = explain(rule, judged, { latticeOf: (a) => latticeOf(program, a.relation), columnName });
  const freezes: FreezePoint[] = [];
  for (const { atom, literal } of judged.atoms) {
    if (literal.kind !== "negation") continue;
    const r = atom.relation;
    freezes.push({
      relation: r,
      rule: rule.id,
      kind: "negation",
      reason: `negation of "${r}": only the complete "${r}" shows that a fact is absent`,
      span: literal.span,
    });
  }
  const frozenAtoms = new Set<MAtom>();
  for (const p of uses.problems) {
    const kind = p.functor ? "functor" : p.value.kind === "aggregate" ? "aggregate" : "exact-read";
    for (const a of p.value.kind === "lattice" ? [p.value.atom] : p.value.reads) {
      frozenAtoms.add(a);
      const use = p.span.start.offset === a.span.start.offset && p.span.end.offset === a.span.end.offset ? undefined : p.span;
      freezes.push({
        relation: a.relation,
        rule: rule.id,
        kind,
        reason: p.message,
        span: a.span,
        ...(use ? { use } : {}),
        ...(p.fix ? { fix: p.fix } : {}),
      });
    }
  }
  // Reads marked exact that no judged use explains (only in programs the checks did not make).
  for (const { atom: l } of judged.atoms) {
    if (!l.exact || frozenAtoms.has(l)) continue;
    const lat = latticeOf(program, l.relation);
    frozenAtoms.add(l);
    freezes.push({
      relation: l.relation,
      rule: rule.id,
      kind: "exact-read",
      reason: `the checks mark this read of ${lat ? `the ${latticeText(lat)} value of ` : ""}"${l.relation}" as exact`,
      span: l.span,
    });
  }
  freezes.sort((a, b) => a.span.start.offset - b.span.start.offset);

  const reads: RuleRead[] = judged.atoms.map(({ atom, literal, verdict }) => ({
    relation: atom.relation,
    mode: literal.kind === "negation" || frozenAtoms.has(atom) ? "freeze" : verdict === "threshold" ? "threshold" : "monotone",
    span: literal.span,
  }));

  const headLattice = latticeOf(program, rule.head.relation);
  let cls: CalmClass;
  let reasons: readonly Reason[];
  if (freezes.length > 0) {
    cls = "non-monotone";
    reasons = freezes.map((f) => ({ message: f.reason, span: f.use ?? f.span }));
  } else if (headLattice) {
    cls = "lattice-monotone";
    const cols = program.relations.get(rule.head.relation)!.columns;
    const col = cols[cols.length - 1]!.name;
    reasons = [
      {
        message: `writes the ${latticeText(headLattice)} column "${col}" of "${rule.head.relation}": what is derived for a key is joined`,
        span: rule.head.span,
      },
      ...uses.flows,
      ...uses.thresholds,
    ];
  } else if (uses.thresholds.length > 0) {
    cls = "threshold";
    reasons = uses.thresholds;
  } else {
    cls = "monotone";
    reasons = [{ message: rule.body.length === 0 ? "a fact" : "positive joins, filters and projections", span: rule.span }];
  }
  return { rule, class: cls, reasons: dedupe(reasons), freezes: dedupeFreezes(freezes), reads };
}

function dedupe(rs: readonly Reason[]): Reason[] {
  const seen = new Set<string>();
  return rs.filter((r) => {
    const key = `${r.message}@${r.span?.start.offset}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeFreezes(fs: FreezePoint[]): FreezePoint[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const key = `${f.relation}|${f.reason}|${f.span.start.offset}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
