// Compiles one version of a rule to specialised JavaScript: nested loops over
// row ranges and hash-index chains, filters as plain comparisons, aggregates as
// inner loops, and an insertion into the head relation. The join order is
// chosen greedily: the delta atom first, then the atom with the most bound
// columns, with every filter placed as soon as its variables are bound. A min
// or max with witnesses loops over its body a second time, for the bindings
// that attain the result, and runs the rest of the rule inside that loop.

import type { BaseType, MAtom, MLiteral, MTerm, Rule } from "../../lang/model.js";
import { literalVars as litVars, termVars } from "../../lang/model-terms.js";
import { compileCompare, compileTerm, constCell, type TermContext } from "./term.js";
import { HASH_SEED, hashIdentifiesKey } from "../storage/hash.js";
import type { SymbolTable } from "../storage/symbols.js";

/** Which rows of a body atom's relation a rule version reads. */
export type Range = "full" | "delta" | "old";

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

type Item =
  | { readonly kind: "lit"; readonly lit: MLiteral; readonly range: Range }
  | {
      readonly kind: "agg";
      readonly name: string;
      readonly agg: Extract<MTerm, { kind: "aggregate" }>;
      readonly outer: ReadonlySet<string>;
    };

/**
 * Whether a count, sum or mean ranges over the distinct bindings of its body's own variables rather
 * than over matching tuples: as in Soufflé, which turns a body of several atoms, or with a nested
 * aggregate, or whose one atom repeats a variable, into a relation of those variables.
 */
function countsDistinct(agg: Extract<MTerm, { kind: "aggregate" }>): boolean {
  if (agg.fn === "min" || agg.fn === "max") return false;
  const atoms = agg.body.filter((l): l is MAtom => l.kind === "atom");
  if (atoms.length > 1) return true;
  let nested = false;
  const visit = (t: MTerm): void => {
    if (t.kind === "aggregate") nested = true;
    else if (t.kind === "binary") {
      visit(t.left);
      visit(t.right);
    } else if (t.kind === "unary") visit(t.operand);
    else if (t.kind === "cast") visit(t.term);
    else if (t.kind === "call") t.args.forEach(visit);
  };
  if (agg.target) visit(agg.target);
  for (const l of agg.body) {
    if (l.kind === "atom" || l.kind === "test") l.args.forEach(visit);
    else if (l.kind === "negation") l.atom.args.forEach(visit);
    else {
      visit(l.left);
      visit(l.right);
    }
  }
  if (nested) return true;
  const atom = atoms[0];
  if (!atom) return false;
  const names: string[] = [];
  const occurrences = (t: MTerm): void => {
    if (t.kind === "var") names.push(t.name);
    else if (t.kind === "binary") {
      occurrences(t.left);
      occurrences(t.right);
    } else if (t.kind === "unary") occurrences(t.operand);
    else if (t.kind === "cast") occurrences(t.term);
    else if (t.kind === "call") t.args.forEach(occurrences);
  };
  atom.args.forEach(occurrences);
  return new Set(names).size < names.length;
}

/** The aggregate's own variables (not those of nested aggregates, not helpers), sorted: the key of a binding. */
function distinctKey(items: readonly Item[], scope: ReadonlySet<string>): string[] {
  const vars = new Set<string>();
  for (const it of items) if (it.kind === "lit") litVars(it.lit, vars);
  return [...vars].filter((v) => !scope.has(v) && !v.startsWith("$")).sort();
}

export interface RuleCompileOptions {
  readonly symbols: SymbolTable;
  /** Range of each top-level body literal (by index); atoms not listed read "full". */
  readonly ranges?: ReadonlyMap<number, Range>;
  /** Body index of the delta atom, placed first in the join order (unless `order` says otherwise). */
  readonly deltaAtom?: number;
  /** Body indices of the atoms in the order to join them (a rule's `.plan`); filters still go as early as they can. */
  readonly order?: readonly number[];
  readonly arity: (relation: string) => number;
  /** Whether the relation's last column is a lattice value (never a key column; dead rows skipped). */
  readonly isLattice: (relation: string) => boolean;
}

