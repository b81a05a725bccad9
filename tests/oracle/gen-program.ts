// Random valid programs for the property tests, built as a CheckedProgram (with
// strata known by construction) and printed as .dl text, plus random facts.
// Negation and aggregates only read relations of strictly earlier groups.

import type { BaseType, MAtom, MLiteral, MTerm, RelationInfo } from "../../lang/model.js";
import { agg, atom, call, cmp, flt, neg, num, program, uns, relation, sym, tst, v, wild } from "./build.js";
import { constOf, expr, numConst, numExpr, REGEXES, Rng, Scope, symConst, SYMBOLS } from "./gen-terms.js";
import type { Value } from "./values.js";

export interface RuleSpec {
  head: MAtom;
  body: MLiteral[];
}

/** A generated case: relations, rules grouped into strata, and input facts. */
export interface Case {
  relations: RelationInfo[];
  groups: RuleSpec[][];
  facts: Record<string, Value[][]>;
}

export const checkedOf = (c: Case) => program(c.relations, c.groups);

const NUMERIC: readonly BaseType[] = ["number", "unsigned", "float"];
const EXTREMES = {
  number: [-2147483648, 2147483647, -65536],
  unsigned: [2147483648, 4294967295, 65536],
  float: [-1e30, 3.4e38, 1e-30, -0.1],
};

function columnType(rng: Rng): BaseType {
  const r = rng.next();
  return r < 0.7 ? "number" : r < 0.82 ? "symbol" : r < 0.91 ? "unsigned" : "float";
}

/** A value from the facts' domain of `type`. */
function domainValue(rng: Rng, type: BaseType): Value {
  // Now and then an extreme value, to catch encodings that only work for small ones.
  if (type !== "symbol" && rng.chance(0.03)) return rng.pick(EXTREMES[type]);
  switch (type) {
    case "number":
      return rng.int(-1, 4);
    case "symbol":
      return rng.pick(SYMBOLS);
    case "unsigned":
      return rng.chance(0.1) ? 4294967295 : rng.int(0, 4);
    case "float":
      return rng.pick([-1.5, 0.5, 1, 2.25]);
  }
}

/** A constant from the facts' domain, likely to match something. */
function domainConst(rng: Rng, type: BaseType): MTerm {
  const value = domainValue(rng, type);
  if (typeof value === "string") return sym(value);
  return type === "unsigned" ? uns(value) : type === "float" ? flt(value) : num(value);
}

/** Arguments for an atom over `rel` in a positive body position; binds its new variables. */
function atomArgs(sc: Scope, rel: RelationInfo, prefix: string, allowWildcards = true): MTerm[] {
  const { rng } = sc;
  const before = new Map(sc.bound);
  return rel.columns.map(({ type }) => {
    const r = rng.next();
    const have = sc.vars(type);
    if (r < 0.25 && have.length > 0) return v(rng.pick(have), type);
    if (r < 0.7 || (!allowWildcards && r >= 0.8)) {
      const name = sc.fresh(prefix);
      sc.bound.set(name, type);
      return v(name, type);
    }
    if (r < 0.8) return domainConst(rng, type);
    if (r < 0.96 || type === "symbol") return wild(type);
    // An expression over variables bound by earlier literals: a filter, not a binding.
    const outer = new Scope(rng, false);
    for (const [n, t] of before) outer.bound.set(n, t);
    return expr(outer, type, 1);
  });
}

/**
 * `n = fn target : { body }` over relations in `pool`, sharing some of the rule's variables; for min
 * and max, now and then with witnesses: local variables the rule may use once they are returned.
 */
