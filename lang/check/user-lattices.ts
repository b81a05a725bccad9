// `.lattice T<> { Bottom -> c, Top -> c, Lub -> term, Glb -> term }`: a lattice
// on the declared type T (its carrier). Bottom and Lub are required; Bottom and
// Top are constants, Lub and Glb terms over their two operands `_` (left, then
// right), which become the variables $1 and $2 of the model. Typed like rules.

import type { Atom, LatticeDecl, RelationDecl, Term } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType, FunctorInfo, MTerm, UserLattice } from "../model.js";
import type { Span } from "../span.js";
import { Relations, type ColumnDecl } from "./declarations.js";
import { inferTypes } from "./infer.js";
import { lowerRule } from "./lower.js";
import { resolveScopes } from "./scope.js";
import { isBaseType, type TypeEnv } from "./typeenv.js";
import { mapTerm, subterms, walkTerm } from "./ast-terms.js";
import { declaredTwice, didYouMeanType } from "./util.js";

export interface LatticeInfo {
  readonly decl: LatticeDecl;
  /** The base type of the carrier; undefined when the carrier is not a valid type (already reported). */
  readonly elem?: BaseType;
}

type Op = LatticeDecl["ops"][number];

/** Reads the names and carriers of the `.lattice` declarations. */
export function declareLattices(decls: readonly LatticeDecl[], env: TypeEnv, diagnostics: Diagnostic[]): Map<string, LatticeInfo> {
  const out = new Map<string, LatticeInfo>();
  for (const d of decls) {
    const first = out.get(d.name);
    if (first) {
      diagnostics.push(declaredTwice("duplicate-lattice", "lattice", d.name, d.span, first.decl.span));
      continue;
    }
    if (isBaseType(d.name)) {
      diagnostics.push(
        error("bad-lattice", `a lattice needs a type of its own, not the predefined type ${d.name}`, d.span, [
          { message: `declare one, e.g. .type ${d.name[0]!.toUpperCase()}${d.name.slice(1)}L <: ${d.name}, and then .lattice on it` },
        ]),
      );
    } else if (!env.has(d.name)) {
      diagnostics.push(
        error(
          "unknown-type",
          `type "${d.name}" is not declared: a lattice is declared on an existing type, its carrier`,
          d.span,
          didYouMeanType(d.name, env.names()),
        ),
      );
    }
    out.set(d.name, { decl: d, elem: isBaseType(d.name) ? undefined : env.base(d.name) });
  }
  return out;
}

/** The variables and wildcards of a term (not entering aggregates), in source order. */
function leaves(t: Term, out: Term[] = []): Term[] {
  if (t.kind === "var" || t.kind === "wildcard") out.push(t);
  else if (t.kind !== "aggregate") for (const s of subterms(t)) leaves(s, out);
  return out;
}

/** The term with its wildcards replaced by the operand variables $1 and $2, left to right. */
function withOperands(t: Term): Term {
  let n = 0;
  return mapTerm(t, (s) => (s.kind === "wildcard" ? { kind: "var", name: `$${++n}`, span: s.span } : s));
}

/** Checks the shape of one operation; false when it cannot be typed. */
function checkShape(op: Op, lattice: string, diagnostics: Diagnostic[]): boolean {
  let odd: Term | undefined;
  const generator = (t: Term) => t.kind === "call" && (t.name === "autoinc" || t.name === "range");
  walkTerm(op.term, (t) => {
    if (!odd && (t.kind === "aggregate" || generator(t))) odd = t;
  });
  if (odd) {
    const what = odd.kind === "aggregate" ? "an aggregate" : odd.kind === "call" && odd.name === "range" ? "range(…)" : "autoinc()";
    diagnostics.push(error("bad-lattice", `${op.op} of lattice "${lattice}" cannot use ${what}`, odd.span));
    return false;
  }
  const found = leaves(op.term);
  const variable = found.find((t) => t.kind === "var");
  if (variable?.kind === "var") {
    const role = op.op === "Lub" || op.op === "Glb" ? `an expression over its two operands, written _` : `a constant`;
    diagnostics.push(
      error("bad-lattice", `${op.op} of lattice "${lattice}" must be ${role}, but it uses the variable "${variable.name}"`, variable.span),
    );
    return false;
  }
  const binary = op.op === "Lub" || op.op === "Glb";
  if (binary && found.length !== 2) {
    diagnostics.push(
      error(
        "bad-lattice",
        `${op.op} of lattice "${lattice}" must use its two operands, written _ (left, then right), but it has ${found.length}`,
        op.term.span,
        [{ message: `e.g. ${op.op} -> max(_, _), or ${op.op} -> @${op.op.toLowerCase()}(_, _) with a .functor` }],
      ),
    );
    return false;
  }
  if (!binary && found.length > 0) {
    diagnostics.push(
      error("bad-lattice", `${op.op} of lattice "${lattice}" must be a constant; only Lub and Glb have operands _`, found[0]!.span),
    );
    return false;
  }
  return true;
}