class RuleCompiler {
  private readonly relations: string[] = [];
  private readonly indexes: IndexRequest[] = [];
  private readonly prelude: string[] = [];
  private fresh = 0;
  private readonly vars = new Map<string, string>();
  /** Variables the continuation (head or aggregate update) reads. */
  contNeeded: ReadonlySet<string> = new Set();
  /** Whether an atom whose bindings nothing reads may stop at its first match (not under count/sum/mean). */
  existential = true;
  /** The body's atoms in the order a plan gives, as items (see RuleCompileOptions.order). */
  planned: readonly Item[] = [];

  constructor(private readonly opts: RuleCompileOptions) {}

  private rel(name: string): string {
    let i = this.relations.indexOf(name);
    if (i < 0) {
      i = this.relations.length;
      this.relations.push(name);
    }
    return `R${i}`;
  }

  private index(relation: string, columns: readonly number[]): string {
    const key = `${relation}/${columns.join(",")}`;
    let i = this.indexes.findIndex((r) => `${r.relation}/${r.columns.join(",")}` === key);
    if (i < 0) {
      i = this.indexes.length;
      this.indexes.push({ relation, columns });
    }
    return `I${i}`;
  }

  private name(prefix: string): string {
    return `${prefix}${this.fresh++}`;
  }

  private ctx(): TermContext {
    return { symbols: this.opts.symbols, vars: this.vars, counter: "(st.counter++)" };
  }

  private term(t: MTerm): string {
    return compileTerm(t, this.ctx());
  }

  /** Replaces aggregates inside `t` by fresh variables, collecting them as items. */
  liftAggregates(t: MTerm, items: Item[], outside: ReadonlySet<string>): MTerm {
    switch (t.kind) {
      case "aggregate": {
        const name = `$agg${this.fresh++}`;
        // Witnesses occur outside too, but the aggregate binds them.
        const inner = termVars(t, new Set());
        const outer = new Set([...inner].filter((v) => outside.has(v) && !t.witnesses?.includes(v)));
        items.push({ kind: "agg", name, agg: t, outer });
        return { kind: "var", name, type: t.type, span: t.span };
      }
      case "binary":
        return { ...t, left: this.liftAggregates(t.left, items, outside), right: this.liftAggregates(t.right, items, outside) };
      case "unary":
        return { ...t, operand: this.liftAggregates(t.operand, items, outside) };
      case "cast":
        return { ...t, term: this.liftAggregates(t.term, items, outside) };
      case "call":
        return { ...t, args: t.args.map((a) => this.liftAggregates(a, items, outside)) };
      default:
        return t;
    }
  }

  /** Normalises a conjunction: aggregates lifted out, complex atom arguments bound through equalities. */
  normalise(
    body: readonly MLiteral[],
    ranges: ReadonlyMap<number, Range> | undefined,
    extraOutside: readonly MTerm[],
    scope: ReadonlySet<string>,
  ): { items: Item[]; delta?: Item; byIndex: ReadonlyMap<number, Item> } {
    const items: Item[] = [];
    let delta: Item | undefined;
    const byIndex = new Map<number, Item>();
    body.forEach((lit, i) => {
      const outside = new Set(scope);
      body.forEach((other, j) => {
        if (j !== i) litVars(other, outside);
      });
      for (const t of extraOutside) termVars(t, outside);
      const lift = (t: MTerm) => this.liftAggregates(t, items, outside);
      let l: MLiteral;
      if (lit.kind === "atom") {
        const args = lit.args.map((a, k) => {
          if (a.kind === "var" || a.kind === "wildcard" || a.kind === "const") return a;
          const name = `$arg${this.fresh++}`;
          const v: MTerm = { kind: "var", name, type: a.type, span: a.span };
          // Variables of the atom's other arguments are outside an aggregate written in this one.
          const own = new Set(outside);
          lit.args.forEach((other, j) => {
            if (j !== k) termVars(other, own);
          });
          const right = this.liftAggregates(a, items, own);
          items.push({ kind: "lit", lit: { kind: "compare", op: "=", type: a.type, left: v, right, span: a.span }, range: "full" });
          return v;
        });
        l = { ...lit, args };
      } else if (lit.kind === "compare") {
        l = { ...lit, left: lift(lit.left), right: lift(lit.right) };
      } else if (lit.kind === "test") {
        l = { ...lit, args: lit.args.map(lift) };
      } else {
        l = lit;
      }
      const item: Item = { kind: "lit", lit: l, range: ranges?.get(i) ?? "full" };
      if (i === this.opts.deltaAtom) delta = item;
      byIndex.set(i, item);
      items.push(item);
    });
    return { items, delta, byIndex };
  }

