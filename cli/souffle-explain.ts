// Soufflé's explain interface (`souffle -t explain`, `cairn run -t explain`):
// commands read one a line after the run — `explain rel(args)`, `subproof
// rel(N)`, `explainnegation rel(args)` (then the rule's number and values for
// its body's variables, a line each), `query rel(args), …` (answered by the
// database's own queries; then `;` for each next answer, `.` to stop), `setdepth
// N`, `exit` (or `q`, `quit`) — each proof printed as
// Soufflé prints it: a tree drawn bottom-up, each rule step a line of dashes
// ending in its rule's number among the relation's rules, `(R2)`, premises
// side by side above it, given and program facts as leaves, negations and
// constraints as leaves with their values, and a step past the depth limit
// (default 4) as a leaf `subproof rel(N)` that `subproof rel(N)` expands.
// Commands this interface does not have are reported on standard error.

import type { Database, Proof } from "../engine/database.js";
import type { Value } from "../engine/storage/values.js";
import { factTuple, parseFact, parseFacts, QueryError, type ParsedFact } from "./fact-text.js";
import { CairnError, renderDiagnostics } from "../lang/diagnostics.js";
import { encode, formatFloat } from "../engine/storage/values.js";
import type { Binding } from "../engine/api/query.js";
import type { CompareOp } from "../lang/ast.js";
import type { MTerm } from "../lang/model.js";
import { printTerm } from "../lang/calm/print.js";

/** A comparison of two values as the rules compare them. */
function compare(op: CompareOp, a: Value, b: Value): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/** A node of the drawn tree: a leaf (text), or a rule step with its premises above it. */
interface Node {
  readonly text: string;
  readonly label?: string;
  readonly children: readonly Node[];
}

/** A text's width as Soufflé measures it: its length in bytes (UTF-8). */
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** Width and height of a node's box, as Soufflé lays it out. */
function size(n: Node): { width: number; height: number } {
  if (n.children.length === 0) return { width: bytes(n.text), height: 1 };
  let width = 0;
  let height = 0;
  for (const k of n.children) {
    const s = size(k);
    width += s.width + 1;
    height = Math.max(height, s.height);
  }
  return { width: Math.max(width, bytes(n.text)), height: height + 2 };
}

/** The tree drawn as lines of text, the conclusion last (laid out in bytes, as Soufflé does). */
export function drawTree(root: Node): string {
  const { width, height } = size(root);
  const rows = Array.from({ length: height }, () => Buffer.alloc(width, " "));
  const write = (x: number, y: number, s: string) => {
    rows[y]!.write(s, x, "utf8");
  };
  const render = (n: Node, x: number, y: number): void => {
    const w = size(n).width;
    if (n.children.length === 0) return write(x, y, n.text);
    write(x + Math.floor((w - bytes(n.text)) / 2), y, n.text);
    let at = x;
    for (const k of n.children) {
      render(k, at, y + 2);
      at += size(k).width + 1;
    }
    const label = n.label ?? "";
    write(x, y + 1, "-".repeat(w - label.length) + label);
  };
  render(root, 0, 0);
  return `${rows
    .reverse()
    .map((r) => r.toString("utf8"))
    .join("\n")}\n`;
}

/** Soufflé's reading of a value in a fact: symbols quoted, floats with six decimals. */
function cell(v: Value, type: string | undefined): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (type === "float" && typeof v === "number") return v.toFixed(6);
  if (Array.isArray(v)) return `{${v.map((x) => cell(x, undefined)).join(", ")}}`;
  return String(v);
}

export class SouffleExplain {
  private depth = 4;
  /** Facts cut off at the depth limit, by number, for `subproof`. */
  private readonly subproofs: { relation: string; tuple: readonly Value[] }[] = [];

  constructor(
    private readonly db: Database,
    private readonly err: (s: string) => void,
  ) {}

  private text(relation: string, tuple: readonly Value[]): string {
    const cols = this.db.program.relations.get(relation)?.columns;
    return `${relation}(${tuple.map((v, i) => cell(v, cols?.[i]?.type)).join(", ")})`;
  }

  /**
   * The relation's rules (its facts included) as Soufflé numbers them from 1:
   * in the order written; for an eqrel, then its transitive and its symmetric
   * rule (its reflexive steps are transitive ones, see eqrelStep).
   */
  private rulesOf(relation: string) {
    const rules = this.db.program.rules.filter((r) => r.head.relation === relation);
    const closure = this.eqrelClosure(relation);
    if (!closure) return rules;
    return [...rules.filter((r) => !closure.includes(r)), closure[3]!, closure[2]!];
  }

