// The semantic checks: from the parser's AST to the checked program the engine
// runs, or to diagnostics saying what is wrong. Each concern lives in its own
// file of this folder; this one runs them in order.

import type { Clause, Directive, FunctorDecl, LatticeDecl, Program, RelationDecl, Subsumption, Term, TypeDecl } from "../ast.js";
import { expandComponents } from "../components.js";
import type { Diagnostic, Note } from "../diagnostics.js";
import type { CheckedProgram, MAtom, RelationInfo, Rule, RuleReads } from "../model.js";
import { declareRelations } from "./declarations.js";
import { desugar, eqrelRules, type RuleDraft } from "./desugar.js";
import { collectIO } from "./directives.js";
import { checkFact, checkGrounding, checkWildcards } from "./grounding.js";
import { inferTypes } from "./infer.js";
import { aggregateHint } from "./lattice-hint.js";
import { latticeReads } from "./lattice-reads.js";
import { checkProgramLaws } from "./lattice-samples.js";
import { lowerRule } from "./lower.js";
import { withMemberTests } from "./member.js";
import { applyPlans, type PlannedRule } from "./plan.js";
import { checkRangePlacement } from "./range.js";
import { resolveScopes } from "./scope.js";
import { stratify } from "./stratify.js";
import { applySubsumptions } from "./subsumption.js";
import { rewriteSubsumptions } from "./subsumption-rewrite.js";
import { checkSubtypes } from "./subtypes.js";
import { structuredTypes, typeRecords } from "./records.js";
import { choiceDomains } from "./choice.js";
import { checkInline } from "./inline.js";
import { expandInline } from "./inline-expand.js";
import { checkAggregateDependence } from "./aggregate-dependence.js";
import { buildTypeEnv } from "./typeenv.js";
import { declareFunctors } from "./user-functors.js";
import { checkLattices, declareLattices } from "./user-lattices.js";
import { directAggregates } from "./ast-terms.js";
import { tidy } from "./util.js";
import { noRulesWarnings, singleUseWarnings } from "./warnings.js";

export { CHECK_CODES } from "./codes.js";

export interface CheckResult {
  /** Present iff there are no errors (warnings allowed). */
  readonly checked?: CheckedProgram;
  /** Errors and warnings, in source order. */
  readonly diagnostics: Diagnostic[];
}

const errorCount = (ds: readonly Diagnostic[]) => ds.reduce((n, d) => n + (d.severity === "error" ? 1 : 0), 0);

function hasAggregate(terms: readonly Term[]): boolean {
  return directAggregates(terms).length > 0;
}

