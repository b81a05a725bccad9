// Soufflé's subsumption, read as a lattice. `R(k…, a) <= R(k…, b) :- a <= b.`
// says a tuple of R is dropped when another with the same key columns has a
// larger last column: R keeps one value per key, the smallest, which is a
// `min` lattice column; with the comparison the other way round, `max`. Cairn
// evaluates exactly that (joins, semi-naive deltas, freeze points), so a
// Soufflé program written with subsumption runs as the lattice program it
// stands for. Other forms of a relation by itself are rewritten into a deletion of
// the dominated tuples (subsumption-rewrite.ts); between two relations, unsupported.

import type { Comparison, Subsumption, Term } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { LatticeRef } from "../model.js";
import type { Relations } from "./declarations.js";

const HOW =
  "Cairn evaluates subsumption of a relation by itself, R(…) <= R(…) :- body: as a min or max lattice column for R(k…, a) <= R(k…, b) :- a <= b, as a deletion of the dominated tuples otherwise";

/** Which lattice a comparison of the dominated value `a` with the dominating `b` asks for, if it is one of the forms. */
function latticeOfComparison(c: Comparison, a: string, b: string): "min" | "max" | undefined {
  const name = (t: Term) => (t.kind === "var" ? t.name : undefined);
  const [l, r] = [name(c.left), name(c.right)];
  // Normalise to `a OP b`.
  let op: string;
  if (l === a && r === b) op = c.op;
  else if (l === b && r === a) op = ({ "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as Record<string, string>)[c.op] ?? c.op;
  else return undefined;
  // a is dropped when it is at least b: the smallest value stays.
  if (op === ">" || op === ">=") return "min";
  if (op === "<" || op === "<=") return "max";
  return undefined;
}

/** Why `s` is not of the form Cairn reads, or the relation and lattice it gives. */
export function readSubsumption(s: Subsumption): { relation: string; lattice: "min" | "max" } | string {
  const [x, y] = [s.dominated, s.dominating];
  if (x.relation !== y.relation) return `the two atoms name different relations ("${x.relation}" and "${y.relation}")`;
  if (x.args.length === 0) return `"${x.relation}" has no columns`;
  const n = x.args.length;
  for (let i = 0; i < n - 1; i++) {
    const [p, q] = [x.args[i]!, y.args[i]!];
    if (p.kind !== "var" || q.kind !== "var" || p.name !== q.name) return `column ${i + 1} is not the same variable in both atoms`;
  }
  const [a, b] = [x.args[n - 1]!, y.args[n - 1]!];
  if (a.kind !== "var" || b.kind !== "var" || a.name === b.name) return "the last columns are not two different variables";
  if (x.args.slice(0, n - 1).some((t) => t.kind === "var" && (t.name === a.name || t.name === b.name))) {
    return "a last column's variable also names a key column";
  }
  if (s.body.length !== 1 || s.body[0]!.length !== 1 || s.body[0]![0]!.kind !== "compare") return "the body is not one comparison";
  const lattice = latticeOfComparison(s.body[0]![0] as Comparison, a.name, b.name);
  if (!lattice) return "the body does not compare the two last columns with <, <=, > or >=";
  return { relation: x.relation, lattice };
}

/**
 * Gives each relation a subsumption reads as a lattice its min or max last
 * column; reports subsumption of other forms, on relations that already have
 * a lattice column or a non-numeric last column, and conflicting directions.
 */
export function applySubsumptions(subs: readonly Subsumption[], relations: Relations, diagnostics: Diagnostic[]): void {
  const chosen = new Map<string, { lattice: "min" | "max"; at: Subsumption }>();
  for (const s of subs) {
    const sameRelation = s.dominated.relation === s.dominating.relation;
    const rel = sameRelation ? relations.resolveAtom(s.dominated, diagnostics) : undefined;
    if (sameRelation && (!rel || !relations.resolveAtom(s.dominating, diagnostics))) continue;
    const read = readSubsumption(s);
    if (typeof read === "string") {
      diagnostics.push(error("unsupported", `this form of subsumption is not supported: ${read}`, s.span, [{ message: HOW }]));
      continue;
    }
    if (!rel) continue;
    const earlier = chosen.get(read.relation);
    if (earlier && earlier.lattice !== read.lattice) {
      diagnostics.push(
        error(
          "bad-subsumption",
          `this subsumption keeps the ${read.lattice === "min" ? "smallest" : "largest"} value of "${read.relation}" per key, an earlier one the ${earlier.lattice === "min" ? "smallest" : "largest"}`,
          s.span,
          [{ message: "the earlier subsumption", span: earlier.at.span }],
        ),
      );
      continue;
    }
    if (earlier) continue;
    const last = rel.columns[rel.columns.length - 1]!;
    if (last.lattice) {
      diagnostics.push(
        error(
          "bad-subsumption",
          `"${read.relation}" already has a lattice column (${last.display}); subsumption cannot make it another`,
          s.span,
          [{ message: `"${read.relation}" is declared here`, span: rel.decl.nameSpan }],
        ),
      );
      continue;
    }
    if (last.base !== undefined && last.base !== "number" && last.base !== "unsigned" && last.base !== "float") {
      diagnostics.push(
        error(
          "bad-subsumption",
          `the last column of "${read.relation}" is a ${last.base}, and subsumption on it would need an order Cairn has only for numbers`,
          s.span,
          [{ message: `"${last.name}" is declared here`, span: last.span }],
        ),
      );
      continue;
    }
    chosen.set(read.relation, { lattice: read.lattice, at: s });
    if (last.base === undefined) continue;
    const lattice: LatticeRef = { name: read.lattice, elem: last.base };
    const columns = [...rel.columns.slice(0, -1), { ...last, lattice, display: `${read.lattice}<${last.typeName}>`, subsumption: s.span }];
    relations.byName.set(read.relation, { ...rel, columns });
  }
}