  /** An eqrel's closure rules (lang/check/desugar.ts: reflexive from the left, from the right, symmetric, transitive), after its own. */
  private eqrelClosure(relation: string) {
    if (!this.db.program.relations.get(relation)?.qualifiers.includes("eqrel")) return undefined;
    return this.db.program.rules.filter((r) => r.head.relation === relation).slice(-4);
  }

  private node(p: Proof): Node {
    const text = this.text(p.relation, p.tuple);
    if (p.kind === "given" || (p.kind === "rule" && (p.premises?.length ?? 0) === 0 && (p.order?.length ?? 0) === 0))
      return { text, children: [] };
    if (p.kind === "cut") {
      let n = this.subproofs.findIndex((s) => s.relation === p.relation && JSON.stringify(s.tuple) === JSON.stringify(p.tuple));
      if (n < 0) n = this.subproofs.push({ relation: p.relation, tuple: p.tuple }) - 1;
      return { text: `subproof ${p.relation}(${n})`, children: [] };
    }
    // Atoms and negations in the order written, then the constraints.
    const first: Node[] = [];
    const last: Node[] = [];
    let premise = 0;
    let condition = 0;
    for (const k of p.order ?? []) {
      if (k === "premise") first.push(this.node(p.premises![premise++]!));
      else {
        const text = p.conditions![condition++]!;
        // An equality that only binds a variable is not a condition Soufflé shows.
        if (k !== "binding") (k === "negation" ? first : last).push({ text, children: [] });
      }
    }
    const rules = this.rulesOf(p.relation);
    const closure = this.eqrelClosure(p.relation)?.findIndex((r) => r.id === p.rule!.id) ?? -1;
    if (closure >= 0) return this.eqrelStep(p, text, closure, rules.length - 2);
    const number = rules.findIndex((r) => r.id === p.rule!.id) + 1;
    return { text, label: `(R${number})`, children: [...first, ...last] };
  }

  /**
   * A step of an eqrel's closure (`closure`, its index in eqrelClosure()) as
   * Soufflé proves it: by its two rules after the relation's own `written`,
   * transitive then symmetric.
   * A reflexive step `r(x, x)` from `r(x, a)` is the transitive step from
   * `r(x, a)` and `r(a, x)`, that one symmetric from `r(x, a)` (and so from
   * `r(a, x)` for the other side).
   */
  private eqrelStep(p: Proof, text: string, closure: number, written: number): Node {
    const transitive = `(R${written + 1})`;
    const symmetric = `(R${written + 2})`;
    const premises = (p.premises ?? []).map((q) => this.node(q));
    if (closure === 3) return { text, label: transitive, children: premises };
    if (closure === 2) return { text, label: symmetric, children: premises };
    const [u, v] = p.premises![0]!.tuple;
    const flipped: Node = { text: this.text(p.relation, [v!, u!]), label: symmetric, children: premises };
    return { text, label: transitive, children: closure === 0 ? [premises[0]!, flipped] : [flipped, premises[0]!] };
  }

  private explain(relation: string, tuple: readonly Value[], texts?: readonly string[]): string {
    if (!this.db.program.relations.has(relation)) return "Relation not found\n";
    const answer = this.db.explain(relation, factTuple(this.db, relation, tuple, texts), { depth: this.depth - 1 });
    if (answer.kind === "absent") return "Tuple not found\n";
    return drawTree(this.node(answer));
  }

  /** Runs the program to its fixpoint, once, for the commands that read it. */
  private fixpoint(): void {
    if (!this.ran) {
      this.db.runSync();
      this.ran = true;
    }
  }

  /** Whether the fact `relation(values)` holds at the fixpoint, `undefined` standing for any value. */
  private holds(relation: string, values: readonly (Value | undefined)[]): boolean {
    this.fixpoint();
    return this.db.tuples(relation).some((t) => values.every((v, i) => v === undefined || t[i] === v));
  }

  private ran = false;

