// Inlining, as Soufflé does it: a positive atom of an `inline` relation in a
// rule's body is replaced by the body of each of the relation's rules (one new
// rule per rule of the relation), its variables renamed apart and its head's
// arguments equated with the atom's. What an inline relation's rules need
// bound may then come from where it is used (`cross([a0, a1], …, v) :- v = a0 * …`).
// An inline relation still read otherwise (negated, in an aggregate, or a
// chain of inline relations too deep to expand) keeps its rules and is
// evaluated like any other; one whose every use was expanded is not computed.
// Soufflé's restrictions on inline relations are checked in inline.ts.

import type { Atom, Literal, Term } from "../ast.js";
import type { Relations } from "./declarations.js";
import type { RuleDraft } from "./desugar.js";
import { allAtoms, mapLiteral, mapTerm } from "./ast-terms.js";

/** How many times one rule may have atoms expanded (a longer chain of inline relations stays as it is). */
const MAX_EXPANSIONS = 16;

export interface Inlined {
  /** The rules to check: expanded ones in place of the rules they came from. */
  readonly drafts: RuleDraft[];
  /** Rules made by expansion (their single-use warnings would name renamed variables). */
  readonly expanded: ReadonlySet<RuleDraft>;
  /** Inline relations whose rules were all dropped, every use expanded: they are defined all the same. */
  readonly dropped: ReadonlySet<string>;
}

/**
 * Expands the uses of the relations declared `inline`, except those also declared `no_inline` or
 * named by `.pragma "inline-exclude" "a,b"` (`excluded`).
 */
export function expandInline(drafts: readonly RuleDraft[], relations: Relations, excluded: ReadonlySet<string> = new Set()): Inlined {
  const declared = new Set(
    [...relations.byName.values()]
      .filter((r) => r.decl.qualifiers.includes("inline") && !r.decl.qualifiers.includes("no_inline") && !excluded.has(r.name))
      .map((r) => r.name),
  );
  const none = { drafts: [...drafts], expanded: new Set<RuleDraft>(), dropped: new Set<string>() };
  if (declared.size === 0) return none;
  const rulesOf = new Map<string, RuleDraft[]>();
  for (const d of drafts) {
    if (!declared.has(d.head.relation)) continue;
    const list = rulesOf.get(d.head.relation) ?? [];
    list.push(d);
    rulesOf.set(d.head.relation, list);
  }
  // Relations on a cycle of inline relations only cannot be expanded (Soufflé rejects them; inline.ts reports it).
  const reads = (r: string): Set<string> => {
    const out = new Set<string>();
    for (const d of rulesOf.get(r) ?? [])
      allAtoms(d.body, d.head.args, (a) => {
        if (declared.has(a.relation)) out.add(a.relation);
      });
    return out;
  };
  const onCycle = (r: string): boolean => {
    const seen = new Set<string>();
    const stack = [...reads(r)];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x === r) return true;
      if (seen.has(x)) continue;
      seen.add(x);
      stack.push(...reads(x));
    }
    return false;
  };
  const inline = new Set([...declared].filter((r) => !onCycle(r)));
  // Each arity-matching positive atom of an inline relation can be expanded.
  const expandable = (l: Literal): l is Atom =>
    l.kind === "atom" && inline.has(l.relation) && relations.get(l.relation)?.decl.attributes.length === l.args.length;

  let renaming = 0;
  const expanded = new Set<RuleDraft>();
  const expand = (draft: RuleDraft): RuleDraft[] => {
    let work: RuleDraft[] = [draft];
    for (let round = 0; round < MAX_EXPANSIONS; round++) {
      const next: RuleDraft[] = [];
      let changed = false;
      for (const d of work) {
        const at = d.body.findIndex(expandable);
        if (at < 0) {
          next.push(d);
          continue;
        }
        changed = true;
        const atom = d.body[at] as Atom;
        for (const rule of rulesOf.get(atom.relation) ?? []) {
          const suffix = `'${++renaming}`;
          const rename = (t: Term): Term => (t.kind === "var" ? { ...t, name: `${t.name}${suffix}` } : t);
          const head = rule.head.args.map((t) => mapTerm(t, rename));
          const body = rule.body.map((l) => mapLiteral(l, rename));
          const equalities: Literal[] = atom.args.flatMap((arg, i): Literal[] =>
            arg.kind === "wildcard" ? [] : [{ kind: "compare", op: "=", left: arg, right: head[i]!, span: atom.span }],
          );
          const { plan: _plan, ...rest } = d;
          next.push({ ...rest, body: [...d.body.slice(0, at), ...equalities, ...body, ...d.body.slice(at + 1)] });
        }
      }
      work = next;
      if (!changed) break;
    }
    if (work.length !== 1 || work[0] !== draft) for (const d of work) expanded.add(d);
    return work;
  };

  const out = drafts.flatMap((d) => (d.body.some(expandable) ? expand(d) : [d]));
  // An inline relation nothing reads any more (every use expanded) is not computed.
  const read = new Set<string>();
  for (const d of out) {
    if (inline.has(d.head.relation)) continue;
    allAtoms(d.body, d.head.args, (a) => {
      read.add(a.relation);
    });
  }
  const stillReadByInline = (name: string, seen = new Set<string>()): boolean => {
    if (read.has(name)) return true;
    if (seen.has(name)) return false;
    seen.add(name);
    for (const other of inline) {
      if (other === name || !out.some((d) => d.head.relation === other)) continue;
      const readsIt = out.some((d) => {
        if (d.head.relation !== other) return false;
        let found = false;
        allAtoms(d.body, d.head.args, (a) => {
          if (a.relation === name) found = true;
        });
        return found;
      });
      if (readsIt && stillReadByInline(other, seen)) return true;
    }
    return false;
  };
  const dropped = new Set([...inline].filter((r) => rulesOf.has(r) && !stillReadByInline(r)));
  return { drafts: out.filter((d) => !dropped.has(d.head.relation)), expanded, dropped };
}
