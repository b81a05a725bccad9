// User types (`.type A <: B`, `A = B`, `A = B | C`): duplicates, unknown names,
// cycles, unions over several base types; each type's base type, and the
// subtype lattice Soufflé checks rule heads against.

import type { AdtBranch, Attribute, TypeDecl } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType } from "../model.js";
import type { Span } from "../span.js";
import { declaredTwice, didYouMean, listing } from "./util.js";

export const BASE_TYPES: readonly BaseType[] = ["number", "unsigned", "float", "symbol"];

export function isBaseType(name: string): name is BaseType {
  return (BASE_TYPES as readonly string[]).includes(name);
}

/**
 * The type of a value for the subtype check: a declared type name, or `#number` etc., the type of
 * constants and computed values of a base type, which fits every subtype of that base type.
 */
export type UType = string;

export function constantType(b: BaseType): UType {
  return `#${b}`;
}

/** A branch of an algebraic data type, with its type and its number (its place among the type's branches sorted by name). */
export interface BranchInfo {
  readonly type: string;
  readonly index: number;
  readonly branch: AdtBranch;
}

export class TypeEnv {
  private readonly decls = new Map<string, TypeDecl>();
  private readonly bases = new Map<string, BaseType>();
  private readonly branches = new Map<string, BranchInfo>();

  constructor(decls: ReadonlyMap<string, TypeDecl>, bases: ReadonlyMap<string, BaseType>, branches?: ReadonlyMap<string, BranchInfo>) {
    for (const [k, v] of decls) this.decls.set(k, v);
    for (const [k, v] of bases) this.bases.set(k, v);
    for (const [k, v] of branches ?? []) this.branches.set(k, v);
  }

  /** The record or algebraic data type `name` stands for (through aliases), if it is one. */
  structured(name: string): TypeDecl | undefined {
    const d = this.decls.get(this.skipAliases(name));
    return d?.form === "record" || d?.form === "adt" ? d : undefined;
  }

  /** The fields of record type `name` (through aliases), if it is one. */
  recordFields(name: string): readonly Attribute[] | undefined {
    const d = this.structured(name);
    return d?.form === "record" ? (d.fields ?? []) : undefined;
  }

  /** The branch named `name` of an algebraic data type. */
  branch(name: string): BranchInfo | undefined {
    return this.branches.get(name);
  }

  /** Every declared branch name, for suggestions. */
  branchNames(): Map<string, Span> {
    return new Map([...this.branches].map(([k, b]) => [k, b.branch.span] as const));
  }

  /** Whether `name` is a predefined or declared type (possibly an invalid one). */
  has(name: string): boolean {
    return isBaseType(name) || this.decls.has(name);
  }

  /** The base type of a valid type; undefined when unknown or invalid (already reported). */
  base(name: string): BaseType | undefined {
    if (isBaseType(name)) return name;
    if (name.startsWith("#")) return name.slice(1) as BaseType;
    return this.bases.get(name);
  }

  /** Declared names with their spans, for suggestions. */
  names(): Map<string, Span | undefined> {
    const m = new Map<string, Span | undefined>(BASE_TYPES.map((b) => [b, undefined]));
    for (const [k, d] of this.decls) m.set(k, d.span);
    return m;
  }

  private skipAliases(t: UType): UType {
    const seen = new Set<string>();
    let cur = t;
    for (;;) {
      const d = this.decls.get(cur);
      const next = d?.form === "equivalence" ? d.of[0]?.name : undefined;
      if (next === undefined || seen.has(cur)) return cur;
      seen.add(cur);
      cur = next;
    }
  }

  /** Soufflé's isOfRootType: `t` descends from `root` through subtypes (and unions all of whose members do). */
  private isOfRoot(t: UType, root: UType, seen = new Set<string>()): boolean {
    if (t === root) return true;
    if (seen.has(t)) return false;
    seen.add(t);
    if (t.startsWith("#")) return false;
    if (isBaseType(t)) return root === constantType(t);
    const d = this.decls.get(t);
    if (!d) return false;
    if (d.form === "union") return d.of.every((m) => this.isOfRoot(m.name, root, seen));
    return d.of.some((m) => this.isOfRoot(m.name, root, seen));
  }

  isSubtype(ta: UType, tb: UType): boolean {
    const a = this.skipAliases(ta);
    const b = this.skipAliases(tb);
    if (this.isOfRoot(a, b)) return true;
    const da = this.decls.get(a);
    if (da?.form === "union") return da.of.every((m) => this.isSubtype(m.name, b));
    const db = this.decls.get(b);
    if (db?.form === "union") return db.of.some((m) => this.isSubtype(a, m.name));
    return false;
  }

  /** The greatest common subtypes of two types (empty when they have none). */
  meet(ta: UType, tb: UType): UType[] {
    const a = this.skipAliases(ta);
    const b = this.skipAliases(tb);
    if (this.isSubtype(a, b)) return [a];
    if (this.isSubtype(b, a)) return [b];
    const da = this.decls.get(a);
    const db = this.decls.get(b);
    if (da?.form !== "union" || db?.form !== "union") return [];
    const out: UType[] = [];
    const collect = (t: UType, seen: Set<string>): void => {
      if (seen.has(t)) return;
      seen.add(t);
      if (this.isSubtype(t, b)) {
        if (!out.includes(t)) out.push(t);
        return;
      }
      const d = this.decls.get(this.skipAliases(t));
      if (d?.form === "union") for (const m of d.of) collect(m.name, seen);
    };
    collect(a, new Set());
    return out;
  }

