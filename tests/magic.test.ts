// The magic-set transformation on small programs worked out by hand: the output
// relations hold what they hold without the pragma, the transformed program has
// the adorned copies and magic relations expected, and relations that must be
// computed in full are left alone, each with its reason.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, type Program } from "../index.js";
import { asSet, type Facts } from "./oracle/harness.js";
import { cliSync, scratchDir } from "./cli-helpers.js";

const PRAGMA = `.pragma "magic-transform" "*"\n`;

/** Runs `source` with and without the pragma; both must give `expected` for each relation named there. */
function expectMagic(source: string, facts: Facts, expected: Facts): Program {
  const plain = compile(source).run(facts);
  const magic = compile(PRAGMA + source);
  const got = magic.run(facts);
  for (const [rel, tuples] of Object.entries(expected)) {
    expect(asSet(plain[rel] as Facts[string]), `without the pragma: ${rel}`).toEqual(asSet(tuples));
    expect(asSet(got[rel] as Facts[string]), `with the pragma: ${rel}`).toEqual(asSet(tuples));
  }
  return magic;
}

const generated = (p: Program) => [...(p.checked.magic?.generated.keys() ?? [])].sort();

/** A complete binary tree: node i has children 2i and 2i + 1, for i < 2^(height - 1). */
function tree(height: number): { node: number[][]; parent: number[][] } {
  const node: number[][] = [];
  const parent: number[][] = [];
  for (let i = 1; i < 2 ** height; i++) {
    node.push([i]);
    if (i > 1) parent.push([i, i >> 1]);
  }
  return { node, parent };
}

const SAMEGEN = `
  .decl node(x: number)
  .input node
  .decl parent(x: number, y: number)
  .input parent
  .decl samegen(x: number, y: number)
  samegen(x, x) :- node(x).
  samegen(x, y) :- parent(x, a), samegen(a, b), parent(y, b).
`;

