// The magic-set transformation as a pass over the checked program. Each relation
// that the outputs read with bound columns (constants, or variables bound
// further left) is replaced by adorned copies, one per pattern of bound and free
// columns it is read with; each copy's rules are guarded by a magic relation
// holding the bindings asked for, seeded by the rules that read it. The program
// the user wrote is kept for the checks' reports and the CALM analysis; this is
// the program that runs. `.output` relations keep their contents: they, and every
// relation that cannot be restricted soundly (eligibility.ts), are computed in full.

import type { Program } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import type { CheckedProgram, MagicReport, RelationInfo, Rule } from "../model.js";
import { stratify, tarjan } from "../check/stratify.js";
import { eligibility, NOT_NAMED, ruleReads, rulesByHead, type Eligibility } from "./eligibility.js";
import { magicOptions } from "./options.js";
import { rewriteRule, type RuleDraft } from "./sips.js";
import { hasAggregate } from "./terms.js";

export interface MagicResult {
  /** The program to run: the transformed one, or the input when nothing applies. */
  readonly program: CheckedProgram;
  readonly diagnostics: Diagnostic[];
}

const adornedName = (relation: string, adornment: string) => `${relation}{${adornment}}`;
const magicName = (relation: string, adornment: string) => `@magic.${relation}{${adornment}}`;

interface Built {
  readonly rules: Rule[];
  readonly relations: Map<string, RelationInfo>;
  readonly generated: Map<string, { kind: "adorned" | "magic"; relation: string; adornment: string }>;
  readonly kept: ReadonlySet<string>;
}

function build(program: CheckedProgram, el: Eligibility): Built {
  const byHead = rulesByHead(program.rules);
  const relations = new Map(program.relations);
  const generated = new Map<string, { kind: "adorned" | "magic"; relation: string; adornment: string }>();
  const kept = new Set<string>();
  const keptQueue: string[] = [];
  const adornQueue: { relation: string; adornment: string }[] = [];
  const drafts: RuleDraft[] = [];
  const magicSeen = new Set<string>();
  let fresh = 0;

  const full = (r: string) => {
    if (!kept.has(r) && byHead.has(r)) {
      kept.add(r);
      keptQueue.push(r);
    }
  };
  const cx = {
    canAdorn: (r: string) => byHead.has(r) && !el.refused.has(r),
    isLattice: (r: string) => program.relations.get(r)?.columns.some((c) => c.lattice) ?? false,
    adorned(relation: string, adornment: string): string {
      const name = adornedName(relation, adornment);
      if (!generated.has(name)) {
        const info = program.relations.get(relation)!;
        const magic = magicName(relation, adornment);
        generated.set(name, { kind: "adorned", relation, adornment });
        generated.set(magic, { kind: "magic", relation, adornment });
        const base = {
          span: info.span,
          qualifiers: info.qualifiers.filter((q) => q !== "magic"),
          inputs: [],
          outputs: [],
          printsize: false,
        };
        relations.set(name, { ...base, name, columns: info.columns });
        relations.set(magic, { ...base, name: magic, columns: info.columns.filter((_, i) => adornment[i] === "b") });
        adornQueue.push({ relation, adornment });
      }
      return name;
    },
    magicOf: magicName,
    full,
    fresh: () => `$magic${fresh++}`,
  };
  const emitMagic = (ds: readonly RuleDraft[]) => {
    for (const d of ds) {
      // The same bindings asked for twice (two heads of one clause, say) need one rule.
      const key = JSON.stringify([d.head, d.body], (k, v) => (k === "span" ? undefined : v));
      if (magicSeen.has(key)) continue;
      magicSeen.add(key);
      drafts.push(d);
    }
  };

  for (const r of byHead.keys()) if (el.refused.has(r)) full(r);
  while (keptQueue.length > 0 || adornQueue.length > 0) {
    const k = keptQueue.shift();
    if (k !== undefined) {
      for (const rule of byHead.get(k)!) {
        if (el.verbatim.has(k) || hasAggregate(rule)) {
          drafts.push(rule);
          for (const l of rule.body) if (l.kind === "atom") full(l.relation);
          continue;
        }
        const out = rewriteRule(rule, undefined, cx);
        drafts.push(out.rule);
        emitMagic(out.magic);
      }
      continue;
    }
    const { relation, adornment } = adornQueue.shift()!;
    const head = { name: adornedName(relation, adornment), magic: magicName(relation, adornment), adornment };
    for (const rule of byHead.get(relation)!) {
      const out = rewriteRule(rule, head, cx);
      drafts.push(out.rule);
      emitMagic(out.magic);
    }
  }
  // Rules of a relation neither kept nor adorned are dropped with it; the others keep their place.
  const rules = drafts.map((d, id): Rule => ({ id, head: d.head, body: d.body, span: d.span }));
  return { rules, relations, generated, kept };
}

