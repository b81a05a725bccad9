// Spells out a planned rule version (engine/plan/ir.ts) as specialised
// JavaScript: each operator of the pipeline becomes a loop, a block or an if
// around the code of the operators after it. Reads become loops over a row
// range or over a hash-index chain, with the index probe inlined; filters
// become plain comparisons; aggregates become inner loops with their result
// bound after them; the insert probes the head's unique index inline and calls
// into the relation only to append a new tuple. The rule's text stands in a
// comment above its code, and Datalog variables keep their names
// (engine/codegen/names.ts). What the code reads of a relation and an index is
// RuleRelation and RuleIndex (engine/codegen/rule-relation.ts).

import type { MTerm } from "../../lang/model.js";
import type { AggregateOp, Op, Range, Read, RulePlan } from "../plan/ir.js";
import { HASH_SEED, hashIdentifiesKey } from "../storage/hash.js";
import type { SymbolTable } from "../storage/symbols.js";
import { VariableNames } from "./names.js";
import { compileCompare, compileTerm, constCell } from "./term.js";

export interface IndexRequest {
  readonly relation: string;
  /** Indexed columns; all columns means the relation's unique index. */
  readonly columns: readonly number[];
}

export interface CompiledRule {
  /** Source of a factory `(R, I, fx, st, mix, finish) => run`. */
  readonly source: string;
  /** Relations referenced as R[i]. */
  readonly relations: readonly string[];
  /** Indexes referenced as I[i]. */
  readonly indexes: readonly IndexRequest[];
}

export interface CodegenContext {
  readonly symbols: SymbolTable;
  readonly arity: (relation: string) => number;
  /** The rule's text for the comment above its code. */
  readonly describe: (plan: RulePlan) => string;
}

class RuleWriter {
  private readonly relations: string[] = [];
  private readonly indexes: IndexRequest[] = [];
  private fresh = 0;
  private readonly names = new VariableNames();
  /** The update code of the aggregate whose pipeline is being written (its "accumulate"). */
  private accumulate: (() => string) | undefined;

  constructor(private readonly ctx: CodegenContext) {}

  private rel(name: string): string {
    let i = this.relations.indexOf(name);
    if (i < 0) {
      i = this.relations.length;
      this.relations.push(name);
    }
    return `$R${i}`;
  }

  private index(relation: string, columns: readonly number[]): string {
    const key = `${relation}/${columns.join(",")}`;
    let i = this.indexes.findIndex((r) => `${r.relation}/${r.columns.join(",")}` === key);
    if (i < 0) {
      i = this.indexes.length;
      this.indexes.push({ relation, columns });
    }
    return `$I${i}`;
  }

  private temp(prefix: string): string {
    return `$${prefix}${this.fresh++}`;
  }

  private term(t: MTerm): string {
    return compileTerm(t, { symbols: this.ctx.symbols, vars: this.names.view(), counter: "((st.counter += st.step) - st.step)" });
  }

  private bounds(R: string, range: Range): [string, string] {
    switch (range) {
      case "full":
        return ["0", `${R}hi`];
      case "delta":
        return [`${R}lo`, `${R}hi`];
      case "old":
        return ["0", `${R}lo`];
    }
  }

  /** The code of `ops` from `i` on; `cont` is written where the list ends. */
  ops(ops: readonly Op[], i: number, cont: () => string): string {
    if (i === ops.length) return cont();
    const op = ops[i]!;
    const next = () => this.ops(ops, i + 1, cont);
    switch (op.kind) {
      case "scan":
      case "probe":
        return this.read(op, next);
      case "filter":
        return this.filter(op, next);
      case "bind": {
        const value = this.term(op.term);
        const js = this.names.bind(op.variable);
        const inner = next();
        this.names.unbind(op.variable);
        return `{\nconst ${js} = ${value};\n${inner}}\n`;
      }
      case "range":
        return this.range(op, next);
      case "negation":
        return this.negation(op, next);
      case "aggregate":
        return this.aggregate(op, next);
      case "insert":
        return this.insert(op);
      case "accumulate":
        if (!this.accumulate) throw new Error("internal: accumulate outside an aggregate");
        return this.accumulate();
    }
  }