function aggregate(sc: Scope, pool: RelationInfo[]): { lits: MLiteral[]; witnesses: [string, BaseType][] } {
  const { rng } = sc;
  const local = new Scope(rng, sc.recursive);
  for (const [n, t] of sc.bound) local.bound.set(n, t);
  const multi = rng.chance(0.3);
  const body: MLiteral[] = [];
  for (let i = 0; i < (multi ? 2 : 1); i++) {
    const rel = rng.pick(pool);
    body.push(atom(rel.name, atomArgs(local, rel, `${sc.fresh("a")}_`)));
  }
  const locals = local.vars("number").filter((n) => !sc.bound.has(n));
  if (multi && locals.length > 0 && rng.chance(0.5)) body.push(cmp(rng.pick(["<", ">=", "!="]), v(rng.pick(locals)), numConst(rng)));
  let fn = rng.pick(["count", "sum", "min", "max", "mean"] as const);
  let target: MTerm | undefined;
  // min and max also over unsigned and float locals (no float sums: their rounding depends on the order).
  const others = [...local.bound].filter(([n, t]) => !sc.bound.has(n) && t !== "symbol" && t !== "number");
  if ((fn === "min" || fn === "max") && others.length > 0 && rng.chance(0.4)) {
    const [name, type] = rng.pick(others);
    target = v(name, type);
  } else if (fn !== "count") {
    // The target's variables are the aggregate's own (a rule variable of the same name is another one).
    const own = new Scope(rng, sc.recursive);
    for (const [n, t] of local.bound) if (!sc.bound.has(n)) own.bound.set(n, t);
    if (locals.length === 0) fn = "count";
    else target = rng.chance(0.8) ? v(rng.pick(locals)) : numExpr(own, 1);
  }
  if (fn === "mean") target = call("to_float", "float", target!); // mean takes a float
  const result = sc.fresh(fn === "mean" ? "m" : "n");
  const candidates = [...local.bound].filter(([n]) => !sc.bound.has(n));
  const witnesses =
    (fn === "min" || fn === "max") && candidates.length > 0 && rng.chance(0.4)
      ? rng.shuffle(candidates).slice(0, rng.chance(0.7) ? 1 : 2)
      : [];
  const aggregate = agg(
    fn,
    body,
    target,
    witnesses.map(([n]) => n),
  );
  const lits: MLiteral[] = [cmp("=", v(result, aggregate.type), aggregate)];
  if (fn === "mean") {
    lits.push(cmp(rng.pick([">", "<="]), v(result, "float"), flt(rng.pick([0.5, 1.5, 2.25]))));
  } else sc.bound.set(result, fn === "count" ? "number" : target!.type);
  return { lits, witnesses };
}

/** One rule for `head`; `own` are the relations of its group, `earlier` those it may negate or aggregate. */
function rule(rng: Rng, head: RelationInfo, own: RelationInfo[], visible: RelationInfo[], earlier: RelationInfo[]): RuleSpec {
  const atoms: RelationInfo[] = [];
  for (let i = rng.int(1, rng.chance(0.1) ? 4 : 3); i > 0; i--)
    atoms.push(own.length > 0 && rng.chance(0.45) ? rng.pick(own) : rng.pick(visible));
  const sc = new Scope(
    rng,
    atoms.some((r) => own.includes(r)),
  );
  const body: MLiteral[] = atoms.map((rel) => atom(rel.name, atomArgs(sc, rel, "x")));
  // Up to two bindings `z = expression`, the second possibly over the first.
  for (let k = rng.chance(0.3) ? (rng.chance(0.3) ? 2 : 1) : 0; k > 0; k--) {
    const name = sc.fresh("z");
    const type = rng.chance(0.75) ? "number" : rng.pick(NUMERIC);
    body.push(cmp("=", v(name, type), expr(sc, type, 2)));
    sc.bound.set(name, type);
  }
  if (!sc.recursive && rng.chance(0.15)) {
    const name = sc.fresh("s");
    body.push(cmp("=", v(name, "symbol"), expr(sc, "symbol", 2)));
    sc.bound.set(name, "symbol");
  }
  let witnesses: [string, BaseType][] = [];
  if (earlier.length > 0 && rng.chance(0.3)) {
    const a = aggregate(sc, earlier);
    body.push(...a.lits);
    witnesses = a.witnesses;
  }
  if (earlier.length > 0 && rng.chance(0.25)) {
    const rel = rng.pick(earlier);
    const args = rel.columns.map(({ type }) => {
      const have = sc.vars(type);
      const r = rng.next();
      if (r < 0.6 && have.length > 0) return v(rng.pick(have), type);
      if (r < 0.65 && type !== "symbol" && sc.bound.size > 0) return expr(sc, type, 1);
      return r < 0.8 ? domainConst(rng, type) : wild(type);
    });
    body.push(neg(atom(rel.name, args)));
  }
  for (let i = rng.int(0, 1) + (rng.chance(0.2) ? 1 : 0); i > 0; i--) body.push(filter(sc));
  // Witnesses only in the head: an equality with a rule variable would ground them, making them shared.
  for (const [n, t] of witnesses) sc.bound.set(n, t);
  const args = head.columns.map(({ type }) => {
    const have = sc.vars(type);
    const r = rng.next();
    const witness = witnesses.filter(([, t]) => t === type).map(([n]) => n);
    if (r < 0.35 && witness.length > 0) return v(rng.pick(witness), type);
    if (r < 0.7 && have.length > 0) return v(rng.pick(have), type);
    return r < 0.8 ? constOf(rng, type) : expr(sc, type, 2);
  });
  return { head: atom(head.name, args), body: rng.chance(0.3) ? rng.shuffle(body) : body };
}

