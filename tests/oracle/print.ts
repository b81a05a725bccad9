// Prints a checked program back as Soufflé .dl text, with only the parentheses
// that precedence requires, so that the parser's precedence is exercised too.

import type { ArithOp } from "../../lang/ast.js";
import type { CheckedProgram, MAtom, MLiteral, MTerm, Rule } from "../../lang/model.js";

/** Binding strength, loosest first, as in Soufflé's grammar. */
const PREC: Record<ArithOp, number> = {
  lor: 1,
  lxor: 2,
  land: 3,
  bor: 4,
  bxor: 5,
  band: 6,
  bshl: 7,
  bshr: 7,
  bshru: 7,
  "+": 8,
  "-": 8,
  "*": 9,
  "/": 9,
  "%": 9,
  "^": 11,
};
const UNARY = 10;
const PRIMARY = 12;

function precOf(t: MTerm): number {
  switch (t.kind) {
    case "binary":
      return PREC[t.op];
    case "unary":
      return UNARY;
    case "const":
      return typeof t.value === "number" && (t.value < 0 || Object.is(t.value, -0)) ? UNARY : PRIMARY;
    case "aggregate":
      return 0; // always parenthesised inside an expression
    default:
      return PRIMARY;
  }
}

function constant(t: MTerm & { kind: "const" }): string {
  if (typeof t.value === "string") return JSON.stringify(t.value);
  switch (t.type) {
    case "float": {
      const [mantissa, exponent] = String(t.value).split("e");
      return `${mantissa!.includes(".") ? mantissa : `${mantissa}.0`}${exponent ? `e${exponent}` : ""}`;
    }
    case "unsigned":
      return `${t.value}u`;
    default:
      return String(t.value);
  }
}

/** `t` printed so that it parses back at binding strength `min` or tighter. */
export function printTerm(t: MTerm, min = 0): string {
  const s = printBare(t);
  return precOf(t) < min ? `(${s})` : s;
}

function printBare(t: MTerm): string {
  switch (t.kind) {
    case "const":
      return constant(t);
    case "var":
      return t.name;
    case "wildcard":
      return "_";
    case "binary": {
      const p = PREC[t.op];
      // Left-associative, except `^`: its left side is a primary, its right a unary expression.
      if (t.op === "^") return `${printTerm(t.left, PRIMARY)} ^ ${printTerm(t.right, UNARY)}`;
      return `${printTerm(t.left, p)} ${t.op} ${printTerm(t.right, p + 1)}`;
    }
    case "unary": {
      // Parenthesise constants so that `-(5)` is not read as the literal -5 twice over, nor `--5`.
      const operand = t.operand.kind === "const" ? `(${printBare(t.operand)})` : printTerm(t.operand, UNARY);
      return t.op === "neg" ? `-${operand}` : `${t.op} ${operand}`;
    }
    case "call":
      return `${t.name}(${t.args.map((a) => printTerm(a)).join(", ")})`;
    case "cast":
      return `as(${printTerm(t.term)}, ${t.type})`;
    case "aggregate": {
      const target = t.target ? ` ${printTerm(t.target)}` : "";
      return `${t.fn}${target} : { ${t.body.map(printLiteral).join(", ")} }`;
    }
  }
}

export function printAtom(a: MAtom): string {
  return `${a.relation}(${a.args.map((t) => printTerm(t)).join(", ")})`;
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
      if (l.name === "true" || l.name === "false") return `${l.negated ? "!" : ""}${l.name}`;
      return `${l.negated ? "!" : ""}${l.name}(${l.args.map((t) => printTerm(t)).join(", ")})`;
  }
}

export function printRule(r: Pick<Rule, "head" | "body">): string {
  return r.body.length === 0 ? `${printAtom(r.head)}.` : `${printAtom(r.head)} :- ${r.body.map(printLiteral).join(", ")}.`;
}

/** The type of every variable of a rule, or undefined if one name has two types. */
function variableTypes(r: Pick<Rule, "head" | "body">): Map<string, string> | undefined {
  const types = new Map<string, string>();
  let clash = false;
  const walk = (t: MTerm | MLiteral): void => {
    if (t.kind === "var") {
      if ((types.get(t.name) ?? t.type) !== t.type) clash = true;
      types.set(t.name, t.type);
    } else if (t.kind === "binary") {
      walk(t.left);
      walk(t.right);
    } else if (t.kind === "unary") walk(t.operand);
    else if (t.kind === "cast") walk(t.term);
    else if (t.kind === "call" || t.kind === "atom" || t.kind === "test") t.args.forEach(walk);
    else if (t.kind === "negation") walk(t.atom);
    else if (t.kind === "compare") {
      walk(t.left);
      walk(t.right);
    } else if (t.kind === "aggregate") {
      if (t.target) walk(t.target);
      t.body.forEach(walk);
    }
  };
  walk(r.head);
  r.body.forEach(walk);
  return clash ? undefined : types;
}

/** Whether two rules can be written as one clause `head :- body1 ; body2.` */
function mergeable(a: Rule, b: Rule): boolean {
  if (a.body.length === 0 || b.body.length === 0 || printAtom(a.head) !== printAtom(b.head)) return false;
  const ta = variableTypes(a);
  const tb = variableTypes(b);
  return !!ta && !!tb && [...ta].every(([name, type]) => (tb.get(name) ?? type) === type);
}

/**
 * The whole program: declarations, then rules in order. With `disjunctions`,
 * consecutive rules with the same head are written as one clause with `;`.
 */
export function printProgram(p: CheckedProgram, disjunctions = false): string {
  const lines: string[] = [];
  for (const rel of p.relations.values()) {
    lines.push(`.decl ${rel.name}(${rel.columns.map((c) => `${c.name}: ${c.typeName}`).join(", ")})`);
  }
  for (let i = 0; i < p.rules.length; i++) {
    const group = [p.rules[i]!];
    while (disjunctions && i + 1 < p.rules.length && mergeable(group[0]!, p.rules[i + 1]!)) group.push(p.rules[++i]!);
    const bodies = group.map((r) => r.body.map(printLiteral).join(", "));
    lines.push(group.length === 1 ? printRule(group[0]!) : `${printAtom(group[0]!.head)} :- ${bodies.join(" ; ")}.`);
  }
  return lines.join("\n") + "\n";
}
