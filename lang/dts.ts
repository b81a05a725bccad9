// The TypeScript declaration of a program's relations (`cairn types PROG.dl`):
// one type `Schema` with, per relation, its tuples as the API gives them
// (labelled by column name), the same keyed by column name, and what insert()
// and the other methods that take values accept (bigints in integer columns).
// compile<Schema>() uses it to check relation names, arities and column types
// at compile time (engine/api/typed.ts).

import type { BaseType, CheckedProgram, LatticeRef, RelationInfo } from "./model.js";

/** A TypeScript type of a base type's values, as read and as accepted. */
function baseType(t: BaseType, input: boolean): string {
  if (t === "symbol") return "string";
  if (input && (t === "number" || t === "unsigned")) return "number | bigint";
  return "number";
}

/** A lattice column's values: plain ones as their element type, a set as an array, a pair as [a, b]. */
function latticeType(l: LatticeRef, input: boolean): string {
  if (l.name === "pair" && l.args?.length === 2) return `readonly [${latticeType(l.args[0]!, input)}, ${latticeType(l.args[1]!, input)}]`;
  if (l.name === "set") {
    const elem = baseType(l.elem, input);
    return elem.includes("|") ? `readonly (${elem})[]` : `readonly ${elem}[]`;
  }
  return baseType(l.elem, input);
}

/** A property name or tuple label: as it stands where it is an identifier, else quoted (keys only). */
const ident = (name: string) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);

function relationType(info: RelationInfo): string {
  const columns = info.columns.map((c) => ({
    name: c.name,
    // A record or ADT value travels as Soufflé's text of it.
    read: c.structured ? "string" : c.lattice ? latticeType(c.lattice, false) : baseType(c.type, false),
    input: c.structured ? "string" : c.lattice ? latticeType(c.lattice, true) : baseType(c.type, true),
  }));
  // Labels must be identifiers and differ; a column named otherwise is left unlabelled.
  const labelled = columns.every((c) => ident(c.name)) && new Set(columns.map((c) => c.name)).size === columns.length;
  const tuple = (pick: "read" | "input") => `readonly [${columns.map((c) => (labelled ? `${c.name}: ${c[pick]}` : c[pick])).join(", ")}]`;
  const row = (pick: "read" | "input") =>
    `{ ${columns.map((c) => `readonly ${ident(c.name) ? c.name : JSON.stringify(c.name)}: ${c[pick]}`).join("; ")}${columns.length > 0 ? " " : ""}}`;
  const lattice = info.columns.at(-1)?.lattice;
  const doc = `  /** ${info.name}(${info.columns.map((c) => `${c.name}: ${c.typeName}`).join(", ")})${lattice ? `: a lattice relation, one tuple per key` : ""} */`;
  return [
    doc,
    `  readonly ${ident(info.name) ? info.name : JSON.stringify(info.name)}: {`,
    `    readonly tuple: ${tuple("read")};`,
    `    readonly row: ${row("read")};`,
    `    readonly input: ${tuple("input")};`,
    `    readonly inputRow: ${row("input")};`,
    "  };",
  ].join("\n");
}

/** The declaration file for `program` (read from `file`). */
export function programDeclarations(program: CheckedProgram, file: string): string {
  const relations = [...program.relations.values()].filter((r) => !r.name.includes("@"));
  return [
    `// The relations of ${file}, written by \`cairn types\`: do not edit; write it again when the program changes.`,
    '// Use: import type { Schema } from "./this-file.js"; const program = compile<Schema>(source);',
    "",
    "export type Schema = {",
    ...relations.map(relationType),
    "};",
    "",
  ].join("\n");
}