/** A comparison or a string test over the bound variables. */
function filter(sc: Scope): MLiteral {
  const { rng } = sc;
  const op = rng.pick(["=", "!=", "<", "<=", ">", ">="] as const);
  const syms = sc.vars("symbol");
  const typed = NUMERIC.filter((t) => sc.vars(t).length > 0);
  if (syms.length > 0 && rng.chance(0.4)) {
    const s = v(rng.pick(syms), "symbol");
    switch (rng.int(0, 2)) {
      case 0:
        return cmp(op, s, rng.chance(0.5) ? v(rng.pick(syms), "symbol") : symConst(rng));
      case 1:
        return tst("contains", [rng.chance(0.5) ? symConst(rng) : v(rng.pick(syms), "symbol"), s], rng.chance(0.3));
      default:
        return tst("match", [sym(rng.pick(REGEXES)), s], rng.chance(0.3));
    }
  }
  // Mostly a variable against another variable or a constant of the facts' domain.
  const type = typed.length > 0 && rng.chance(0.7) ? (typed.includes("number") && rng.chance(0.6) ? "number" : rng.pick(typed)) : "number";
  const vars = sc.vars(type);
  const left = vars.length > 0 && rng.chance(0.8) ? v(rng.pick(vars), type) : expr(sc, type, 1);
  const others = vars.filter((n) => left.kind !== "var" || n !== left.name);
  const r = rng.next();
  const right = r < 0.4 && others.length > 0 ? v(rng.pick(others), type) : r < 0.75 ? domainConst(rng, type) : expr(sc, type, 1);
  return cmp(op, left, right);
}

/** A random program and facts, reproducible from `seed`. */
export function generate(seed: number): Case {
  const rng = new Rng(seed);
  const inputs: RelationInfo[] = [];
  for (let i = rng.int(2, 3); i > 0; i--) {
    inputs.push(
      relation(
        `in${inputs.length}`,
        Array.from({ length: rng.int(1, rng.chance(0.1) ? 4 : 3) }, () => columnType(rng)),
      ),
    );
  }
  if (rng.chance(0.5)) inputs.push(relation("sym", ["symbol"]));
  const relations = [...inputs];
  const groups: RuleSpec[][] = [];
  let earlier = [...inputs];
  for (let g = rng.int(2, 4); g > 0; g--) {
    const own = Array.from({ length: rng.chance(0.3) ? 2 : 1 }, () => {
      const arity = rng.chance(0.05) ? 0 : rng.int(1, rng.chance(0.1) ? 4 : 3);
      const r = relation(
        `r${relations.length - inputs.length}`,
        Array.from({ length: arity }, () => columnType(rng)),
      );
      relations.push(r);
      return r;
    });
    const visible = [...earlier, ...own];
    const rules: RuleSpec[] = [];
    for (const head of own) {
      if (rng.chance(0.15))
        rules.push({
          head: atom(
            head.name,
            head.columns.map(({ type }) => constOf(rng, type)),
          ),
          body: [],
        });
      // A base case over earlier relations first, then rules that may recurse.
      rules.push(rule(rng, head, [], earlier, earlier));
      for (let n = rng.int(0, 2); n > 0; n--) rules.push(rule(rng, head, own, visible, earlier));
    }
    groups.push(rules);
    earlier = visible;
  }
  const facts: Record<string, Value[][]> = {};
  for (const rel of inputs) {
    const graph = rel.columns.length === 2 && rel.columns.every((c) => c.type === "number") && rng.chance(0.4);
    // Sometimes a bigger graph over 0..7, so that recursion takes more iterations.
    facts[rel.name] = graph
      ? Array.from({ length: rng.int(8, 16) }, () => [rng.int(0, 7), rng.int(0, 7)])
      : Array.from({ length: rng.chance(0.05) ? 0 : rng.int(2, 10) }, () => rel.columns.map(({ type }) => domainValue(rng, type)));
  }
  // Some derived relations also start with facts of their own.
  for (const rel of relations.slice(inputs.length)) {
    if (rng.chance(0.15))
      facts[rel.name] = Array.from({ length: rng.int(1, 3) }, () => rel.columns.map(({ type }) => domainValue(rng, type)));
  }
  return { relations, groups, facts };
}