  private isBound(t: MTerm): boolean {
    for (const v of termVars(t, new Set())) if (!this.vars.has(v)) return false;
    return true;
  }

  /** An unbound variable that an equality may bind; an aggregate's result is bound only by its aggregate. */
  private bindable(t: MTerm): boolean {
    return t.kind === "var" && !this.vars.has(t.name) && !t.name.startsWith("$agg");
  }

  /** Whether some pending atom mentions variable `name`. */
  private inPendingAtom(name: string, items: readonly Item[]): boolean {
    return items.some((it) => it.kind === "lit" && it.lit.kind === "atom" && it.lit.args.some((a) => a.kind === "var" && a.name === name));
  }

  private ready(item: Item, items: readonly Item[]): boolean {
    if (item.kind === "agg") return [...item.outer].every((v) => this.vars.has(v));
    const l = item.lit;
    switch (l.kind) {
      case "atom":
        return false;
      case "negation":
        return l.atom.args.every((a) => a.kind === "wildcard" || this.isBound(a));
      case "test":
        return l.args.every((a) => this.isBound(a));
      case "compare":
        if (this.isBound(l.left) && this.isBound(l.right)) return true;
        if (l.op !== "=") return false;
        // Float equality is not bit equality (0.0 = -0.0): let an atom bind the variable instead.
        if (l.type === "float") {
          const v = l.left.kind === "var" ? l.left.name : l.right.kind === "var" ? l.right.name : "";
          if (this.inPendingAtom(v, items)) return false;
        }
        return (this.bindable(l.left) && this.isBound(l.right)) || (this.bindable(l.right) && this.isBound(l.left));
    }
  }

  private atomScore(a: MAtom): number {
    let bound = 0;
    for (const t of a.args) if (t.kind === "const" || (t.kind === "var" && this.vars.has(t.name))) bound++;
    return bound === a.args.length ? 1000 : bound;
  }

  /** Emits code for the conjunction `items`, then `cont` innermost. */
  emit(items: readonly Item[], first: Item | undefined, cont: () => string): string {
    if (items.length === 0) return cont();
    const readyIdx = items.findIndex((it) => this.ready(it, items));
    if (readyIdx >= 0) {
      const rest = items.filter((_, i) => i !== readyIdx);
      const it = items[readyIdx]!;
      return it.kind === "agg" ? this.emitAggregate(it, rest, cont) : this.emitFilter(it.lit, rest, cont);
    }
    let pick = this.planned.find((it) => items.includes(it)) ?? (first && items.includes(first) ? first : undefined);
    if (!pick) {
      let best = -1;
      for (const it of items) {
        if (it.kind !== "lit" || it.lit.kind !== "atom") continue;
        const s = this.atomScore(it.lit);
        if (s > best) {
          best = s;
          pick = it;
        }
      }
    }
    if (!pick) {
      const left = items.map((it) => (it.kind === "agg" ? "aggregate" : it.lit.kind)).join(", ");
      throw new Error(`internal: cannot order the body literals (${left}); a variable is not grounded`);
    }
    const rest = items.filter((it) => it !== pick);
    const p = pick as Extract<Item, { kind: "lit" }>;
    return this.emitAtom(p.lit as MAtom, p.range, rest, cont);
  }

