// The one analysis of reads (lang/check/reads) against an independent oracle,
// and the checks and the CALM analysis against it.
//
// The oracle evaluates terms on numbers and sets: a use the analysis calls
// monotone (a head's lattice column) or a threshold (a comparison, a member
// test) must keep doing so as any one lattice value of the rule grows in its
// lattice's order, the rest held. Random rules over two lattice values.
//
// Then, on the golden programs and on random ones: the atoms the checks mark
// exact (what evaluation freezes first) are exactly the lattice reads the CALM
// analysis freezes, and every freeze point of the analysis cites an exact
// verdict of the one analysis, at the place the verdict names.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../lang/calm/index.js";
import { judgeReads } from "../lang/check/reads/judge.js";
import type { CompareOp } from "../lang/ast.js";
import type { CheckedProgram, FunctorInfo, LatticeRef, MAtom, MLiteral, MTerm, ReadVerdict } from "../lang/model.js";
import { atom, span as at, rule, v } from "./calm/build.js";
import { checkText } from "./check-helpers.js";
import { loadCalm } from "./calm/load.js";

// ---- terms and their values

type Env = ReadonlyMap<string, number | ReadonlySet<number>>;

const functors = new Map<string, FunctorInfo>([["sq", { name: "sq", params: ["number"], result: "number", monotone: false, span: at(1) }]]);
const SQ = (x: number) => x * x;

/** The value of a term, or undefined where it has none (a division by zero). */
function evaluate(t: MTerm, env: Env): number | undefined {
  const num = (s: MTerm) => evaluate(s, env);
  switch (t.kind) {
    case "const":
      return t.value as number;
    case "var": {
      const x = env.get(t.name);
      return typeof x === "number" ? x : undefined;
    }
    case "unary": {
      const x = num(t.operand);
      return x === undefined ? undefined : -x;
    }
    case "binary": {
      const a = num(t.left);
      const b = num(t.right);
      if (a === undefined || b === undefined) return undefined;
      switch (t.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return b === 0 ? undefined : Math.trunc(a / b);
        case "%":
          return b === 0 ? undefined : a % b;
        default:
          throw new Error(`no ${t.op} in these terms`);
      }
    }
    case "call": {
      if (t.name === "size") {
        const s = t.args[0]?.kind === "var" ? env.get(t.args[0].name) : undefined;
        return typeof s === "object" ? s.size : undefined;
      }
      const xs = t.args.map(num);
      if (xs.some((x) => x === undefined)) return undefined;
      const ns = xs as number[];
      if (t.name === "min") return Math.min(...ns);
      if (t.name === "max") return Math.max(...ns);
      if (t.name === "@sq") return SQ(ns[0]!);
      throw new Error(`no ${t.name} in these terms`);
    }
    default:
      throw new Error(`no ${t.kind} in these terms`);
  }
}