  private filter(op: Extract<Op, { kind: "filter" }>, next: () => string): string {
    const l = op.literal;
    if (l.kind === "compare") return `if ${compileCompare(l.op, l.type, this.term(l.left), this.term(l.right))} {\n${next()}}\n`;
    let cond: string;
    if (l.name === "true") cond = "true";
    else if (l.name === "false") cond = "false";
    // match() is 1, 0, or -1 for a bad pattern, which fails the literal either way (as in Soufflé).
    else if (l.name === "match")
      return `if (fx.match(${l.args.map((a) => this.term(a)).join(", ")}) === ${l.negated ? 0 : 1}) {\n${next()}}\n`;
    else cond = `fx.${l.name}(${l.args.map((a) => this.term(a)).join(", ")})`;
    return `if (${l.negated ? "!" : ""}${cond}) {\n${next()}}\n`;
  }

  /** `x = range(…)`: a loop over the range's values (engine/eval/range.ts). */
  private range(op: Extract<Op, { kind: "range" }>, next: () => string): string {
    const [plan, k, x] = [this.temp("rp"), this.temp("rk"), this.temp("rx")];
    const args = op.args.map((a) => this.term(a)).join(", ");
    const cell = op.type === "float" ? `fx.fb(${x})` : `((${plan}[0] + ${k} * ${plan}[1]) | 0)`;
    const step = op.type === "float" ? `, ${x} = Math.fround(${x} + ${plan}[1])` : "";
    const head =
      `const ${plan} = fx.range(${JSON.stringify(op.type)}, ${args});\n` +
      `for (let ${k} = 0, ${x} = ${plan}[0]; ${k} < ${plan}[2]; ${k}++${step}) {\n`;
    let inner: string;
    if (op.variable !== undefined) {
      const v = this.names.bind(op.variable);
      inner = `const ${v} = ${cell};\n${next()}`;
      this.names.unbind(op.variable);
    } else {
      const v = this.temp("v");
      inner = `const ${v} = ${cell};\nif ${compileCompare("=", op.type, this.term(op.equals!), v)} {\n${next()}}\n`;
    }
    return `{\n${head}${inner}}\n}\n`;
  }

  /** Inline open-addressing probe of index I for `keys`; leaves the newest matching row (or -1) in `row`. */
  private lookup(R: string, I: string, arity: number, cols: readonly number[], keys: readonly string[], row: string): string {
    let h = String(HASH_SEED);
    for (const k of keys) h = `mix(${h}, ${k})`;
    const [s, e, d, hv] = [this.temp("s"), this.temp("e"), this.temp("d"), this.temp("h")];
    // A one-column key's hash identifies it (engine/storage/hash.ts): no row is read to compare.
    const same = hashIdentifiesKey(cols.length)
      ? ""
      : ` && ${cols.map((c, i) => `${d}[${e} * ${arity} - ${arity - c}] === ${keys[i]}`).join(" && ")}`;
    return (
      `let ${row} = -1;\n{\nconst ${d} = ${R}.data, $sl = ${I}.slots, $m = ${I}.mask;\n` +
      `const ${hv} = finish(${h});\nlet ${s} = ${hv} & $m;\n` +
      `for (;;) { const ${e} = $sl[2 * ${s}]; if (${e} === 0) break; if ($sl[2 * ${s} + 1] === ${hv}${same}) { ${row} = ${e} - 1; break; } ${s} = (${s} + 1) & $m; }\n}\n`
    );
  }

  /** Declares the key cells of a probe; returns their code and names. */
  private keyCells(keys: readonly MTerm[]): { code: string; names: string[] } {
    let code = "";
    const names: string[] = [];
    for (const t of keys) {
      const k = this.temp("k");
      code += `const ${k} = ${this.term(t)};\n`;
      names.push(k);
    }
    return { code, names };
  }