  /**
   * `left = range(…)`: a loop over the range's values (engine/eval/range.ts), binding `left` when it is an
   * unbound variable and otherwise keeping the value equal to it.
   */
  private emitRange(left: MTerm, gen: Extract<MTerm, { kind: "call" }>, rest: readonly Item[], cont: () => string): string {
    const type = gen.type;
    const plan = this.name("rp");
    const k = this.name("rk");
    const x = this.name("rx");
    const v = this.name("v");
    const args = gen.args.map((a) => this.term(a)).join(", ");
    const cell = type === "float" ? `fx.fb(${x})` : `((${plan}[0] + ${k} * ${plan}[1]) | 0)`;
    const step = type === "float" ? `, ${x} = Math.fround(${x} + ${plan}[1])` : "";
    const head =
      `const ${plan} = fx.range(${JSON.stringify(type)}, ${args});\n` +
      `for (let ${k} = 0, ${x} = ${plan}[0]; ${k} < ${plan}[2]; ${k}++${step}) {\nconst ${v} = ${cell};\n`;
    let inner: string;
    if (this.bindable(left)) {
      const name = (left as { name: string }).name;
      this.vars.set(name, v);
      inner = this.emit(rest, undefined, cont);
      this.vars.delete(name);
    } else {
      inner = `if ${compileCompare("=", type, this.term(left), v)} {\n${this.emit(rest, undefined, cont)}}\n`;
    }
    return `{\n${head}${inner}}\n}\n`;
  }

  private emitFilter(l: MLiteral, rest: readonly Item[], cont: () => string): string {
    switch (l.kind) {
      case "compare": {
        if (l.right.kind === "call" && l.right.name === "range") return this.emitRange(l.left, l.right, rest, cont);
        if (l.op === "=" && !(this.isBound(l.left) && this.isBound(l.right))) {
          const [v, e] = this.bindable(l.left) && this.isBound(l.right) ? [l.left, l.right] : [l.right, l.left];
          const js = this.name("v");
          const code = `const ${js} = ${this.term(e)};\n`;
          this.vars.set((v as { name: string }).name, js);
          const inner = this.emit(rest, undefined, cont);
          this.vars.delete((v as { name: string }).name);
          return `{\n${code}${inner}}\n`;
        }
        const cond = compileCompare(l.op, l.type, this.term(l.left), this.term(l.right));
        return `if ${cond} {\n${this.emit(rest, undefined, cont)}}\n`;
      }
      case "test": {
        let cond: string;
        if (l.name === "true") cond = "true";
        else if (l.name === "false") cond = "false";
        else if (l.name === "match") {
          // match() is 1, 0, or -1 for a bad pattern, which fails the literal either way (as in Soufflé).
          cond = `fx.match(${l.args.map((a) => this.term(a)).join(", ")}) === ${l.negated ? 0 : 1}`;
          return `if (${cond}) {\n${this.emit(rest, undefined, cont)}}\n`;
        } else cond = `fx.${l.name}(${l.args.map((a) => this.term(a)).join(", ")})`;
        return `if (${l.negated ? "!" : ""}${cond}) {\n${this.emit(rest, undefined, cont)}}\n`;
      }
      case "negation": {
        const found = this.emitProbe(l.atom, "full");
        return `{\n${found.code}if (${found.row} < 0) {\n${this.emit(rest, undefined, cont)}}\n}\n`;
      }
      case "atom":
        throw new Error("internal: atoms are not filters");
    }
  }