function holds(l: MLiteral, env: Env): boolean | undefined {
  if (l.kind === "test") {
    const x = evaluate(l.args[0]!, env);
    const s = l.args[1]?.kind === "var" ? env.get(l.args[1].name) : undefined;
    return x === undefined || typeof s !== "object" ? undefined : s.has(x) !== l.negated;
  }
  if (l.kind !== "compare") throw new Error("a comparison or a test");
  const a = evaluate(l.left, env);
  const b = evaluate(l.right, env);
  if (a === undefined || b === undefined) return undefined;
  return { "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "=": a === b, "!=": a !== b }[l.op];
}

// ---- random rules: h(x, head) :- a(x, d), b(x, e), s(x, z), literal.

const n = (value: number): MTerm => ({ kind: "const", type: "number", value, span: at(1) });
const bin =
  (op: "+" | "-" | "*" | "/" | "%") =>
  (l: MTerm, r: MTerm): MTerm => ({ kind: "binary", op, type: "number", left: l, right: r, span: at(1) });
const call = (name: string, args: MTerm[]): MTerm => ({ kind: "call", name, type: "number", args, span: at(1) });

const leaf = fc.oneof(
  fc.constantFrom("d", "e", "x").map((name) => v(name)),
  fc.integer({ min: -3, max: 3 }).map(n),
  fc.constant(call("size", [v("z")])),
);
const { term } = fc.letrec<{ term: MTerm }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom("+", "-", "*", "/", "%" as const), tie("term"), tie("term")).map(([op, l, r]) => bin(op)(l, r)),
    fc.tuple(fc.constantFrom("*", "/" as const), tie("term"), fc.integer({ min: -3, max: 3 })).map(([op, l, c]) => bin(op)(l, n(c))),
    tie("term").map((t): MTerm => ({ kind: "unary", op: "neg", type: "number", operand: t, span: at(1) })),
    fc.tuple(fc.constantFrom("min", "max"), tie("term"), tie("term")).map(([f, l, r]) => call(f, [l, r])),
    tie("term").map((t) => call("@sq", [t])),
  ),
}));
const order = fc.constantFrom<LatticeRef>({ name: "min", elem: "number" }, { name: "max", elem: "number" });
const compare = (op: CompareOp, left: MTerm, right: MTerm): MLiteral => ({ kind: "compare", op, type: "number", left, right, span: at(2) });
const member = (x: MTerm, negated: boolean): MLiteral => ({ kind: "test", name: "member", args: [x, v("z")], negated, span: at(2) });
const literal: fc.Arbitrary<MLiteral> = fc.oneof(
  fc.tuple(fc.constantFrom<CompareOp>("<", "<=", ">", ">=", "=", "!="), term, term).map(([op, l, r]) => compare(op, l, r)),
  fc.tuple(term, fc.boolean()).map(([x, negated]) => member(x, negated)),
);
const randomRule = fc.record({ da: order, db: order, dh: order, head: term, literal });

const SET: LatticeRef = { name: "set", elem: "number" };
const env = fc.record({
  d: fc.integer({ min: -6, max: 6 }),
  e: fc.integer({ min: -6, max: 6 }),
  x: fc.integer({ min: -6, max: 6 }),
  z: fc.uniqueArray(fc.integer({ min: -3, max: 3 }), { maxLength: 4 }),
  by: fc.integer({ min: 1, max: 6 }),
  add: fc.uniqueArray(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 3 }),
});

/** The environment with the value of `name` grown in its lattice by the sample's step. */
function grown(e: Env, name: string, lattice: LatticeRef, by: number, add: number[]): Env {
  const out = new Map(e);
  const x = e.get(name);
  if (typeof x === "object") out.set(name, new Set([...x, ...add]));
  else if (x !== undefined) out.set(name, lattice.name === "min" ? x - by : x + by);
  return out;
}

/** Whether `after` is at least `before` in the order of lattice `l`. */
const atLeast = (l: LatticeRef, before: number, after: number) => (l.name === "min" ? after <= before : after >= before);