describe("magic sets: hand-worked programs", () => {
  it("same generation on a small tree, asked with two constants", () => {
    const src =
      SAMEGEN +
      `
      .decl yes()
      .output yes
      .decl no()
      .output no
      yes() :- samegen(8, 15).
      no() :- samegen(8, 7).`;
    const p = expectMagic(src, tree(4), { yes: [[]], no: [] });
    expect(generated(p)).toEqual(["@magic.samegen{bb}", "@magic.samegen{bf}", "samegen{bb}", "samegen{bf}"]);
    expect(p.checked.magic!.replaced).toEqual(["samegen"]);
    // samegen itself is not computed: only what the two questions need.
    expect(p.run(tree(4)).samegen).toEqual([]);
  });

  it("same generation on a small tree, asked with one constant", () => {
    const src =
      SAMEGEN +
      `
      .decl cousin(y: number)
      .output cousin
      cousin(y) :- samegen(9, y).`;
    expectMagic(src, tree(4), { cousin: [[8], [9], [10], [11], [12], [13], [14], [15]] });
  });

  it("a query with constants on transitive closure", () => {
    const src = `
      .decl edge(x: number, y: number)
      .input edge
      .decl path(x: number, y: number)
      path(x, y) :- edge(x, y).
      path(x, z) :- path(x, y), edge(y, z).
      .decl from2(y: number)
      .output from2
      from2(y) :- path(2, y).
      .decl to4(x: number)
      .output to4
      to4(x) :- path(x, 4).`;
    const edge = [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 2],
      [5, 6],
    ];
    const p = expectMagic(src, { edge }, { from2: [[2], [3], [4]], to4: [[1], [2], [3], [4]] });
    expect(generated(p)).toEqual(["@magic.path{bf}", "@magic.path{fb}", "path{bf}", "path{fb}"]);
    // The magic set of path{bf} is {2}: x never leaves the constant.
    const db = p.database();
    db.insert("edge", edge);
    db.runSync();
    expect(db.tuples("@magic.path{bf}")).toEqual([[2]]);
  });

  it("seeds each magic set with exactly the bindings its reads ask for, passed along by the atoms and filters before them", () => {
    const src = `
      .decl edge(x: number, y: number)
      .input edge
      .decl path(x: number, y: number)
      path(x, y) :- edge(x, y).
      path(x, z) :- path(x, y), edge(y, z), y != 3.
      .decl to4(x: number)
      .output to4
      to4(x) :- path(x, 4).
      .decl to2(x: number)
      .output to2
      to2(x) :- path(x, 2).`;
    const edge = [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 2],
      [5, 2],
      [6, 5],
      [7, 8],
    ];
    const p = expectMagic(src, { edge }, { to4: [[3]], to2: [[1], [3], [4], [5], [6]] });
    expect(generated(p)).toEqual(["@magic.path{fb}", "path{fb}"]);
    const db = p.database();
    db.insert("edge", edge);
    db.runSync();
    // Asked: 4 and 2. A node y is asked for when it reaches an asked node z by an edge and is not 3:
    // 3 reaches 4 but is filtered out; 1, 4 and 5 reach 2, 6 reaches 5; nothing reaches 1 or 6, and 7 reaches only 8, never asked.
    expect(asSet(db.tuples("@magic.path{fb}"))).toEqual(asSet([[4], [2], [1], [5], [6]]));
    // Only what those questions need is computed: paths ending at an asked node (3 may start one, not pass through it).
    expect(asSet(db.tuples("path{fb}"))).toEqual(
      asSet([
        [3, 4],
        [3, 2],
        [1, 2],
        [4, 2],
        [5, 2],
        [6, 5],
        [6, 2],
      ]),
    );
  });

  it("a chain of two adorned relations", () => {
    const src = `
      .decl edge(x: number, y: number)
      .input edge
      .decl label(x: number, s: symbol)
      .input label
      .decl reach(x: number, y: number)
      reach(x, y) :- edge(x, y).
      reach(x, z) :- reach(x, y), edge(y, z).
      .decl named(x: number, s: symbol)
      named(x, s) :- reach(x, y), label(y, s).
      .decl answer(s: symbol)
      .output answer
      answer(s) :- named(1, s).`;
    const edge = [
      [1, 2],
      [2, 3],
      [4, 5],
    ];
    const label = [
      [2, "two"],
      [3, "three"],
      [5, "five"],
    ];
    const p = expectMagic(src, { edge, label }, { answer: [["two"], ["three"]] });
    expect(generated(p)).toEqual(["@magic.named{bf}", "@magic.reach{bf}", "named{bf}", "reach{bf}"]);
    expect([...p.checked.magic!.replaced].sort()).toEqual(["named", "reach"]);
  });

  it("a relation used with two adornments, and in full by an output", () => {
    const src = `
      .decl edge(x: number, y: number)
      .input edge
      .decl path(x: number, y: number)
      path(x, y) :- edge(x, y).
      path(x, z) :- edge(x, y), path(y, z).
      .decl both(x: number)
      .output both
      both(x) :- path(1, x), path(x, 1).
      .decl from3(x: number, y: number)
      .output from3
      from3(x, y) :- path(x, y), x >= 3.`;
    const edge = [
      [1, 2],
      [2, 1],
      [2, 3],
      [3, 3],
    ];
    const p = expectMagic(src, { edge }, { both: [[1], [2]], from3: [[3, 3]] });
    // path(1, x) asks {bf}; path(x, 1) with x now bound asks {bb}; from3 reads all of it.
    expect(generated(p)).toEqual(["@magic.path{bb}", "@magic.path{bf}", "path{bb}", "path{bf}"]);
    expect(p.checked.magic!.replaced).toEqual([]);
  });

  it("a relation read inside an aggregate is computed in full", () => {
    const src = `
      .decl edge(x: number, y: number)
      .input edge
      .decl path(x: number, y: number)
      path(x, y) :- edge(x, y).
      path(x, z) :- edge(x, y), path(y, z).
      .decl from1(x: number)
      .output from1
      from1(x) :- path(1, x).
      .decl pairs(n: number)
      .output pairs
      pairs(n) :- n = count : { path(_, _) }.`;
    const edge = [
      [1, 2],
      [2, 1],
      [2, 3],
      [3, 3],
    ];
    const p = expectMagic(src, { edge }, { from1: [[1], [2], [3]], pairs: [[7]] });
    expect(generated(p)).toEqual([]);
    expect(p.checked.magic!.refused.get("path")).toMatch(/inside an aggregate/);
  });

  it("leaves alone inputs, outputs, lattices, negated relations and float rules", () => {
    const src = `
      .decl e(x: number, y: number)
      .input e
      e(x, y) :- e(y, x).
      .decl out(x: number, y: number)
      .output out
      out(x, y) :- e(x, y).
      .decl dist(x: number, d: min<number>)
      dist(y, 1) :- e(0, y).
      dist(y, d + 1) :- dist(x, d), e(x, y).
      .decl blocked(x: number)
      blocked(x) :- e(x, 9).
      .decl f(x: number, y: float)
      f(x, y) :- e(x, z), y = as(z, float), y > 0.5.
      .decl q(x: number, d: number)
      .output q
      q(x, 1) :- out(1, x), !blocked(x).
      q(x, 2) :- f(1, y), y = 1.0, x = 0.
      q(x, d) :- dist(x, d), d <= 2, x = 2, out(x, _).`;
    const p = compile(PRAGMA + src);
    const refused = p.checked.magic!.refused;
    expect(refused.get("e")).toMatch(/input/);
    expect(refused.get("out")).toMatch(/output/);
    expect(refused.get("dist")).toMatch(/lattice/);
    expect(refused.get("blocked")).toMatch(/negation/);
    expect(refused.get("f")).toMatch(/float/);
    expect(generated(p)).toEqual([]);
    const facts = {
      e: [
        [0, 1],
        [1, 2],
        [2, 9],
      ],
    };
    expect(asSet(p.run(facts).q)).toEqual(asSet(compile(src).run(facts).q));
  });

  it("a computed argument over a weakly bound variable does not grow the magic set without end", () => {
    // gen(x) :- gen(x + 1), … with x bound from the head would ask gen(x + 1), gen(x + 2), … forever.
    const src = `
      .decl seed(x: number)
      .input seed
      .decl valid(x: number)
      .input valid
      .decl gen(x: number)
      gen(x) :- seed(x).
      gen(x) :- gen(x + 1), valid(x).
      .decl query()
      .output query
      query() :- gen(0).`;
    expectMagic(src, { seed: [[3]], valid: [[0], [1], [2]] }, { query: [[]] });
  });

  it("keeps a program stratified: a magic set that would depend on a negation through recursion is not made", () => {
    // q is read with x bound both by r (which the negation in z reads) and after z: one shared magic set
    // would make r depend on !r. The transformation leaves q alone instead.
    const src = `
      .decl e(x: number)
      .input e
      .decl e2(x: number, y: number)
      .input e2
      .decl q(x: number, y: number)
      q(x, y) :- e2(x, y).
      q(x, z) :- q(x, y), e2(y, z).
      .decl r(x: number)
      r(x) :- q(1, x).
      .decl z(x: number)
      z(x) :- e(x), !r(x).
      .decl p(x: number, y: number)
      .output p
      p(x, y) :- z(x), q(x, y).`;
    const facts = {
      e: [[1], [2], [3]],
      e2: [
        [1, 2],
        [2, 3],
        [3, 4],
      ],
    };
    const p = expectMagic(src, facts, {
      p: [
        [1, 2],
        [1, 3],
        [1, 4],
      ],
    });
    expect(p.checked.magic!.refused.get("q")).toMatch(/recursion/);
  });

  it("honours a list of relations, magic-transform-exclude and no_magic", () => {
    const src = `
      .decl e(x: number, y: number)
      .input e
      .decl a(x: number, y: number)
      a(x, y) :- e(x, y).
      .decl b(x: number, y: number)
      b(x, y) :- e(x, y).
      .decl c(x: number, y: number) no_magic
      c(x, y) :- e(x, y).
      .decl o(x: number)
      .output o
      o(y) :- a(1, y), b(1, y), c(1, y).`;
    const named = compile(`.pragma "magic-transform" "a, b"\n.pragma "magic-transform-exclude" "b"\n` + src);
    expect(generated(named)).toEqual(["@magic.a{bf}", "a{bf}"]);
    expect(named.checked.magic!.refused.get("b")).toMatch(/exclude/);
    const all = compile(PRAGMA + src);
    // b(1, y) comes after a(1, y) has bound y.
    expect(generated(all)).toEqual(["@magic.a{bf}", "@magic.b{bb}", "a{bf}", "b{bb}"]);
    expect(all.checked.magic!.refused.get("c")).toMatch(/no_magic/);
    const facts = {
      e: [
        [1, 2],
        [1, 3],
        [2, 2],
      ],
    };
    expect(asSet(named.run(facts).o)).toEqual(asSet([[2], [3]]));
    expect(asSet(all.run(facts).o)).toEqual(asSet([[2], [3]]));
  });

  it("warns about a pragma naming an undeclared relation", () => {
    const p = compile(`.pragma "magic-transform" "nope"\n.decl a(x: number)\na(1).\n`);
    expect(p.warnings.map((w) => w.code)).toContain("magic-unknown-relation");
  });

  it("does nothing in a program without outputs: every relation is a result", () => {
    const src =
      PRAGMA +
      `
      .decl e(x: number, y: number)
      .decl p(x: number, y: number)
      p(x, y) :- e(x, y).
      .decl q(y: number)
      q(y) :- p(1, y).`;
    const p = compile(src);
    expect(generated(p)).toEqual([]);
    expect(
      p.run({
        e: [
          [1, 2],
          [3, 4],
        ],
      }).p,
    ).toHaveLength(2);
  });
});