  /** Code that sets `row` to a matching row of a fully bound (up to wildcards) atom, or -1. */
  private emitProbe(a: MAtom, range: Range): { code: string; row: string } {
    const arity = this.opts.arity(a.relation);
    const lattice = this.opts.isLattice(a.relation);
    const R = this.rel(a.relation);
    const cols: number[] = [];
    const keys: string[] = [];
    let code = "";
    let valueCheck = "";
    a.args.forEach((t, c) => {
      if (t.kind === "wildcard") return;
      const k = this.name("k");
      code += `const ${k} = ${this.term(t)};\n`;
      if (lattice && c === arity - 1) {
        valueCheck = ` && ${R}.data[__r * ${arity} + ${c}] === ${k}`;
        return;
      }
      cols.push(c);
      keys.push(k);
    });
    const row = this.name("r");
    const [lo, hi] = this.bounds(R, range);
    const liveCheck = lattice ? ` && ${R}.dead[__r] === 0` : "";
    if (cols.length === 0) {
      const cond = `${liveCheck}${valueCheck}`;
      return {
        code: `${code}let ${row} = -1;\nfor (let __r = ${lo}; __r < ${hi}; __r++) if (true${cond}) { ${row} = __r; break; }\n`,
        row,
      };
    }
    const I = this.index(a.relation, cols);
    code += this.lookup(R, I, arity, cols, keys, row);
    if (cols.length < arity) {
      code += `for (let __r = ${row}; ; __r = ${I}.next[__r]) { if (__r < ${lo}) { ${row} = -1; break; } if (__r < ${hi}${liveCheck}${valueCheck}) { ${row} = __r; break; } }\n`;
    } else {
      code += `if (${row} < ${lo} || ${row} >= ${hi}) ${row} = -1;\n`;
    }
    return { code, row };
  }

  private bounds(R: string, range: Range): [string, string] {
    switch (range) {
      case "full":
        return ["0", `${R}_hi`];
      case "delta":
        return [`${R}_lo`, `${R}_hi`];
      case "old":
        return ["0", `${R}_lo`];
    }
  }

  /** Inline open-addressing probe of index I for `keys`; leaves the newest matching row (or -1) in `row`. */
  private lookup(R: string, I: string, arity: number, cols: readonly number[], keys: readonly string[], row: string): string {
    let h = String(HASH_SEED);
    for (const k of keys) h = `mix(${h}, ${k})`;
    const s = this.name("s");
    const e = this.name("e");
    const d = this.name("d");
    // A one-column key's hash identifies it (engine/storage/hash.ts): no row is read to compare.
    const same = hashIdentifiesKey(cols.length)
      ? ""
      : ` && ${cols.map((c, i) => `${d}[${e} * ${arity} - ${arity - c}] === ${keys[i]}`).join(" && ")}`;
    const hv = this.name("h");
    return (
      `let ${row} = -1;\n{\nconst ${d} = ${R}.data, sl = ${I}.slots, m = ${I}.mask;\n` +
      `const ${hv} = finish(${h});\nlet ${s} = ${hv} & m;\n` +
      `for (;;) { const ${e} = sl[2 * ${s}]; if (${e} === 0) break; if (sl[2 * ${s} + 1] === ${hv}${same}) { ${row} = ${e} - 1; break; } ${s} = (${s} + 1) & m; }\n}\n`
    );
  }