  /** Meet of two sets of alternatives (undefined stands for "any type"). */
  meetSets(a: readonly UType[] | undefined, b: readonly UType[] | undefined): UType[] | undefined {
    if (a === undefined) return b === undefined ? undefined : [...b];
    if (b === undefined) return [...a];
    const out: UType[] = [];
    for (const x of a) for (const y of b) for (const z of this.meet(x, y)) if (!out.includes(z)) out.push(z);
    return out;
  }

  /** Whether a value of type `t` may be stored in a column of type `column` (Soufflé's rule for atom arguments). */
  fits(t: UType, column: UType): boolean {
    if (this.isSubtype(t, column)) return true;
    return t.startsWith("#") && this.isSubtype(column, t);
  }
}

/** Reads the type declarations, reporting what is wrong with them. */
export function buildTypeEnv(decls: readonly TypeDecl[], diagnostics: Diagnostic[]): TypeEnv {
  const byName = new Map<string, TypeDecl>();
  for (const d of decls) {
    if (isBaseType(d.name)) {
      diagnostics.push(error("duplicate-type", `type "${d.name}" is predefined and cannot be redefined`, d.span));
      continue;
    }
    const first = byName.get(d.name);
    if (first) {
      diagnostics.push(declaredTwice("duplicate-type", "type", d.name, d.span, first.span));
      continue;
    }
    byName.set(d.name, d);
  }

  const known = new Map<string, Span | undefined>([
    ["number", undefined],
    ["unsigned", undefined],
    ["float", undefined],
    ["symbol", undefined],
  ]);
  for (const [k, d] of byName) known.set(k, d.span);

  const bases = new Map<string, BaseType>();
  const branches = new Map<string, BranchInfo>();
  // Records and algebraic data types are ids in number cells; their fields may name any type, themselves included.
  for (const d of byName.values()) {
    if (d.form !== "record" && d.form !== "adt") continue;
    bases.set(d.name, "number");
    const fields = d.form === "record" ? (d.fields ?? []) : (d.branches ?? []).flatMap((b) => b.fields);
    for (const f of fields) {
      if (f.type.args !== undefined) {
        diagnostics.push(
          error(
            "unsupported",
            `lattice types are not supported as fields of ${d.form === "record" ? "records" : "algebraic data types"}`,
            f.type.span,
          ),
        );
      } else if (!byName.has(f.type.name) && !isBaseType(f.type.name)) {
        diagnostics.push(error("unknown-type", `type "${f.type.name}" is not declared`, f.type.span, didYouMean(f.type.name, known)));
      }
    }
    const sorted = [...(d.branches ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    sorted.forEach((b, index) => {
      const first = branches.get(b.name);
      if (first) diagnostics.push(declaredTwice("duplicate-branch", "branch", b.name, b.span, first.branch.span));
      else branches.set(b.name, { type: d.name, index, branch: b });
    });
  }
  const state = new Map<string, "visiting" | "done">();
  const broken = new Set<string>();

  // Resolves the base type of `name`; reports each problem once, at the declaration it concerns.
  const resolve = (name: string, path: string[]): BaseType | undefined => {
    if (isBaseType(name)) return name;
    const d = byName.get(name);
    if (!d) return undefined;
    if (d.form === "record" || d.form === "adt") return "number";
    const st = state.get(name);
    if (st === "done") return bases.get(name);
    if (st === "visiting") {
      const cycle = [...path.slice(path.indexOf(name)), name];
      for (const member of new Set(cycle)) {
        if (broken.has(member)) continue;
        broken.add(member);
        const md = byName.get(member)!;
        diagnostics.push(error("type-cycle", `type "${member}" is defined in terms of itself: ${cycle.join(" -> ")}`, md.span));
      }
      return undefined;
    }
    state.set(name, "visiting");
    const memberBases: { base: BaseType; member: string; span: Span }[] = [];
    let ok = true;
    for (const ref of d.of) {
      if (!byName.has(ref.name) && !isBaseType(ref.name)) {
        diagnostics.push(error("unknown-type", `type "${ref.name}" is not declared`, ref.span, didYouMean(ref.name, known)));
        ok = false;
        continue;
      }
      const b = resolve(ref.name, [...path, name]);
      if (b === undefined) ok = false;
      else memberBases.push({ base: b, member: ref.name, span: ref.span });
      if (d.form === "subtype" && byName.get(ref.name)?.form === "union") {
        diagnostics.push(
          error("subtype-of-union", `subtype "${name}" cannot be derived from the union type "${ref.name}"`, ref.span, [
            { message: `"${ref.name}" is declared here`, span: byName.get(ref.name)!.span },
          ]),
        );
        ok = false;
      }
    }
    state.set(name, "done");
    if (!ok || broken.has(name)) return undefined;
    const distinct = [...new Set(memberBases.map((m) => m.base))];
    if (distinct.length > 1) {
      diagnostics.push(
        error(
          "mixed-union",
          `union type "${name}" mixes base types ${listing(distinct)}; all its members must share one base type`,
          d.span,
          memberBases.map((m) => ({ message: `"${m.member}" is ${m.base}`, span: m.span })),
        ),
      );
      return undefined;
    }
    if (distinct[0] !== undefined) bases.set(name, distinct[0]);
    return distinct[0];
  };
  for (const name of byName.keys()) resolve(name, []);
  return new TypeEnv(byName, bases, branches);
}