  private read(op: Read & { kind: "scan" | "probe" }, next: () => string): string {
    const arity = this.ctx.arity(op.relation);
    const R = this.rel(op.relation);
    const [lo, hi] = this.bounds(R, op.range);
    const [r, b, d] = [this.temp("r"), this.temp("b"), this.temp("d")];
    // The row's columns: bind, or compare and skip the row.
    let row = `${op.lattice ? `if (${R}.dead[${r}] === 1) continue;\n` : ""}const ${b} = ${r} * ${arity}, ${d} = ${R}.data;\n`;
    const boundHere: string[] = [];
    for (const u of op.columns) {
      if (u.kind === "check") row += `if (${d}[${b} + ${u.column}] !== ${this.term(u.term)}) continue;\n`;
      else {
        row += `const ${this.names.bind(u.variable)} = ${d}[${b} + ${u.column}];\n`;
        boundHere.push(u.variable);
      }
    }
    // An existence check leaves nothing bound: the rest runs once, after the loop found a match.
    if (op.exists) for (const v of boundHere) this.names.unbind(v);
    const inner = next();
    if (!op.exists) for (const v of boundHere) this.names.unbind(v);
    const ok = this.temp("ok");
    const body = op.exists ? `${row}${ok} = true;\nbreak;\n` : `${row}${inner}`;
    const wrap = (loop: string) => (op.exists ? `{\nlet ${ok} = false;\n${loop}if (${ok}) {\n${inner}}\n}\n` : loop);
    if (op.kind === "scan") return wrap(`for (let ${r} = ${lo}; ${r} < ${hi}; ${r}++) {\n${body}}\n`);
    const I = this.index(op.relation, op.index);
    const found = this.temp("f");
    const keys = this.keyCells(op.keys);
    let code = `{\n${keys.code}${this.lookup(R, I, arity, op.index, keys.names, found)}`;
    if (op.unique) {
      // At most one row: a loop of one iteration, so that the row's checks may `continue` as in any read.
      code += wrap(`for (let ${r} = ${found}; ${r} >= ${lo} && ${r} < ${hi}; ${r} = -1) {\n${body}}\n`);
    } else {
      const nx = this.temp("nx");
      code += wrap(
        `const ${nx} = ${I}.next;\nfor (let ${r} = ${found}; ${r} >= 0; ${r} = ${nx}[${r}]) {\nif (${r} >= ${hi}) continue;\nif (${r} < ${lo}) break;\n${body}}\n`,
      );
    }
    return `${code}}\n`;
  }

  private negation(op: Extract<Op, { kind: "negation" }>, next: () => string): string {
    const arity = this.ctx.arity(op.relation);
    const R = this.rel(op.relation);
    const [lo, hi] = this.bounds(R, "full");
    const keys = this.keyCells(op.keys);
    let code = keys.code;
    let valueCheck = "";
    if (op.value) {
      const v = this.temp("k");
      code += `const ${v} = ${this.term(op.value)};\n`;
      valueCheck = ` && ${R}.data[$x * ${arity} + ${arity - 1}] === ${v}`;
    }
    const liveCheck = op.lattice ? ` && ${R}.dead[$x] === 0` : "";
    const row = this.temp("r");
    if (op.index.length === 0) {
      code += `let ${row} = -1;\nfor (let $x = ${lo}; $x < ${hi}; $x++) if (true${liveCheck}${valueCheck}) { ${row} = $x; break; }\n`;
    } else {
      const I = this.index(op.relation, op.index);
      code += this.lookup(R, I, arity, op.index, keys.names, row);
      if (op.unique) code += `if (${row} < ${lo} || ${row} >= ${hi}) ${row} = -1;\n`;
      else
        code += `for (let $x = ${row}; ; $x = ${I}.next[$x]) { if ($x < ${lo}) { ${row} = -1; break; } if ($x < ${hi}${liveCheck}${valueCheck}) { ${row} = $x; break; } }\n`;
    }
    return `{\n${code}if (${row} < 0) {\n${next()}}\n}\n`;
  }

  private aggregate(op: AggregateOp, next: () => string): string {
    const [acc, n, seen] = [this.temp("acc"), this.temp("n"), this.temp("seen")];
    const witnesses = op.witnesses?.variables ?? [];
    const type = op.target?.type ?? "number";
    // The value ranges over all bindings of the body: a witness bound earlier (by another aggregate) is not fixed here.
    const hidden = this.names.hide(witnesses);
    const update = (): string => {
      let code: string;
      if (op.fn === "count") code = `${n}++;\n`;
      else {
        const t = this.term(op.target!);
        switch (op.fn) {
          case "sum":
            code = type === "float" ? `${acc} = Math.fround(${acc} + fx.fv(${t})); ${n}++;\n` : `${acc} = (${acc} + ${t}) | 0; ${n}++;\n`;
            break;
          case "mean":
            code = `${acc} += ${type === "float" ? `fx.fv(${t})` : type === "unsigned" ? `(${t} >>> 0)` : t}; ${n}++;\n`;
            break;
          default: {
            const x = this.temp("x");
            const better = compileCompare(op.fn === "min" ? "<" : ">", type, x, acc);
            code = `{ const ${x} = ${t}; if (${n} === 0 || ${better}) ${acc} = ${x}; ${n}++; }\n`;
          }
        }
      }
      if (!op.distinct) return code;
      const cells = op.distinct.map((v) => this.names.get(v)!);
      const key = cells.length === 0 ? "0" : cells.length === 1 ? cells[0]! : `\`${cells.map((c) => `\${${c}}`).join(",")}\``;
      const k = this.temp("key");
      return `{ const ${k} = ${key}; if (!${seen}.has(${k})) { ${seen}.add(${k});\n${code}} }\n`;
    };
    const saved = this.accumulate;
    this.accumulate = update;
    const loops = this.ops(op.body, 0, () => "");
    this.accumulate = saved;
    this.names.restore(hidden);
    let result: string;
    let guard = "";
    switch (op.fn) {
      case "count":
        result = n;
        break;
      case "sum":
        result = type === "float" ? `fx.fb(${acc})` : acc;
        break;
      case "mean":
        result = `fx.fb(${acc} / ${n})`;
        guard = `${n} > 0`;
        break;
      default:
        result = acc;
        guard = `${n} > 0`;
        break;
    }
    const js = this.names.bind(op.variable);
    const inner = op.witnesses ? this.witnesses(op, js, next) : next();
    this.names.unbind(op.variable);
    const body = `const ${js} = ${result};\n${inner}`;
    const init = op.distinct ? `, ${seen} = new Set()` : "";
    return `{\nlet ${acc} = 0, ${n} = 0${init};\n${loops}${guard ? `if (${guard}) {\n${body}}\n` : body}}\n`;
  }