  private emitAtom(a: MAtom, range: Range, rest: readonly Item[], cont: () => string): string {
    const arity = this.opts.arity(a.relation);
    const lattice = this.opts.isLattice(a.relation);
    const R = this.rel(a.relation);
    const [lo, hi] = this.bounds(R, range);
    const keyCols: number[] = [];
    const keys: string[] = [];
    let pre = "";
    a.args.forEach((t, c) => {
      if (lattice && c === arity - 1) return;
      if (t.kind === "const" || (t.kind === "var" && this.vars.has(t.name))) {
        const k = this.name("k");
        pre += `const ${k} = ${this.term(t)};\n`;
        keyCols.push(c);
        keys.push(k);
      }
    });
    const r = this.name("r");
    const b = this.name("b");
    const d = this.name("d");
    // Bind the free variables of this atom, checking repeated ones.
    let binds = `${lattice ? `if (${R}.dead[${r}] === 1) continue;\n` : ""}const ${b} = ${r} * ${arity}, ${d} = ${R}.data;\n`;
    const boundHere: string[] = [];
    a.args.forEach((t, c) => {
      if (t.kind === "const" && !keyCols.includes(c)) {
        binds += `if (${d}[${b} + ${c}] !== ${this.term(t)}) continue;\n`;
        return;
      }
      if (t.kind !== "var" || keyCols.includes(c)) return;
      const js = this.vars.get(t.name);
      if (js !== undefined) {
        binds += `if (${d}[${b} + ${c}] !== ${js}) continue;\n`;
      } else {
        const v = this.name("v");
        binds += `const ${v} = ${d}[${b} + ${c}];\n`;
        this.vars.set(t.name, v);
        boundHere.push(t.name);
      }
    });
    // An existence check: when nothing after this atom reads what it binds, the first match is enough.
    const later = new Set(this.contNeeded);
    for (const it of rest) it.kind === "agg" ? termVars(it.agg, later) : litVars(it.lit, later);
    const exists = this.existential && boundHere.every((v) => !later.has(v));
    if (exists) for (const v of boundHere) this.vars.delete(v);
    const inner = this.emit(rest, undefined, cont);
    for (const v of boundHere) this.vars.delete(v);
    const ok = this.name("ok");
    const body = exists ? `${binds}${ok} = true;\nbreak;\n` : `${binds}${inner}`;
    const wrap = (loop: string) => (exists ? `{\nlet ${ok} = false;\n${loop}if (${ok}) {\n${inner}}\n}\n` : loop);
    if (keyCols.length === 0) {
      return wrap(`for (let ${r} = ${lo}; ${r} < ${hi}; ${r}++) {\n${body}}\n`);
    }
    const I = this.index(a.relation, keyCols);
    const found = this.name("f");
    let code = `{\n${pre}${this.lookup(R, I, arity, keyCols, keys, found)}`;
    if (keyCols.length === arity) {
      code += `if (${found} >= ${lo} && ${found} < ${hi}) {\nconst ${r} = ${found};\n${binds.replace(/continue;/g, "/* unreachable */;")}${inner}}\n}\n`;
    } else {
      code +=
        wrap(
          `const nx = ${I}.next;\nfor (let ${r} = ${found}; ${r} >= 0; ${r} = nx[${r}]) {\nif (${r} >= ${hi}) continue;\nif (${r} < ${lo}) break;\n${body}}\n`,
        ) + "}\n";
    }
    return code;
  }

