// Relation declarations: duplicates, attribute names and types (a lattice type
// only in the last column), name clashes with types, eqrel signatures; and the
// lookup of a relation used in an atom (undeclared relation, arity mismatch).

import type { Atom, RelationDecl, TypeDecl } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType, LatticeRef } from "../model.js";
import type { Span } from "../span.js";
import { resolveColumnType } from "./lattice-types.js";
import type { TypeEnv } from "./typeenv.js";
import { declaredTwice, didYouMean, plural } from "./util.js";

export interface ColumnDecl {
  readonly name: string;
  /** The type the subtype check sees (for a lattice column, its element type, its carrier, or number for ids). */
  readonly typeName: string;
  /** The type as written: `number`, `min<number>`, `Sign<>`. */
  readonly display: string;
  /** The lattice of the (last) column, if it has one. */
  readonly lattice?: LatticeRef;
  /** Where a subsumption gave the column its lattice. */
  readonly subsumption?: Span;
  /** Undefined when the type is unknown or invalid (already reported). */
  readonly base?: BaseType;
  readonly span: Span;
  readonly typeSpan: Span;
}

export interface RelDecl {
  readonly name: string;
  readonly decl: RelationDecl;
  readonly columns: readonly ColumnDecl[];
}

export class Relations {
  readonly byName = new Map<string, RelDecl>();

  get(name: string): RelDecl | undefined {
    return this.byName.get(name);
  }

  /** Names with the span of their declaration, for suggestions. */
  names(): Map<string, Span> {
    return new Map([...this.byName].map(([k, r]) => [k, r.decl.nameSpan]));
  }

  /** The declaration of `name`, or an `undeclared-relation` error at `span`. */
  lookup(name: string, span: Span, diagnostics: Diagnostic[]): RelDecl | undefined {
    const r = this.byName.get(name);
    if (!r) diagnostics.push(undeclared(name, span, this));
    return r;
  }

  /** The lattice of a relation's last column, if it has one. */
  latticeOf(name: string): LatticeRef | undefined {
    const cols = this.byName.get(name)?.columns;
    return cols?.[cols.length - 1]?.lattice;
  }

  /** The declaration of an atom's relation when it exists and the arity matches; reports otherwise. */
  resolveAtom(atom: Atom, diagnostics: Diagnostic[]): RelDecl | undefined {
    const r = this.lookup(atom.relation, atom.span, diagnostics);
    if (!r) return undefined;
    if (r.columns.length !== atom.args.length) {
      diagnostics.push(
        error(
          "arity-mismatch",
          `relation "${atom.relation}" has ${plural(r.columns.length, "column")}, but this atom has ${plural(atom.args.length, "argument")}`,
          atom.span,
          [{ message: `"${atom.relation}" is declared here`, span: r.decl.nameSpan }],
        ),
      );
      return undefined;
    }
    return r;
  }
}

export function undeclared(name: string, span: Span, relations: Relations): Diagnostic {
  return error("undeclared-relation", `relation "${name}" is not declared`, span, didYouMean(name, relations.names()));
}

/** Reads the relation declarations; reports duplicates, bad attributes and bad eqrel signatures. */
export function declareRelations(
  decls: readonly RelationDecl[],
  types: readonly TypeDecl[],
  env: TypeEnv,
  userLattices: ReadonlyMap<string, BaseType | undefined>,
  diagnostics: Diagnostic[],
): Relations {
  const rels = new Relations();
  const typeSpans = new Map<string, Span>();
  for (const t of types) if (!typeSpans.has(t.name)) typeSpans.set(t.name, t.span);
  for (const d of decls) {
    const first = rels.get(d.name);
    if (first) {
      diagnostics.push(declaredTwice("duplicate-relation", "relation", d.name, d.nameSpan, first.decl.nameSpan));
      continue;
    }
    const clash = typeSpans.get(d.name);
    if (clash) {
      diagnostics.push(
        error("name-clash", `relation "${d.name}" has the same name as a type`, d.nameSpan, [
          { message: `type "${d.name}" is declared here`, span: clash },
        ]),
      );
    }
    d.qualifiers.forEach((q, i) => {
      if (d.qualifiers.indexOf(q) < i)
        diagnostics.push(error("duplicate-qualifier", `qualifier ${q} is given twice for relation "${d.name}"`, d.span));
    });
    const columns: ColumnDecl[] = [];
    d.attributes.forEach((a, i) => {
      const dup = d.attributes.slice(0, i).find((b) => b.name === a.name);
      if (dup) {
        diagnostics.push(
          error("duplicate-attribute", `attribute "${a.name}" of relation "${d.name}" is declared twice`, a.span, [
            { message: `"${a.name}" is first declared here`, span: dup.span },
          ]),
        );
      }
      const t = resolveColumnType(a.type, env, userLattices, diagnostics);
      let lattice = t.lattice;
      if (lattice && i !== d.attributes.length - 1) {
        diagnostics.push(
          error(
            "lattice-column-position",
            `column "${a.name}" of "${d.name}" has the lattice type ${t.display}, but only the last column of a relation may be a lattice`,
            a.type.span,
            [{ message: `the other columns are the key: the relation holds one ${t.display} value per key, in its last column` }],
          ),
        );
        lattice = undefined;
      }
      columns.push({
        name: a.name,
        typeName: t.typeName,
        display: t.display,
        ...(lattice ? { lattice } : {}),
        base: t.base,
        span: a.span,
        typeSpan: a.type.span,
      });
    });
    if (d.qualifiers.includes("eqrel")) {
      if (columns.some((c) => c.lattice)) {
        diagnostics.push(error("bad-eqrel", `equivalence relation "${d.name}" cannot have a lattice column`, d.nameSpan));
      } else if (columns.length !== 2) {
        diagnostics.push(
          error("bad-eqrel", `equivalence relation "${d.name}" must have exactly 2 columns, not ${columns.length}`, d.nameSpan),
        );
      } else if (columns[0]!.typeName !== columns[1]!.typeName) {
        diagnostics.push(
          error(
            "bad-eqrel",
            `the two columns of equivalence relation "${d.name}" must have the same type, not ${columns[0]!.typeName} and ${columns[1]!.typeName}`,
            d.nameSpan,
            columns.map((c) => ({ message: `"${c.name}" is ${c.typeName}`, span: c.typeSpan })),
          ),
        );
      }
    }
    rels.byName.set(d.name, { name: d.name, decl: d, columns });
  }
  return rels;
}
