// Typing around lattice columns, inside one rule: which variables hold values
// of which lattice (read off the lattice columns of its atoms), the element
// types that the context of singleton(…), pair(…, …), member and first/second
// fixes, and composite values (sets, pairs: ids) kept out of ordinary columns.

import type { Atom, Literal, Term } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType, LatticeRef } from "../model.js";
import type { ColumnDecl, Relations } from "./declarations.js";
import { maskOf } from "./functors.js";
import { cellType, latticeText } from "./lattice-types.js";
import type { Scoped } from "./scope.js";
import type { TypeSolver } from "./solver.js";
import { allAtoms } from "./ast-terms.js";

export function isComposite(l: LatticeRef): boolean {
  return l.name === "set" || l.name === "pair";
}

/** The lattice of each variable (model name) that some atom of the rule's body holds in a lattice column. */
export function variableLattices(head: Atom, body: readonly Literal[], scoped: Scoped, relations: Relations): Map<string, LatticeRef> {
  const out = new Map<string, LatticeRef>();
  allAtoms(body, head.args, (atom) => visit(atom));
  function visit(atom: Atom): void {
    const lattice = relations.latticeOf(atom.relation);
    const arg = atom.args[atom.args.length - 1];
    if (!lattice || arg?.kind !== "var" || relations.get(atom.relation)!.columns.length !== atom.args.length) return;
    const name = scoped.names.get(arg);
    if (name !== undefined && !out.has(name)) out.set(name, lattice);
  }
  return out;
}

/** The variables (model names) that some positive atom of the rule's body holds in an ordinary column. */
function ordinaryVariables(body: readonly Literal[], scoped: Scoped, relations: Relations): Set<string> {
  const out = new Set<string>();
  allAtoms(body, [], (atom, how) => {
    if (how.negated) return;
    const last = relations.latticeOf(atom.relation) ? atom.args.length - 1 : -1;
    atom.args.forEach((arg, i) => {
      const name = arg.kind === "var" && i !== last ? scoped.names.get(arg) : undefined;
      if (name !== undefined) out.add(name);
    });
  });
  return out;
}

export class LatticeTyping {
  /** Variables bound by ordinary columns: plain values, never sets or pairs. */
  private readonly ordinary: ReadonlySet<string>;

  constructor(
    private readonly solver: TypeSolver,
    private readonly nodeOf: (t: Term) => number | undefined,
    private readonly scoped: Scoped,
    body: readonly Literal[],
    relations: Relations,
    readonly vars: ReadonlyMap<string, LatticeRef>,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.ordinary = ordinaryVariables(body, scoped, relations);
  }

  /** The lattice of the value a term holds, when it is a lattice variable. */
  latticeOf(t: Term): LatticeRef | undefined {
    if (t.kind !== "var") return undefined;
    const name = this.scoped.names.get(t);
    return name === undefined ? undefined : this.vars.get(name);
  }

  /** Narrows the type of `t` to `base`. */
  restrict(t: Term, base: BaseType, because: string): void {
    const n = this.nodeOf(t);
    if (n !== undefined) this.solver.restrict(n, maskOf(base), because);
  }

  /** Checks and types an argument stored in column `col` of `relation`. */
  column(arg: Term, col: ColumnDecl, relation: string): void {
    const where = `column "${col.name}" of "${relation}"`;
    if (col.lattice) {
      this.expect(arg, col.lattice, where);
      return;
    }
    const held = this.latticeOf(arg);
    if (held && isComposite(held)) {
      this.diagnostics.push(
        error(
          "type-mismatch",
          `type mismatch: "${(arg as { name: string }).name}" holds ${latticeText(held)} values, which cannot be stored in the ordinary ${where}`,
          arg.span,
        ),
      );
    }
  }

  /** A term that must be a value of lattice `l` (in `where`): element types follow from singleton, pair, min and max. */
  private expect(t: Term, l: LatticeRef, where: string): void {
    if (t.kind === "call") {
      if (t.name === "singleton" && l.name === "set" && t.args.length === 1) {
        this.restrict(t.args[0]!, l.elem, `the elements of ${where} are ${l.elem}`);
        return;
      }
      if (t.name === "pair" && l.name === "pair" && t.args.length === 2 && l.args?.length === 2) {
        t.args.forEach((a, i) => {
          const part = l.args![i]!;
          this.restrict(a, cellType(part), `component ${i + 1} of ${where} is ${latticeText(part)}`);
          this.expect(a, part, `component ${i + 1} of ${where}`);
        });
        return;
      }
      if ((t.name === "min" || t.name === "max") && !isComposite(l)) return;
      if (t.name === "first" || t.name === "second" || t.name.startsWith("@")) return;
    }
    if ((l.name === "or" || l.name === "and") && t.kind === "number" && t.value !== 0 && t.value !== 1) {
      this.diagnostics.push(
        error("type-mismatch", `type mismatch: ${where} holds ${l.name} values, 0 (false) or 1 (true), not ${t.text}`, t.span),
      );
      return;
    }
    if (!isComposite(l)) return;
    if (t.kind === "var") {
      const name = this.scoped.names.get(t);
      const held = name === undefined ? undefined : this.vars.get(name);
      if (held && isComposite(held) && latticeText(held) !== latticeText(l)) {
        this.diagnostics.push(
          error(
            "type-mismatch",
            `type mismatch: "${t.name}" holds ${latticeText(held)} values, but ${where} holds ${latticeText(l)}`,
            t.span,
          ),
        );
      } else if (!held && name !== undefined && this.ordinary.has(name)) {
        this.diagnostics.push(
          error("type-mismatch", `type mismatch: "${t.name}" is a plain value, but ${where} holds ${latticeText(l)} values`, t.span),
        );
      }
      return;
    }
    if (t.kind === "wildcard" || t.kind === "aggregate") return;
    const how = l.name === "set" ? "singleton(…)" : "pair(…, …)";
    this.diagnostics.push(
      error("type-mismatch", `type mismatch: ${where} holds ${latticeText(l)} values, which are made with ${how}`, t.span),
    );
  }

  /** Reports an argument of size, member, first or second that is certainly not a `kind` value (a set or a pair). */
  argument(t: Term, kind: "set" | "pair", what: string): void {
    const name = t.kind === "var" ? this.scoped.names.get(t) : undefined;
    const held = name === undefined ? undefined : this.vars.get(name);
    const plain = t.kind === "number" || t.kind === "string" || (name !== undefined && !held && this.ordinary.has(name));
    if (!plain && (!held || held.name === kind)) return;
    const is = held ? `holds ${latticeText(held)} values` : "is a plain value";
    this.diagnostics.push(
      error("type-mismatch", `type mismatch: ${what} takes a ${kind}, but ${t.kind === "var" ? `"${t.name}"` : "this"} ${is}`, t.span),
    );
  }

  /** The lattice of the pair that first(p) or second(p) reads, if known. */
  pairOf(t: Term): LatticeRef | undefined {
    const l = this.latticeOf(t);
    return l?.name === "pair" ? l : undefined;
  }
}
