// Model terms, literals and rules printed back in the source dialect, for the
// reasons the analysis gives and the rewrites it suggests.

import type { MAtom, MLiteral, MTerm, Rule } from "../model.js";

/** A variable's name as written: scoping renames shadowed aggregate locals to `x#1`. */
export function displayName(name: string): string {
  const hash = name.indexOf("#");
  return hash < 0 ? name : name.slice(0, hash);
}

export function printTerm(t: MTerm): string {
  switch (t.kind) {
    case "const":
      if (t.shown !== undefined) return t.shown;
      return typeof t.value === "string" ? JSON.stringify(t.value) : String(t.value);
    case "var":
      return displayName(t.name);
    case "wildcard":
      return "_";
    case "binary": {
      const side = (s: MTerm) => (s.kind === "binary" ? `(${printTerm(s)})` : printTerm(s));
      return `${side(t.left)} ${t.op} ${side(t.right)}`;
    }
    case "unary":
      return t.op === "neg" ? `-${printTerm(t.operand)}` : `${t.op}(${printTerm(t.operand)})`;
    case "call":
      // Records (lang/check/unpack.ts): built as `[a, b]`, field i of a record read as `v[i]`; an
      // ADT value, built as the record [tag, payload], as written: `$Branch(fields)`.
      if (t.adt) {
        const payload = t.args[1]!;
        const fields = t.adt.fields === 0 ? [] : t.adt.fields === 1 ? [payload] : payload.kind === "call" ? payload.args : [payload];
        return `${t.adt.branch}(${fields.map(printTerm).join(", ")})`;
      }
      if (t.name === "$record") return `[${t.args.map(printTerm).join(", ")}]`;
      if (t.name === "$field") return `${printTerm(t.args[0]!)}[${printTerm(t.args[2]!)}]`;
      return `${t.name}(${t.args.map(printTerm).join(", ")})`;
    case "cast":
      return `as(${printTerm(t.term)}, ${t.type})`;
    case "aggregate": {
      const target = t.target ? ` ${printTerm(t.target)}` : "";
      return `${t.fn}${target} : { ${t.body.map(printLiteral).join(", ")} }`;
    }
  }
}

export function printAtom(a: MAtom): string {
  return `${a.relation}(${a.args.map(printTerm).join(", ")})`;
}

export function printLiteral(l: MLiteral): string {
  switch (l.kind) {
    case "atom":
      return printAtom(l);
    case "negation":
      return `!${printAtom(l.atom)}`;
    case "compare":
      return `${printTerm(l.left)} ${l.op} ${printTerm(l.right)}`;
    case "test":
      return `${l.negated ? "!" : ""}${l.name}${l.args.length > 0 || (l.name !== "true" && l.name !== "false") ? `(${l.args.map(printTerm).join(", ")})` : ""}`;
  }
}

export function printRule(r: Rule): string {
  return r.body.length === 0 ? `${printAtom(r.head)}.` : `${printAtom(r.head)} :- ${r.body.map(printLiteral).join(", ")}.`;
}

/** A lattice as written in a declaration: the checks own the spelling. */
export { latticeText } from "../check/lattice-types.js";