describe("the analysis of reads against an oracle", () => {
  it("calls a use monotone or a threshold only when it stays so as any one lattice value grows", () => {
    let checked = 0;
    fc.assert(
      fc.property(randomRule, fc.array(env, { minLength: 20, maxLength: 20 }), ({ da, db, dh, head, literal }, samples) => {
        const lattices = new Map([
          ["a", da],
          ["b", db],
          ["s", SET],
          ["h", dh],
        ]);
        const body = [atom("a", [v("x"), v("d")], 2), atom("b", [v("x"), v("e")], 2), atom("s", [v("x"), v("z")], 2), literal];
        const r = rule(0, atom("h", [v("x"), head], 1), body);
        const reads = judgeReads(r, { latticeOf: (a: MAtom) => lattices.get(a.relation), functors });
        const variable = (w: ReadVerdict) => (w.value.kind === "lattice" ? (w.value.atom.args[1] as { name: string }).name : "");
        for (const w of reads.verdicts) {
          if (w.value.kind !== "lattice" || w.verdict === "exact" || w.use.kind === "keys") continue;
          const name = variable(w);
          for (const s of samples) {
            const before: Env = new Map<string, number | ReadonlySet<number>>([
              ["d", s.d],
              ["e", s.e],
              ["x", s.x],
              ["z", new Set(s.z)],
            ]);
            const after = grown(before, name, w.value.lattice, s.by, s.add);
            if (w.use.kind === "head") {
              const [h0, h1] = [evaluate(head, before), evaluate(head, after)];
              if (h0 === undefined || h1 === undefined) continue;
              checked++;
              expect(atLeast(dh, h0, h1), `${name} grows: ${h0} → ${h1} in ${dh.name}`).toBe(true);
            } else {
              const [t0, t1] = [holds(literal, before), holds(literal, after)];
              if (t0 !== true || t1 === undefined) continue;
              checked++;
              expect(t1, `${name} grows: true → false`).toBe(true);
            }
          }
        }
      }),
      { numRuns: 600 },
    );
    // The property is not vacuous: many uses were judged monotone or a threshold, and checked.
    expect(checked).toBeGreaterThan(1000);
  });

  it("finds the thresholds and flows the oracle confirms, and calls the rest exact", () => {
    const d = (lattice: LatticeRef, text: string, lit: MLiteral) => {
      const lattices = new Map([["a", lattice]]);
      const r = rule(0, atom("h", [v("x")], 1), [atom("a", [v("x"), v("d")], 2), lit]);
      return judgeReads(r, { latticeOf: (a: MAtom) => lattices.get(a.relation), functors })
        .verdicts.filter((w) => w.use.kind === "compare")
        .map((w) => `${text}: ${w.verdict}`);
    };
    const MIN: LatticeRef = { name: "min", elem: "number" };
    const MAX: LatticeRef = { name: "max", elem: "number" };
    expect([
      ...d(MIN, "min d <= 3", compare("<=", v("d"), n(3))),
      ...d(MIN, "min d >= 3", compare(">=", v("d"), n(3))),
      ...d(MAX, "max d >= 3", compare(">=", v("d"), n(3))),
      ...d(MAX, "max -d < 3", compare("<", { kind: "unary", op: "neg", type: "number", operand: v("d"), span: at(1) }, n(3))),
      ...d(MAX, "max d * 2 > x", compare(">", bin("*")(v("d"), n(2)), v("x"))),
      ...d(MAX, "max d % 2 > 0", compare(">", bin("%")(v("d"), n(2)), n(0))),
      ...d(MAX, "max d = 3", compare("=", v("d"), n(3))),
    ]).toEqual([
      "min d <= 3: threshold",
      "min d >= 3: exact",
      "max d >= 3: threshold",
      "max -d < 3: threshold",
      "max d * 2 > x: threshold",
      "max d % 2 > 0: exact",
      "max d = 3: exact",
    ]);
  });
});

// ---- the checks and the CALM analysis, citing the one analysis

/**
 * Every freeze point of the analysis cites an exact verdict of the rule's reads; the marked
 * atoms are the frozen lattice reads. Returns how many atoms are marked.
 */
function expectConsistent(checked: CheckedProgram): number {
  const analysis = analyze(checked);
  const place = (s: { start: { offset: number } }) => s.start.offset;
  for (const fp of analysis.freezePoints) {
    if (fp.kind === "negation") continue;
    const r = checked.rules[fp.rule]!;
    const reads = checked.reads?.get(r);
    expect(reads, `rule ${fp.rule} was judged by the checks`).toBeDefined();
    const cites = reads!.verdicts.some((w) => {
      if (w.verdict !== "exact") return false;
      const atoms = w.value.kind === "lattice" ? [w.value.atom] : w.value.reads;
      return (
        atoms.some((a) => a.relation === fp.relation && place(a.span) === place(fp.span)) && place(w.span) === place(fp.use ?? fp.span)
      );
    });
    expect(cites, `${fp.relation} for rule ${fp.rule}: ${fp.reason}`).toBe(true);
    expect(fp.reason).not.toMatch(/^the checks mark/);
  }
  const key = (rule: number, a: MAtom) => `${rule} ${a.relation} ${place(a.span)}`;
  const marked = checked.rules.flatMap((r) =>
    r.body.filter((l): l is MAtom => l.kind === "atom" && l.exact === true).map((a) => key(r.id, a)),
  );
  const frozen = analysis.freezePoints
    .filter((fp) => fp.kind === "exact-read" || fp.kind === "functor")
    .filter((fp) => {
      const reads = checked.reads?.get(checked.rules[fp.rule]!);
      return reads?.values.some((v) => v.kind === "lattice" && v.atom.relation === fp.relation && place(v.atom.span) === place(fp.span));
    })
    .map((fp) => `${fp.rule} ${fp.relation} ${place(fp.span)}`);
  expect([...new Set(frozen)].sort()).toEqual([...new Set(marked)].sort());
  return marked.length;
}

