// Soufflé's subtype check over user types (run once base types agree): a
// variable takes the greatest common subtype of the columns of the positive
// atoms it occurs in (shared across `x = y`, `x < y`, …), and a value stored
// in a column must be of a subtype of the column's type. Constants and
// computed values fit any subtype of their base type.

import type { Atom, Literal, Term } from "../ast.js";
import { error, type Diagnostic, type Note } from "../diagnostics.js";
import type { Span } from "../span.js";
import type { Relations } from "./declarations.js";
import type { Scoped } from "./scope.js";
import type { TypeEnv, UType } from "./typeenv.js";
import { allAtoms, termsOfLiterals, walkTerm } from "./ast-terms.js";

interface Source {
  /** The variable as written. */
  readonly shown: string;
  readonly type: UType;
  readonly span: Span;
  readonly column: string;
}

interface VarClass {
  types: UType[] | undefined;
  sources: Source[];
}

export function checkSubtypes(
  head: Atom,
  body: readonly Literal[],
  scoped: Scoped,
  relations: Relations,
  env: TypeEnv,
  diagnostics: Diagnostic[],
): void {
  const parent = new Map<string, string>();
  const classes = new Map<string, VarClass>();
  const find = (n: string): string => {
    let r = n;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  const cls = (n: string): VarClass => {
    const r = find(n);
    let c = classes.get(r);
    if (!c) classes.set(r, (c = { types: undefined, sources: [] }));
    return c;
  };
  const nameOf = (t: Term): string | undefined => (t.kind === "var" ? scoped.names.get(t) : undefined);
  const failed = new Set<string>();
  const sourceNote = (s: Source): Note => ({ message: `"${s.shown}" is ${s.type} here (${s.column})`, span: s.span });

  const meet = (n: string, src: Source): void => {
    const c = cls(n);
    const next = env.meetSets(c.types, [src.type]);
    if (next !== undefined && next.length === 0) {
      if (!failed.has(find(n))) {
        failed.add(find(n));
        diagnostics.push(
          error(
            "type-mismatch",
            `type mismatch: variable "${src.shown}" is used as ${(c.types ?? []).join(" | ")} and as ${src.type}, which have no common subtype`,
            src.span,
            [...c.sources, src].map(sourceNote),
          ),
        );
      }
      return;
    }
    c.types = next;
    c.sources.push(src);
  };

  const merge = (a: string, b: string, span: Span): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    const ca = cls(ra);
    const cb = cls(rb);
    const next = env.meetSets(ca.types, cb.types);
    if (next !== undefined && next.length === 0) {
      diagnostics.push(
        error(
          "type-mismatch",
          `type mismatch: cannot relate ${ca.types!.join(" | ")} with ${cb.types!.join(" | ")}: the types have no common subtype`,
          span,
          [...ca.sources, ...cb.sources].map(sourceNote),
        ),
      );
      return;
    }
    parent.set(rb, ra);
    classes.delete(rb);
    ca.types = next;
    ca.sources.push(...cb.sources);
  };

  const columnOf = (atom: Atom, i: number) => {
    const rel = relations.get(atom.relation);
    if (!rel || rel.columns.length !== atom.args.length) return undefined;
    const col = rel.columns[i]!;
    return col.base ? col : undefined;
  };

  // Sources: positive atoms, in every scope; relations between variables through comparisons.
  allAtoms(body, head.args, (atom, how) => {
    if (how.negated) return;
    atom.args.forEach((arg, i) => {
      const n = nameOf(arg);
      const col = columnOf(atom, i);
      if (n && col)
        meet(n, { shown: shownName(arg), type: col.typeName, span: arg.span, column: `column "${col.name}" of "${atom.relation}"` });
    });
  });
  const compares: Extract<Literal, { kind: "compare" }>[] = [];
  const collect = (ls: readonly Literal[]): void => {
    for (const l of ls) if (l.kind === "compare") compares.push(l);
    for (const t of termsOfLiterals(ls))
      walkTerm(t, (s) => {
        if (s.kind === "aggregate") collect(s.body);
      });
  };
  collect(body);
  for (const t of head.args)
    walkTerm(t, (s) => {
      if (s.kind === "aggregate") collect(s.body);
    });
  const castSource = (t: Term, shown: string): Source | undefined =>
    t.kind === "cast" && env.base(t.typeName) ? { shown, type: t.typeName, span: t.span, column: `as(…, ${t.typeName})` } : undefined;
  for (const c of compares) {
    const l = nameOf(c.left);
    const r = nameOf(c.right);
    const lc = castSource(c.left, shownName(c.right));
    const rc = castSource(c.right, shownName(c.left));
    if (l && r) merge(l, r, c.span);
    else if (l && rc) meet(l, rc);
    else if (r && lc) meet(r, lc);
  }

  // Sinks: what is stored in a column must fit its type.
  const sink = (atom: Atom): void => {
    atom.args.forEach((arg, i) => {
      const col = columnOf(atom, i);
      if (!col) return;
      const where = `the type of column "${col.name}" of "${atom.relation}"`;
      const declared: Note = { message: `column "${col.name}" is declared ${col.typeName} here`, span: col.typeSpan };
      const n = nameOf(arg);
      if (n && arg.kind === "var") {
        if (failed.has(find(n))) return;
        const c = cls(n);
        const bad = c.types?.find((t) => !env.fits(t, col.typeName));
        if (bad === undefined) return;
        const from = c.sources.filter((s) => s.type === bad);
        diagnostics.push(
          error(
            "type-mismatch",
            `type mismatch: variable "${arg.name}" has type ${bad}, which is not a subtype of ${col.typeName}, ${where}`,
            arg.span,
            [declared, ...(from.length > 0 ? from : c.sources).map(sourceNote)],
          ),
        );
      } else if (arg.kind === "cast" && env.base(arg.typeName) && !env.fits(arg.typeName, col.typeName)) {
        diagnostics.push(
          error(
            "type-mismatch",
            `type mismatch: this cast has type ${arg.typeName}, which is not a subtype of ${col.typeName}, ${where}`,
            arg.span,
            [declared],
          ),
        );
      }
    });
  };
  sink(head);
  allAtoms(body, head.args, (atom, how) => {
    if (!how.negated) sink(atom);
  });
}

function shownName(t: Term): string {
  return t.kind === "var" ? t.name : "";
}