  /**
   * `explainnegation rel(args)`: reads the rule's number, then a value for
   * each variable of its body that its head does not bind; shows each body
   * literal with those values, ✓ where it holds and x where it fails.
   */
  private explainNegation(rest: string, next: () => string | undefined): string {
    let fact: ReturnType<typeof parseFact>;
    try {
      fact = parseFact(rest);
    } catch (e) {
      if (!(e instanceof QueryError)) throw e;
      this.err('Usage: explainnegation relation_name("<string element1>", <number element2>, ...)\n');
      return "";
    }
    const rules = this.rulesOf(fact.relation);
    if (rules.length === 0) return "";
    const rule = rules[Number(next()?.trim()) - 1];
    if (!rule) return "";
    const tuple = factTuple(this.db, fact.relation, fact.args, fact.texts);
    if (this.holds(fact.relation, tuple) || rule.body.length === 0) return "";
    const raw = rest
      .slice(rest.indexOf("(") + 1, rest.lastIndexOf(")"))
      .split(",")
      .map((a) => a.trim());
    const text = new Map<string, string>();
    const value = new Map<string, Value>();
    rule.head.args.forEach((a, i) => {
      if (a.kind !== "var") return;
      text.set(a.name, raw[i] ?? "");
      value.set(a.name, tuple[i]!);
    });
    const typed = (v: string, type: string): Value => (type === "symbol" ? v.replace(/^"(.*)"$/, "$1") : Number(v));
    // Atoms and negations first, then the constraints, each in the order written.
    const literals = [
      ...rule.body.filter((l) => l.kind === "atom" || l.kind === "negation"),
      ...rule.body.filter((l) => l.kind === "compare"),
    ];
    for (const l of literals) {
      const args = l.kind === "atom" ? l.args : l.kind === "negation" ? l.atom.args : [l.left, l.right];
      for (const a of args) {
        if (a.kind !== "var" || text.has(a.name)) continue;
        const v = next()?.trim() ?? "";
        text.set(a.name, v);
        value.set(a.name, typed(v, a.type));
      }
    }
    const children: Node[] = [];
    for (const l of literals) {
      if (l.kind === "compare") {
        const side = (t: MTerm) => (t.kind === "var" ? value.get(t.name) : t.kind === "const" ? t.value : undefined);
        const [a, b] = [side(l.left), side(l.right)];
        const show = (t: MTerm) => (t.kind === "var" ? (text.get(t.name) ?? "") : printTerm(t));
        children.push({
          text: `${show(l.left)} ${l.op} ${show(l.right)} ${a !== undefined && b !== undefined && compare(l.op, a, b) ? "✓" : "x"}`,
          children: [],
        });
        continue;
      }
      const atom = l.kind === "atom" ? l : l.atom;
      const values = atom.args.map((t) => (t.kind === "var" ? value.get(t.name) : t.kind === "const" ? t.value : undefined));
      const present = this.holds(atom.relation, values);
      const shown =
        l.kind === "negation"
          ? `!${atom.relation}()`
          : `${atom.relation}(${atom.args.map((t) => (t.kind === "var" ? (text.get(t.name) ?? "") : printTerm(t))).join(", ")})`;
      children.push({ text: `${shown} ${present === (l.kind === "atom") ? "✓" : "x"}`, children: [] });
    }
    const number = rules.indexOf(rule) + 1;
    return drawTree({ text: `${fact.relation}(${raw.join(",")})`, label: `(R${number})`, children });
  }

