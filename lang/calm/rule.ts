// One rule's class: non-monotone when it has a freeze point (a negation, an
// aggregate or lattice value read exactly, a functor not declared monotone),
// lattice-monotone when it writes a lattice column, threshold when its plain
// head rests on threshold tests, monotone otherwise.

import type { CheckedProgram, MAtom, MLiteral, Rule } from "../model.js";
import { latticeText } from "./print.js";
import { collectSources, latticeOf } from "./sources.js";
import type { CalmClass, FreezePoint, ReadMode, Reason, RuleRead } from "./types.js";
import { judgeUses } from "./uses.js";

export interface RuleFacts {
  readonly rule: Rule;
  readonly class: CalmClass;
  readonly reasons: readonly Reason[];
  readonly freezes: readonly FreezePoint[];
  readonly reads: readonly RuleRead[];
}

function negations(rule: Rule, literals: readonly MLiteral[]): FreezePoint[] {
  const out: FreezePoint[] = [];
  for (const l of literals) {
    if (l.kind !== "negation") continue;
    const r = l.atom.relation;
    out.push({
      relation: r,
      rule: rule.id,
      kind: "negation",
      reason: `negation of "${r}": only the complete "${r}" shows that a fact is absent`,
      span: l.span,
    });
  }
  return out;
}

export function analyzeRule(rule: Rule, program: CheckedProgram): RuleFacts {
  const rs = collectSources(rule, program);
  const uses = judgeUses(rule, rs);
  const freezes = negations(
    rule,
    rs.literals.map((l) => l.literal),
  );
  const frozenAtoms = new Set<MAtom>();
  for (const p of uses.problems) {
    const kind = p.functor ? "functor" : p.source.kind === "aggregate" ? "aggregate" : "exact-read";
    for (const a of p.source.reads) {
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
  // Reads the checks mark exact that no use above explains.
  for (const { literal: l } of rs.literals) {
    if (l.kind !== "atom" || !l.exact || frozenAtoms.has(l)) continue;
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

  // A lattice read is a threshold read when the rule only tests its value (or its key), not when the value flows on.
  const thresholdAtoms = new Set<MAtom>();
  for (const s of rs.sources) if (s.kind === "lattice" && uses.tested.has(s.id)) thresholdAtoms.add(s.atom!);
  const reads: RuleRead[] = rs.literals.flatMap(({ literal: l }): RuleRead[] => {
    if (l.kind === "negation") return [{ relation: l.atom.relation, mode: "freeze", span: l.span }];
    if (l.kind !== "atom") return [];
    const lattice = latticeOf(program, l.relation) !== undefined;
    const mode: ReadMode = frozenAtoms.has(l)
      ? "freeze"
      : lattice && (thresholdAtoms.has(l) || l.args[l.args.length - 1]?.kind === "wildcard")
        ? "threshold"
        : "monotone";
    return [{ relation: l.relation, mode, span: l.span }];
  });

  const headLattice = latticeOf(program, rule.head.relation);
  let cls: CalmClass;
  let reasons: Reason[];
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

function dedupe(rs: Reason[]): Reason[] {
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