/** Relations whose adorned copies sit on a cycle through negation, an aggregate or an exact read. */
function unstratifiable(b: Built): Set<string> | "original" {
  const names = [...b.relations.keys()];
  const id = new Map(names.map((n, i) => [n, i]));
  const adj: number[][] = names.map(() => []);
  const negative: [number, number][] = [];
  for (const rule of b.rules) {
    const h = id.get(rule.head.relation)!;
    ruleReads(rule, (a, how) => {
      const f = id.get(a.relation);
      if (f === undefined) return;
      adj[h]!.push(f);
      if (how !== "positive") negative.push([h, f]);
    });
  }
  const comp = new Int32Array(names.length);
  const sccs = tarjan(names.length, adj);
  sccs.forEach((c, i) => c.forEach((v) => (comp[v] = i)));
  const bad = new Set<string>();
  for (const [h, f] of negative) {
    if (comp[h] !== comp[f]) continue;
    const members = sccs[comp[h]!]!.map((v) => b.generated.get(names[v]!)?.relation).filter((r): r is string => r !== undefined);
    if (members.length === 0) return "original";
    for (const m of members) bad.add(m);
  }
  return bad;
}

/** Applies the magic-set transformation the program's pragmas ask for. */
export function magicSets(ast: Program, program: CheckedProgram): MagicResult {
  const diagnostics: Diagnostic[] = [];
  const options = magicOptions(ast, program, diagnostics);
  if (!options) return { program, diagnostics };
  const el = eligibility(program, options);
  const report = (b?: Built): MagicReport => ({
    generated: b?.generated ?? new Map(),
    replaced: b ? [...rulesByHead(program.rules).keys()].filter((r) => !b.kept.has(r)) : [],
    refused: new Map([...el.refused].filter(([, why]) => why !== NOT_NAMED)),
  });
  // Without outputs every relation is a result (the API reads them all): nothing may be restricted.
  const outputs = [...program.relations.values()].some((r) => r.outputs.length > 0 || r.printsize);
  if (!outputs) return { program: { ...program, magic: report() }, diagnostics };
  for (;;) {
    const b = build(program, el);
    if (b.generated.size === 0) return { program: { ...program, magic: report() }, diagnostics };
    const bad = unstratifiable(b);
    if (bad === "original") return { program: { ...program, magic: report() }, diagnostics };
    if (bad.size > 0) {
      for (const r of bad) el.refused.set(r, IN_RECURSION);
      continue;
    }
    const scratch: Diagnostic[] = [];
    const strata = stratify([...b.relations.keys()], b.rules, scratch);
    if (scratch.some((d) => d.severity === "error")) return { program: { ...program, magic: report() }, diagnostics };
    return { program: { ...program, relations: b.relations, rules: b.rules, strata, magic: report(b) }, diagnostics };
  }
}

const IN_RECURSION = "its adorned copies would put negation, an aggregate or an exact read in recursion";