const root = join(import.meta.dirname, "calm");
const goldens = readdirSync(root)
  .filter((f) => f.endsWith(".dl"))
  .map((f) => f.slice(0, -3))
  .sort();

describe("the checks and the CALM analysis read one analysis", () => {
  for (const name of goldens) {
    it(name, () => {
      const file = relative(process.cwd(), join(root, `${name}.dl`));
      const { checked } = loadCalm(readFileSync(file, "utf8"), file);
      if (checked) expectConsistent(checked);
    });
  }

  it("on random programs over lattices", () => {
    const declarations = `.decl e(x: number, y: number)
.input e
.decl dist(x: number, d: min<number>)
.decl width(x: number, w: max<number>)
.decl s(x: number, v: set<number>)
.decl p(x: number, y: number)
.decl out(x: number, n: max<number>)
.functor g(a: number): number
.output dist, width, s, p, out
`;
    const variable = fc.constantFrom("x", "y", "d");
    const expr = fc.oneof(
      variable,
      fc.tuple(variable, fc.constantFrom("+ 1", "* 2", "* -1", "% 3")).map(([x, op]) => `${x} ${op}`),
      variable.map((x) => `@g(${x})`),
      variable.map((x) => `count : { e(${x}, _) }`),
    );
    const binder = fc.constantFrom("dist(x, d)", "width(x, d)", "dist(y, d)", "width(y, d)");
    const atoms = fc.constantFrom("dist(x, d)", "width(y, d)", "e(x, d)", "p(x, y)", "dist(x, _)", "e(y, x)");
    const test = fc.oneof(
      fc.tuple(expr, fc.constantFrom("<", "<=", ">", ">=", "=", "!="), expr).map(([l, op, r]) => `${l} ${op} ${r}`),
      fc.constantFrom(
        "!p(x, y)",
        "member(y, v)",
        "member(d, v)",
        "!member(x, v)",
        "n = count : { e(x, _) }",
        "n = sum y : { e(x, y), y < d }",
      ),
    );
    const head = fc.constantFrom(
      "out(x, d)",
      "out(x, y)",
      "p(x, d)",
      "p(d, y)",
      "width(x, d)",
      "dist(x, d + 1)",
      "out(x, count : { e(d, _) })",
    );
    const body = fc
      .tuple(binder, fc.array(atoms, { maxLength: 2 }), fc.array(test, { maxLength: 2 }))
      .map(([b, as, ts]) => ["e(x, y)", b, "s(x, v)", ...as, ...ts].join(", "));
    const program = fc
      .array(fc.tuple(head, body), { minLength: 1, maxLength: 3 })
      .map((rules) => declarations + rules.map(([h, b]) => `${h} :- ${b}.`).join("\n"));
    let consistent = 0;
    let marked = 0;
    fc.assert(
      fc.property(program, (text) => {
        const { checked } = checkText(text);
        if (!checked) return;
        consistent++;
        marked += expectConsistent(checked);
      }),
      { numRuns: 400 },
    );
    // Not vacuous: many programs check, and many of them read lattice values exactly.
    expect(consistent).toBeGreaterThan(100);
    expect(marked).toBeGreaterThan(50);
  });
});