  /** The witness pipeline: the body again, and the rest of the rule inside it, seeing only the witnesses. */
  private witnesses(op: AggregateOp, result: string, next: () => string): string {
    const w = op.witnesses!;
    const before = new Set(this.names.names());
    if (w.preset !== undefined) this.names.alias(w.preset, result);
    const code = this.ops(w.body, 0, () => {
      const locals = this.names.names().filter((v) => !before.has(v) && !w.variables.includes(v));
      const hidden = this.names.hide(locals);
      const inner = next();
      this.names.restore(hidden);
      return inner;
    });
    if (w.preset !== undefined) this.names.unbind(w.preset);
    return code;
  }

  /** The head: a lattice tuple goes to the relation's join; a plain one is probed for inline (most are repeats). */
  private insert(op: Extract<Op, { kind: "insert" }>): string {
    const H = this.rel(op.relation);
    const arity = op.args.length;
    if (op.lattice || arity === 0) {
      return `${op.args.map((t, c) => `${H}.tmp[${c}] = ${this.term(t)};\n`).join("")}${H}.add();\n`;
    }
    const cells = op.args.map(() => this.temp("a"));
    let code = op.args.map((t, c) => `const ${cells[c]} = ${this.term(t)};\n`).join("");
    let hash = String(HASH_SEED);
    for (const c of cells) hash = `mix(${hash}, ${c})`;
    const [hv, s, e, d] = [this.temp("h"), this.temp("s"), this.temp("e"), this.temp("d")];
    const same = hashIdentifiesKey(arity) ? "" : ` && ${cells.map((c, i) => `${d}[${e} * ${arity} - ${arity - i}] === ${c}`).join(" && ")}`;
    code +=
      `const ${hv} = finish(${hash});\n` +
      `{\nconst $sl = ${H}.unique.slots, $m = ${H}.unique.mask, ${d} = ${H}.data;\nlet ${s} = ${hv} & $m;\n` +
      `for (;;) {\nconst ${e} = $sl[2 * ${s}];\n` +
      `if (${e} === 0) { ${cells.map((c, i) => `${H}.tmp[${i}] = ${c}; `).join("")}${H}.appendAt(${s}, ${hv}); break; }\n` +
      `if ($sl[2 * ${s} + 1] === ${hv}${same}) break;\n${s} = (${s} + 1) & $m;\n}\n}\n`;
    return code;
  }

  finish(plan: RulePlan, body: string): CompiledRule {
    const comment = this.ctx
      .describe(plan)
      .split("\n")
      .map((l) => `// ${l}\n`)
      .join("");
    const decl = [
      ...this.relations.map((_, i) => `const $R${i} = R[${i}];`),
      ...this.indexes.map((_, i) => `const $I${i} = I[${i}];`),
    ].join("\n");
    const ranges = this.relations.map((_, i) => `const $R${i}lo = $R${i}.stableEnd, $R${i}hi = $R${i}.deltaEnd;\n`).join("");
    const source = `${comment}${decl}\nreturn function run() {\n${ranges}${body}};\n`;
    return { source, relations: this.relations, indexes: this.indexes };
  }
}

/** The generated code of a planned rule version. */
export function generateRule(plan: RulePlan, ctx: CodegenContext): CompiledRule {
  const w = new RuleWriter(ctx);
  const body = w.ops(plan.ops, 0, () => "");
  return w.finish(plan, body);
}

export { constCell };