describe("magic sets: command line", () => {
  const dir = scratchDir("cairn-magic-");
  const file = join(dir, "tc.dl");
  writeFileSync(
    file,
    PRAGMA +
      `
    .decl edge(x: number, y: number)
    .input edge
    .decl path(x: number, y: number)
    path(x, y) :- edge(x, y).
    path(x, z) :- path(x, y), edge(y, z).
    .decl from1(y: number)
    .output from1
    from1(y) :- path(1, y).
  `,
  );
  writeFileSync(join(dir, "edge.facts"), "1\t2\n2\t3\n4\t5\n");

  it("--emit plan prints the transformed rules", () => {
    const r = cliSync("run", file, "-F", dir, "--emit", "plan");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`magic sets: "path" is computed as path{bf} (bound, free)`);
    expect(r.out).toContain("@magic.path{bf}(1).");
    expect(r.out).toContain("path{bf}(x, z) :- @magic.path{bf}(x), path{bf}(x, y), edge(y, z).");
  });

  it("runs and writes the outputs", () => {
    const r = cliSync("run", file, "-F", dir, "-D", "-");
    expect(r.code, r.err).toBe(0);
    expect(
      r.out
        .split("\n")
        .filter((l) => /^\d/.test(l))
        .sort(),
    ).toEqual(["2", "3"]);
  });

  it("the CALM analysis describes the program as written", () => {
    const r = cliSync("analyze", file);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("{bf}");
    expect(r.out).toContain("path");
  });
});
