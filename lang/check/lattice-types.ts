// Column types that are lattices: max<T>, min<T> (T numeric), or, and, set<T>,
// pair<A, B> of two lattices, and user lattices T<> declared with `.lattice`;
// each resolved to its LatticeRef and the base type of its cells.

import type { TypeRef } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType, LatticeRef } from "../model.js";
import type { TypeEnv } from "./typeenv.js";
import { closest, didYouMeanType } from "./util.js";

export const BUILTIN_LATTICES: readonly string[] = ["max", "min", "or", "and", "set", "pair"];

/** A column's type, resolved. */
export interface ColumnType {
  /** The base type of the column's cells; undefined when the type is invalid (already reported). */
  readonly base?: BaseType;
  /** The type name the subtype check sees: the element type of max/min, the carrier of a user lattice, "number" for ids. */
  readonly typeName: string;
  /** The type as written, normalised: `min<number>`, `Sign<>`, `or`. */
  readonly display: string;
  readonly lattice?: LatticeRef;
}

/** The type as it is written in a declaration. */
export function typeText(ref: TypeRef): string {
  return ref.args ? `${ref.name}<${ref.args.map(typeText).join(", ")}>` : ref.name;
}

/** The base type of a lattice's cells: set and pair values are ids, booleans 0/1. */
export function cellType(l: LatticeRef): BaseType {
  return l.name === "max" || l.name === "min" || !BUILTIN_LATTICES.includes(l.name) ? l.elem : "number";
}

/** How a lattice is written, e.g. `pair<min<number>, set<symbol>>`, `Sign<>`. */
export function latticeText(l: LatticeRef): string {
  switch (l.name) {
    case "or":
    case "and":
      return l.name;
    case "max":
    case "min":
    case "set":
      return `${l.name}<${l.elem}>`;
    case "pair":
      return `pair<${(l.args ?? []).map(latticeText).join(", ")}>`;
    default:
      return `${l.name}<>`;
  }
}

export function sameLattice(a: LatticeRef, b: LatticeRef): boolean {
  return latticeText(a) === latticeText(b);
}

/** Whether `name` written without arguments is the boolean lattice (unless a type of that name is declared). */
export function isBooleanLattice(name: string, env: TypeEnv): boolean {
  return (name === "or" || name === "and") && !env.has(name);
}

/** Resolves the type of a column: a plain type, or a lattice type. */
export function resolveColumnType(
  ref: TypeRef,
  env: TypeEnv,
  userLattices: ReadonlyMap<string, BaseType | undefined>,
  diagnostics: Diagnostic[],
): ColumnType {
  const display = typeText(ref);
  if (ref.args === undefined && !isBooleanLattice(ref.name, env)) {
    if (!env.has(ref.name)) {
      diagnostics.push(error("unknown-type", `type "${ref.name}" is not declared`, ref.span, didYouMeanType(ref.name, env.names())));
    }
    return { base: env.base(ref.name), typeName: ref.name, display };
  }
  const lattice = resolveLattice(ref, env, userLattices, diagnostics);
  if (!lattice) return { typeName: display, display };
  const base = cellType(lattice);
  const scalarName = ref.args?.[0]?.name;
  const typeName =
    lattice.name === "max" || lattice.name === "min" ? (scalarName ?? base) : BUILTIN_LATTICES.includes(lattice.name) ? base : lattice.name;
  return { base, typeName, display, lattice };
}

function bad(ref: TypeRef, message: string, diagnostics: Diagnostic[]): undefined {
  diagnostics.push(error("bad-lattice-type", message, ref.span));
  return undefined;
}

/** The lattice a type written with arguments (or `or`, `and`) denotes; undefined after reporting why not. */
export function resolveLattice(
  ref: TypeRef,
  env: TypeEnv,
  userLattices: ReadonlyMap<string, BaseType | undefined>,
  diagnostics: Diagnostic[],
): LatticeRef | undefined {
  const args = ref.args;
  const text = typeText(ref);
  if (args === undefined) {
    if (isBooleanLattice(ref.name, env)) return { name: ref.name, elem: "number" };
    return bad(
      ref,
      `${text} is not a lattice type: the components of pair must be lattices, such as min<${text}> or set<${text}>`,
      diagnostics,
    );
  }
  const element = (what: string): BaseType | undefined => {
    if (args.length !== 1)
      return bad(ref, `${ref.name} takes one element type, as in ${ref.name}<number>, not ${args.length}`, diagnostics);
    const arg = args[0]!;
    if (arg.args !== undefined || isBooleanLattice(arg.name, env)) {
      return bad(arg, `the elements of ${what} must be of a plain type such as number, not the lattice ${typeText(arg)}`, diagnostics);
    }
    if (!env.has(arg.name)) {
      diagnostics.push(error("unknown-type", `type "${arg.name}" is not declared`, arg.span, didYouMeanType(arg.name, env.names())));
      return undefined;
    }
    return env.base(arg.name);
  };
  switch (ref.name) {
    case "max":
    case "min": {
      const elem = element(ref.name);
      if (elem === undefined) return undefined;
      if (elem === "symbol") {
        return bad(ref, `${text}: the elements of ${ref.name} must be numbers (number, unsigned or float), not symbol`, diagnostics);
      }
      return { name: ref.name, elem };
    }
    case "set": {
      const elem = element("set");
      return elem === undefined ? undefined : { name: "set", elem };
    }
    case "pair": {
      if (args.length !== 2)
        return bad(ref, `pair takes two lattice types, as in pair<min<number>, max<number>>, not ${args.length}`, diagnostics);
      const a = resolveLattice(args[0]!, env, userLattices, diagnostics);
      const b = resolveLattice(args[1]!, env, userLattices, diagnostics);
      return a && b ? { name: "pair", elem: "number", args: [a, b] } : undefined;
    }
    case "or":
    case "and":
      return bad(ref, `${ref.name} takes no type arguments: write ${ref.name}`, diagnostics);
  }
  if (userLattices.has(ref.name)) {
    if (args.length > 0) return bad(ref, `user lattice "${ref.name}" takes no type arguments: write ${ref.name}<>`, diagnostics);
    const elem = userLattices.get(ref.name);
    return elem === undefined ? undefined : { name: ref.name, elem };
  }
  if (env.has(ref.name)) {
    diagnostics.push(
      error("unknown-lattice", `type "${ref.name}" is not a lattice`, ref.span, [
        { message: `declare its lattice structure with .lattice ${ref.name}<> { Bottom -> …, Lub -> … }` },
      ]),
    );
    return undefined;
  }
  const best = closest(ref.name, [...BUILTIN_LATTICES, ...userLattices.keys()]);
  diagnostics.push(
    error(
      "unknown-lattice",
      `unknown lattice "${ref.name}"`,
      ref.span,
      best
        ? [{ message: `did you mean ${best}?` }]
        : [{ message: `the built-in lattices are max<T>, min<T>, or, and, set<T> and pair<A, B>; others are declared with .lattice` }],
    ),
  );
  return undefined;
}