/** Types one operation at the carrier (operands and result), as the rule `op(result)` over a relation of that type. */
function typeOp(
  op: Op,
  name: string,
  carrier: string,
  env: TypeEnv,
  functors: ReadonlyMap<string, FunctorInfo>,
  diagnostics: Diagnostic[],
): MTerm {
  const binary = op.op === "Lub" || op.op === "Glb";
  const term = withOperands(op.term);
  const args: Term[] = binary ? [{ kind: "var", name: "$1", span: op.span }, { kind: "var", name: "$2", span: op.span }, term] : [term];
  const relation = `.lattice ${name}<>`;
  const names = binary ? ["left operand", "right operand", op.op] : [op.op];
  const columns: ColumnDecl[] = names.map((n) => ({
    name: n,
    typeName: carrier,
    display: carrier,
    base: env.base(carrier),
    span: op.span,
    typeSpan: op.span,
  }));
  const decl: RelationDecl = { kind: "decl", name: relation, attributes: [], qualifiers: [], span: op.span, nameSpan: op.span };
  const relations = new Relations();
  relations.byName.set(relation, { name: relation, decl, columns });
  const head: Atom = { kind: "atom", relation, args, span: op.span };
  const scoped = resolveScopes(args, []);
  const found: Diagnostic[] = [];
  const typing = inferTypes(head, [], scoped, relations, env, functors, found);
  const lowered = lowerRule(0, head, [], op.span, scoped, typing, found).head.args[args.length - 1]!;
  // The operands are the variables $1 and $2 only inside the checks: messages name them as written.
  const operand = (m: string) => m.replaceAll(`variable "$1"`, `the left operand "_"`).replaceAll(`variable "$2"`, `the right operand "_"`);
  for (const d of found)
    diagnostics.push({ ...d, message: operand(d.message), notes: d.notes.map((n) => ({ ...n, message: operand(n.message) })) });
  return lowered;
}

/** Checks the operations of every lattice and lowers them to the model. */
export function checkLattices(
  lattices: ReadonlyMap<string, LatticeInfo>,
  env: TypeEnv,
  functors: ReadonlyMap<string, FunctorInfo>,
  diagnostics: Diagnostic[],
): Map<string, UserLattice> {
  const out = new Map<string, UserLattice>();
  for (const [name, { decl, elem }] of lattices) {
    const ops = new Map<Op["op"], Op>();
    for (const op of decl.ops) {
      const first = ops.get(op.op);
      if (first) {
        diagnostics.push(
          error("bad-lattice", `${op.op} is given twice in lattice "${name}"`, op.span, [
            { message: `first given here`, span: first.span },
          ]),
        );
      } else ops.set(op.op, op);
    }
    for (const required of ["Bottom", "Lub"] as const) {
      if (!ops.has(required)) {
        const example = required === "Bottom" ? "Bottom -> 0" : "Lub -> max(_, _)";
        diagnostics.push(
          error("bad-lattice", `lattice "${name}" has no ${required}`, decl.span, [{ message: `give one, e.g. ${example}` }]),
        );
      }
    }
    const typed = new Map<Op["op"], MTerm>();
    const before = diagnostics.length;
    for (const op of ops.values()) {
      if (elem !== undefined && checkShape(op, name, diagnostics)) typed.set(op.op, typeOp(op, name, name, env, functors, diagnostics));
    }
    const bottom = typed.get("Bottom");
    const lub = typed.get("Lub");
    // A lattice with errors goes no further (its laws are not checked).
    if (elem === undefined || !bottom || !lub || diagnostics.slice(before).some((d) => d.severity === "error")) continue;
    const top = typed.get("Top");
    const glb = typed.get("Glb");
    out.set(name, { name, elem, bottom, ...(top ? { top } : {}), lub, ...(glb ? { glb } : {}), span: decl.span });
  }
  return out;
}

/** The span of an operation of a lattice declaration. */
export function opSpan(decl: LatticeDecl, op: Op["op"]): Span | undefined {
  return decl.ops.find((o) => o.op === op)?.span;
}