  private emitAggregate(it: Extract<Item, { kind: "agg" }>, rest: readonly Item[], cont: () => string): string {
    const { agg } = it;
    const acc = this.name("acc");
    const n = this.name("n");
    const witnesses = agg.witnesses ?? [];
    // The value ranges over all bindings of the body: a witness bound earlier (by another aggregate) is not fixed here.
    const hidden = this.hide(witnesses);
    const scope = new Set(this.vars.keys());
    const { items } = this.normalise(agg.body, undefined, agg.target ? [agg.target] : [], scope);
    const type: BaseType = agg.target?.type ?? "number";
    const distinct = countsDistinct(agg) ? distinctKey(items, scope) : undefined;
    const seen = this.name("seen");
    const update = (): string => {
      let code: string;
      if (agg.fn === "count") code = `${n}++;\n`;
      else {
        const t = this.term(agg.target!);
        switch (agg.fn) {
          case "sum":
            code = type === "float" ? `${acc} = Math.fround(${acc} + fx.fv(${t})); ${n}++;\n` : `${acc} = (${acc} + ${t}) | 0; ${n}++;\n`;
            break;
          case "mean":
            code = `${acc} += ${type === "float" ? `fx.fv(${t})` : type === "unsigned" ? `(${t} >>> 0)` : t}; ${n}++;\n`;
            break;
          default: {
            const x = this.name("x");
            const better = compileCompare(agg.fn === "min" ? "<" : ">", type, x, acc);
            code = `{ const ${x} = ${t}; if (${n} === 0 || ${better}) ${acc} = ${x}; ${n}++; }\n`;
          }
        }
      }
      if (!distinct) return code;
      const cells = distinct.map((v) => this.vars.get(v)!);
      const key = cells.length === 0 ? "0" : cells.length === 1 ? cells[0]! : `\`${cells.map((c) => `\${${c}}`).join(",")}\``;
      const k = this.name("key");
      return `{ const ${k} = ${key}; if (!${seen}.has(${k})) { ${seen}.add(${k});\n${code}} }\n`;
    };
    const saved = [this.contNeeded, this.existential] as const;
    const targetVars = agg.target ? termVars(agg.target, new Set()) : new Set<string>();
    this.contNeeded = new Set([...targetVars, ...(distinct ?? [])]);
    // An atom whose bindings nothing reads may stop at its first match, unless every match counts.
    this.existential = agg.fn === "min" || agg.fn === "max" || distinct !== undefined;
    const loops = this.emit(items, undefined, update);
    [this.contNeeded, this.existential] = saved;
    this.unhide(hidden);
    let result: string;
    let guard = "";
    switch (agg.fn) {
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
    const js = this.name("v");
    this.vars.set(it.name, js);
    const inner = witnesses.length > 0 ? this.emitWitnesses(agg, js, rest, cont) : this.emit(rest, undefined, cont);
    this.vars.delete(it.name);
    const body = `const ${js} = ${result};\n${inner}`;
    const init = distinct ? `, ${seen} = new Set()` : "";
    return `{\nlet ${acc} = 0, ${n} = 0${init};\n${loops}${guard ? `if (${guard}) {\n${body}}\n` : body}}\n`;
  }

  /**
   * The body of a min/max aggregate once more, for the bindings whose target equals the result `js`:
   * each binds the witnesses and runs the rest of the rule. Witnesses bound before are filters.
   */
  private emitWitnesses(agg: Extract<MTerm, { kind: "aggregate" }>, js: string, rest: readonly Item[], cont: () => string): string {
    const witnesses = agg.witnesses ?? [];
    const before = new Set(this.vars.keys());
    // A target that is a plain variable (not a float: 0 and -0 are equal) starts bound to the result,
    // so that the body's atoms look their rows up by it.
    const target = agg.target!;
    const preset = target.kind === "var" && target.type !== "float" && !this.vars.has(target.name) ? target.name : undefined;
    if (preset !== undefined) this.vars.set(preset, js);
    const { items } = this.normalise(agg.body, undefined, [target], new Set(this.vars.keys()));
    const saved = [this.contNeeded, this.existential] as const;
    this.contNeeded = new Set([...termVars(target, new Set()), ...witnesses]);
    const loops = this.emit(items, undefined, () => {
      const attains = preset !== undefined ? "" : compileCompare("=", agg.type, this.term(target), js);
      // The body's own variables end here; the rest of the rule sees only the witnesses.
      const locals = [...this.vars.keys()].filter((v) => !before.has(v) && !witnesses.includes(v));
      const hidden = this.hide(locals);
      const inner = [this.contNeeded, this.existential] as const;
      [this.contNeeded, this.existential] = saved;
      const code = this.emit(rest, undefined, cont);
      [this.contNeeded, this.existential] = inner;
      this.unhide(hidden);
      return preset !== undefined ? code : `if ${attains} {\n${code}}\n`;
    });
    [this.contNeeded, this.existential] = saved;
    if (preset !== undefined) this.vars.delete(preset);
    return loops;
  }

  /** Removes variables from scope for a while; `unhide` puts them back. */
  private hide(names: readonly string[]): [string, string][] {
    const out: [string, string][] = [];
    for (const v of names) {
      const js = this.vars.get(v);
      if (js === undefined) continue;
      out.push([v, js]);
      this.vars.delete(v);
    }
    return out;
  }

  private unhide(hidden: readonly [string, string][]): void {
    for (const [v, js] of hidden) this.vars.set(v, js);
  }

  head(h: MAtom): string {
    const H = this.rel(h.relation);
    const arity = h.args.length;
    if (this.opts.isLattice(h.relation) || arity === 0) {
      let code = "";
      h.args.forEach((t, c) => {
        code += `${H}.tmp[${c}] = ${this.term(t)};\n`;
      });
      return `${code}${H}.add();\n`;
    }
    // Set semantics inline: most derivations are duplicates, so probe the unique
    // index here and call into the relation only to append a new tuple.
    const cells = h.args.map(() => this.name("a"));
    let code = h.args.map((t, c) => `const ${cells[c]} = ${this.term(t)};\n`).join("");
    let hash = String(HASH_SEED);
    for (const c of cells) hash = `mix(${hash}, ${c})`;
    const [hv, s, e, d] = [this.name("h"), this.name("s"), this.name("e"), this.name("d")];
    const same = hashIdentifiesKey(arity) ? "" : ` && ${cells.map((c, i) => `${d}[${e} * ${arity} - ${arity - i}] === ${c}`).join(" && ")}`;
    code +=
      `const ${hv} = finish(${hash});\n` +
      `{\nconst sl = ${H}.unique.slots, m = ${H}.unique.mask, ${d} = ${H}.data;\nlet ${s} = ${hv} & m;\n` +
      `for (;;) {\nconst ${e} = sl[2 * ${s}];\n` +
      `if (${e} === 0) { ${cells.map((c, i) => `${H}.tmp[${i}] = ${c}; `).join("")}${H}.appendAt(${s}, ${hv}); break; }\n` +
      `if (sl[2 * ${s} + 1] === ${hv}${same}) break;\n${s} = (${s} + 1) & m;\n}\n}\n`;
    return code;
  }

  finish(body: string, ranges: readonly string[]): CompiledRule {
    const decl = [
      ...this.relations.map((_, i) => `const R${i} = R[${i}];`),
      ...this.indexes.map((_, i) => `const I${i} = I[${i}];`),
      ...this.prelude,
    ].join("\n");
    const source = `${decl}\nreturn function run() {\n${ranges.join("")}${body}};\n`;
    return { source, relations: this.relations, indexes: this.indexes };
  }

  rangeDecls(): string[] {
    return this.relations.map((_, i) => `const R${i}_lo = R${i}.stableEnd, R${i}_hi = R${i}.deltaEnd;\n`);
  }
}

/** Compiles one version of `rule`. */
export function compileRule(rule: Rule, opts: RuleCompileOptions): CompiledRule {
  const rc = new RuleCompiler(opts);
  const { items, delta, byIndex } = rc.normalise(rule.body, opts.ranges, rule.head.args, new Set());
  if (opts.order) rc.planned = opts.order.map((i) => byIndex.get(i)!);
  // Aggregates written in the head are evaluated like body aggregates binding a fresh variable.
  const headItems: Item[] = [];
  const bodyVars = new Set<string>();
  for (const l of rule.body) litVars(l, bodyVars);
  const headArgs = rule.head.args.map((t) => rc.liftAggregates(t, headItems, bodyVars));
  const head: MAtom = { ...rule.head, args: headArgs };
  const needed = new Set<string>();
  for (const t of headArgs) termVars(t, needed);
  rc.contNeeded = needed;
  const body = rc.emit([...items, ...headItems], delta, () => rc.head(head));
  return rc.finish(body, rc.rangeDecls());
}

export { constCell };