/** Checks a parsed program. Never throws for a problem of the program: every problem is a diagnostic. */
export function check(written: Program): CheckResult {
  const expanded = expandComponents(written);
  const program = rewriteSubsumptions(expanded.program);
  const diagnostics: Diagnostic[] = [...expanded.diagnostics];
  const types: TypeDecl[] = [];
  const decls: RelationDecl[] = [];
  const directives: Directive[] = [];
  const clauses: Clause[] = [];
  const subsumptions: Subsumption[] = [];
  const functorDecls: FunctorDecl[] = [];
  const latticeDecls: LatticeDecl[] = [];
  const fileOrder = new Map<string, number>();
  const inlineExcluded = new Set<string>();
  for (const item of program.items) {
    if (!fileOrder.has(item.span.file)) fileOrder.set(item.span.file, fileOrder.size);
    switch (item.kind) {
      case "type":
        types.push(item);
        break;
      case "decl":
        decls.push(item);
        break;
      case "directive":
        directives.push(item);
        break;
      case "clause":
        clauses.push(item);
        break;
      case "subsumption":
        subsumptions.push(item);
        break;
      case "functor":
        functorDecls.push(item);
        break;
      case "lattice":
        latticeDecls.push(item);
        break;
      case "pragma":
        if (item.key === "inline-exclude" && item.value) for (const n of item.value.split(",")) inlineExcluded.add(n.trim());
        break;
      case "component":
      case "init":
      case "override":
        break; // expanded above
    }
  }

  // Declarations.
  const env = buildTypeEnv(types, diagnostics);
  const functors = declareFunctors(functorDecls, env, diagnostics);
  const latticeInfos = declareLattices(latticeDecls, env, diagnostics);
  const lattices = checkLattices(latticeInfos, env, functors, diagnostics);
  const carriers = new Map([...latticeInfos].map(([name, l]) => [name, l.elem] as const));
  const relations = declareRelations(decls, types, env, carriers, diagnostics);
  applySubsumptions(subsumptions, relations, diagnostics);
  const io = collectIO(directives, relations, diagnostics);
  const exactWhy = new Map<MAtom, Note>();
  /** Each rule's reads as judged, by rule id (the rule objects change below, with plans). */
  const judged = new Map<number, RuleReads>();

  // Rules, one per (head, disjunct) of each clause.
  const rules: Rule[] = [];
  const defined = new Set<string>();
  const byClause = new Map<number, RuleDraft[]>();
  const planned: PlannedRule[] = [];
  const inlined = expandInline(desugar(clauses), relations, inlineExcluded);
  for (const name of inlined.dropped) defined.add(name);
  for (const draft of inlined.drafts) {
    defined.add(draft.head.relation);
    const body = withMemberTests(draft.body, (r) => relations.get(r) !== undefined);
    const scoped = resolveScopes(draft.head.args, body);
    checkWildcards(draft.head.args, body, diagnostics);
    checkRangePlacement(draft.head.args, body, diagnostics);
    checkAggregateDependence(body, diagnostics);
    const before = errorCount(diagnostics);
    const recordTyping = typeRecords(draft.head, body, scoped, relations, env, diagnostics);
    const typing = inferTypes(draft.head, body, scoped, relations, env, functors, diagnostics, recordTyping);
    if (errorCount(diagnostics) === before) checkSubtypes(draft.head, body, scoped, relations, env, diagnostics);
    if (draft.fact && !hasAggregate(draft.head.args)) checkFact(draft.head.args, diagnostics);
    else
      checkGrounding(
        scoped,
        diagnostics,
        relations.get(draft.head.relation)?.decl.qualifiers.includes("inline") ? draft.head.relation : undefined,
      );
    const rule = lowerRule(rules.length, draft.head, body, draft.span, scoped, typing, diagnostics, env);
    if (errorCount(diagnostics) > before) rules.push(rule);
    else {
      // Lattice reads, once the rule is otherwise sound: monotone heads, exact reads.
      const reads = latticeReads(rule, relations, functors, (v) => scoped.display.get(v) ?? v, diagnostics);
      for (const [atom, why] of reads.why) exactWhy.set(atom, why);
      judged.set(rule.id, reads.reads);
      rules.push(reads.rule);
    }
    if (draft.plan) {
      planned.push({ rule: rule.id, plan: draft.plan, disjuncts: draft.disjuncts, atoms: body.filter((l) => l.kind === "atom").length });
    }
    if (inlined.expanded.has(draft)) continue;
    const group = byClause.get(draft.clause) ?? [];
    group.push(draft);
    byClause.set(draft.clause, group);
  }
  for (const group of byClause.values()) singleUseWarnings(group, diagnostics);

  // Relations as the engine sees them, with the closure rules of equivalence relations.
  const infos = new Map<string, RelationInfo>();
  for (const r of relations.byName.values()) {
    const rio = io.get(r.name)!;
    const choice = choiceDomains(r.decl, diagnostics);
    infos.set(r.name, {
      name: r.name,
      columns: r.columns.map((c) => ({
        name: c.name,
        type: c.base ?? "number",
        typeName: c.display,
        ...(env.structured(c.display) ? { structured: env.structured(c.display)!.name } : {}),
        ...(c.lattice ? { lattice: c.lattice } : {}),
        ...(c.subsumption ? { subsumption: c.subsumption } : {}),
      })),
      span: r.decl.span,
      qualifiers: r.decl.qualifiers,
      inputs: rio.inputs,
      outputs: rio.outputs,
      printsize: rio.printsize,
      ...(rio.limitsize !== undefined ? { limitsize: rio.limitsize } : {}),
      ...(choice ? { choice } : {}),
    });
  }
  for (const info of infos.values()) {
    const c = info.columns;
    if (info.qualifiers.includes("eqrel") && c.length === 2 && c[0]!.typeName === c[1]!.typeName) {
      rules.push(...eqrelRules(info, rules.length));
    }
  }
  noRulesWarnings(
    [...relations.byName.values()].map((r) => ({ name: r.name, span: r.decl.nameSpan, input: io.get(r.name)!.inputs.length > 0 })),
    defined,
    diagnostics,
  );

  checkProgramLaws(lattices, latticeInfos, relations, rules, diagnostics);
  checkInline(infos, rules, diagnostics, inlineExcluded);

  const strata = stratify([...infos.keys()], rules, diagnostics, {
    exactWhy: (a) => exactWhy.get(a),
    aggregateHint: aggregateHint(relations),
  });
  applyPlans(rules, planned, strata, diagnostics);
  const all = tidy(diagnostics, fileOrder);
  if (all.some((d) => d.severity === "error")) return { diagnostics: all };
  const structured = structuredTypes(
    env,
    [...infos.values()].flatMap((i) => i.columns.map((c) => c.typeName)),
  );
  const extras = {
    ...(lattices.size > 0 ? { lattices } : {}),
    ...(functors.size > 0 ? { functors } : {}),
    ...(structured.size > 0 ? { structured } : {}),
  };
  const reads = new Map(rules.flatMap((r) => (judged.has(r.id) ? [[r, judged.get(r.id)!] as const] : [])));
  return { checked: { relations: infos, ...extras, rules, strata, reads }, diagnostics: all };
}