  /**
   * `query rel(args), …`: atoms whose arguments are values or variables. An
   * atom without variables that does not hold answers `false.` (and names
   * it); with none of the atoms holding a variable, `true.`; otherwise each
   * answer a line, `x = v, y = w` (variables by name), the last ending in `.`
   * (`false.` for none), in the order Soufflé finds them: the rows of the
   * atoms with variables, atom by atom, each relation's in the order of its
   * encoded cells. After the second answer and each next one a line is read:
   * `;` goes on, `.` stops (the answer just found is not shown).
   */
  private query(rest: string, next: () => string | undefined): string {
    const usage = "Usage: query <relation1>(<element1>, <element2>, ...), <relation2>(<element1>, <element2>, ...), ...\n";
    let atoms: ParsedFact[];
    try {
      atoms = parseFacts(rest);
    } catch (e) {
      if (!(e instanceof QueryError)) throw e;
      this.err(usage);
      return "";
    }
    // `_` is a wildcard, as in a rule body.
    const isVar = (text: string) => text !== "_" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
    for (const a of atoms) {
      const info = this.db.program.relations.get(a.relation);
      if (!info) return `Relation <${a.relation}> does not exist\n`;
      if (info.columns.length !== a.args.length) return `<${a.relation}> has arity of ${info.columns.length}\n`;
    }
    this.fixpoint();
    const withVars = atoms.filter((a) => a.texts.some(isVar));
    for (const a of atoms) {
      if (withVars.includes(a)) continue;
      const tuple = factTuple(this.db, a.relation, a.args, a.texts);
      if (
        !this.holds(
          a.relation,
          tuple.map((v, i) => (a.texts[i] === "_" ? undefined : v)),
        )
      )
        return `false.\nTuple ${a.relation}(${a.texts.join(", ")}) does not exist\n`;
    }
    if (withVars.length === 0) return "true.\n";
    let answers: Binding[];
    try {
      answers = this.db.query(rest);
    } catch (e) {
      if (!(e instanceof CairnError)) throw e;
      this.err(renderDiagnostics(e.diagnostics, e.sources));
      return "";
    }
    // Each variable's column, where it first occurs: its type for showing and ordering its values.
    const columns = new Map<string, { type: string; structured: boolean }>();
    for (const a of withVars) {
      const cols = this.db.program.relations.get(a.relation)!.columns;
      a.texts.forEach((t, i) => {
        if (isVar(t) && !columns.has(t)) columns.set(t, { type: cols[i]!.type, structured: cols[i]!.structured !== undefined });
      });
    }
    // Soufflé's order: the atoms' rows in order, each compared cell by cell as signed 32-bit integers.
    const symbols = this.db.runner.symbols;
    const cellOf = (name: string, v: Value): number | string => {
      const c = columns.get(name)!;
      if (c.structured || Array.isArray(v)) return String(v);
      return encode(c.type as "number", v, symbols) | 0;
    };
    const keys = answers.map((b) => withVars.flatMap((a) => a.texts.filter(isVar).map((t) => cellOf(t, b[t]!))));
    const order = answers.map((_, i) => i);
    order.sort((x, y) => {
      const [kx, ky] = [keys[x]!, keys[y]!];
      for (let i = 0; i < kx.length; i++) {
        const [a, b] = [kx[i]!, ky[i]!];
        if (a !== b) return a < b ? -1 : 1;
      }
      return 0;
    });
    const names = [...columns.keys()].sort();
    const shown = (name: string, v: Value) => {
      const c = columns.get(name)!;
      if (typeof v === "string") return v;
      if (c.type === "float" && typeof v === "number") return formatFloat(v);
      return cell(v, undefined);
    };
    const line = (b: Binding) => names.map((n) => `${n} = ${shown(n, b[n]!)}`).join(", ");
    if (order.length === 0) return "false.\n";
    let out = "";
    for (let k = 0; k < order.length; k++) {
      if (k === order.length - 1) return `${out}${line(answers[order[k]!]!)}.\n`;
      out += `${line(answers[order[k]!]!)}\n`;
      // Soufflé asks before going past the second answer and each after it.
      for (;;) {
        const input = next();
        if (input === undefined || input === ";") break;
        if (input === ".") return out;
        out += "use ; to find next solution, use . to break from current query\n";
      }
    }
    return out;
  }

  /** Runs one command line, reading its answers from `next`; returns what it prints, or undefined for `exit`. */
  command(line: string, next: () => string | undefined = () => undefined): string | undefined {
    const trimmed = line.trim();
    if (trimmed === "") return "";
    const space = trimmed.indexOf(" ");
    const [cmd, rest] = space < 0 ? [trimmed, ""] : [trimmed.slice(0, space), trimmed.slice(space + 1).trim()];
    switch (cmd) {
      case "exit":
      case "q":
      case "quit":
        return undefined;
      case "setdepth": {
        const n = Number(rest);
        if (!Number.isInteger(n)) this.err(`<${rest}> is not a valid depth\n`);
        else this.depth = n;
        return "";
      }
      case "explain":
      case "subproof": {
        let fact: ReturnType<typeof parseFact>;
        try {
          fact = parseFact(rest);
        } catch (e) {
          if (!(e instanceof QueryError)) throw e;
          this.err(`Usage: ${cmd} relation_name(${cmd === "explain" ? '"<string element1>", <number element2>, ...' : "<label>"})\n`);
          return "";
        }
        if (cmd === "explain") return this.explain(fact.relation, fact.args, fact.texts);
        const saved = this.subproofs[Number(fact.args[0])];
        if (!saved || saved.relation !== fact.relation) return "Subproof not found\n";
        return this.explain(saved.relation, saved.tuple);
      }
      case "explainnegation":
        return this.explainNegation(rest, next);
      case "query":
        if (rest === "") {
          this.err("Usage: query <relation1>(<element1>, <element2>, ...), <relation2>(<element1>, <element2>, ...), ...\n");
          return "";
        }
        return this.query(rest, next);
      default:
        this.err(
          `cairn: explain: the command "${cmd}" is not supported (explain, explainnegation, subproof, query, setdepth and exit are)\n`,
        );
        return "";
    }
  }

  /** Runs every command of `input` up to `exit`; returns what they print. */
  run(input: string): string {
    let out = "";
    const lines = input.split("\n");
    // The end of the last line is not a line of its own.
    if (lines.at(-1) === "") lines.pop();
    let at = 0;
    const next = () => lines[at++];
    while (at < lines.length) {
      const printed = this.command(next()!, next);
      if (printed === undefined) break;
      out += printed;
    }
    return out;
  }
}
