// Queries, lookups, facts folders and state files through the API: query()
// against answers computed here by hand, lookup() against a filter of
// tuples() and through an index, load() and save()/restore() against the CLI
// reading and writing the same files.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.js";
import { CairnError, compile, Database, StateFileError } from "../index.js";

const source = `
.decl edge(x: number, y: number)
.input edge
.decl blocked(x: number)
.input blocked
.decl name(x: number, n: symbol)
.decl path(x: number, y: number)
.output path
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
`;
const program = compile(source, { file: "graph.dl" });

const tmp = mkdtempSync(join(tmpdir(), "cairn-api-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The pairs (a, b) with a path from a to b, computed here. */
function closure(edges: readonly (readonly [number, number])[]): Set<string> {
  const reach = new Set(edges.map(([a, b]) => `${a},${b}`));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of [...reach]) {
      const [a, b] = p.split(",").map(Number) as [number, number];
      for (const [c, d] of edges) {
        if (c === b && !reach.has(`${a},${d}`)) {
          reach.add(`${a},${d}`);
          grew = true;
        }
      }
    }
  }
  return reach;
}

const edgeList = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: 10 });

describe("query()", () => {
  it("answers a body with negation, as computed by hand (property)", () => {
    fc.assert(
      fc.property(
        edgeList,
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 5 }),
        (edges, blocked, from) => {
          const db = program.database();
          db.insert("edge", edges);
          db.insert(
            "blocked",
            blocked.map((b) => [b]),
          );
          db.runSync();
          const got = db.query(`path(${from}, x), !blocked(x)`);
          const want = [...closure(edges)]
            .map((p) => p.split(",").map(Number) as [number, number])
            .filter(([a, b]) => a === from && !blocked.includes(b))
            .map(([, b]) => b);
          expect(got.map((b) => b.x).sort()).toEqual([...new Set(want)].sort());
          for (const b of got) expect(Object.keys(b)).toEqual(["x"]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("binds every variable outside aggregates, in order of appearance, with its type", async () => {
    const db = program.database();
    db.insert("edge", [
      [1, 2],
      [2, 3],
    ]);
    db.insert("name", [
      [2, "two"],
      [3, "three"],
    ]);
    await db.run();
    const got = db.query("path(1, x), name(x, n), c = count : { path(_, x) }.");
    expect(got.sort((a, b) => (a.x as number) - (b.x as number))).toEqual([
      { x: 2, n: "two", c: 1 },
      { x: 3, n: "three", c: 2 },
    ]);
    expect(db.query('name(x, "two") ; edge(x, 3)').map((b) => b.x)).toEqual([2]);
    expect(db.query("edge(1, 2)")).toEqual([{}]);
    expect(db.query("edge(2, 1)")).toEqual([]);
  });

  it("binds lattice values as their final value; set and pair values only serve tests", () => {
    const lattices = compile(`
      .decl e(x: number, y: number)
      .decl dist(x: number, d: min<number>)
      .decl tags(x: number, t: set<symbol>)
      dist(1, 0).
      dist(y, d + 1) :- dist(x, d), e(x, y).
      tags(x, singleton("from")) :- e(x, _).
      tags(x, singleton("to")) :- e(_, x).`);
    const db = lattices.database();
    db.insert("e", [
      [1, 2],
      [2, 3],
      [1, 3],
    ]);
    db.runSync();
    const byX = (a: { x?: unknown }, b: { x?: unknown }) => (a.x as number) - (b.x as number);
    expect(db.query("dist(x, d)").sort(byX)).toEqual([
      { x: 1, d: 0 },
      { x: 2, d: 1 },
      { x: 3, d: 1 },
    ]);
    expect(db.query('tags(x, t), member("to", t)').sort(byX)).toEqual([{ x: 2 }, { x: 3 }]);
  });

  it("answers from the database as it is now", async () => {
    const db = program.database();
    db.insert("edge", [[1, 2]]);
    await db.run();
    expect(db.query("path(1, x)")).toEqual([{ x: 2 }]);
    db.insert("edge", [[2, 3]]);
    expect(db.query("path(1, x)")).toEqual([{ x: 2 }]);
    await db.run();
    expect(db.query("path(1, x)").map((b) => b.x)).toEqual(expect.arrayContaining([2, 3]));
  });

  it("may be asked from a handler between two rounds of a run, which still reaches its fixpoint", () => {
    const db = program.database();
    const answers: number[] = [];
    db.on("path", () => answers.push(db.query("path(0, x)").length));
    const chain = Array.from({ length: 30 }, (_, i) => [i, i + 1] as [number, number]);
    db.insert("edge", chain);
    db.runSync();
    expect(db.size("path")).toBe(closure(chain).size); // 465: every pair i < j
    expect(db.query("path(0, x)").length).toBe(30);
    expect(answers.length).toBeGreaterThan(30);
  });

  it("rejects a bad query with diagnostics located in it, and changes nothing", () => {
    const db = program.database();
    db.insert("edge", [[1, 2]]);
    db.runSync();
    let e: unknown;
    try {
      db.query("path(1, x), !blocked(y)");
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(CairnError);
    const d = (e as CairnError).diagnostics[0]!;
    expect([d.code, d.span?.file, d.span?.start.line, d.span?.start.col]).toEqual(["ungrounded-variable", "<query>", 1, 22]);
    expect(db.size("path")).toBe(1);
  });
});

describe("lookup()", () => {
  it("gives the tuples matching a pattern, free columns undefined or left out (property, against a filter of tuples())", () => {
    const pattern = fc.tuple(
      fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    );
    fc.assert(
      fc.property(edgeList, fc.array(pattern, { minLength: 1, maxLength: 4 }), (edges, patterns) => {
        const db = program.database();
        db.insert("edge", edges);
        db.runSync();
        for (const [x, y] of patterns) {
          const want = db.tuples("path").filter((t) => (x === undefined || t[0] === x) && (y === undefined || t[1] === y));
          const key = (t: readonly unknown[]) => t.join(",");
          expect(db.lookup("path", [x, y]).map(key).sort()).toEqual(want.map(key).sort());
          const named: Record<string, number> = {};
          if (x !== undefined) named.x = x;
          if (y !== undefined) named.y = y;
          expect(db.lookup("path", named).map(key).sort()).toEqual(want.map(key).sort());
        }
      }),
      { numRuns: 100 },
    );
  });

  it("probes an index over the given columns, kept up to date as the relation grows", async () => {
    const db = program.database();
    db.insert("edge", [
      [1, 2],
      [2, 3],
    ]);
    await db.run();
    const path = db.runner.relation("path");
    expect(path.existingIndex([1])).toBeUndefined();
    expect(db.lookup("path", [undefined, 3])).toEqual([
      [2, 3],
      [1, 3],
    ]);
    expect(path.existingIndex([1])).toBeDefined();
    db.insert("edge", [[0, 1]]);
    await db.run();
    expect(
      db
        .lookup("path", { y: 3 })
        .map((t) => t[0])
        .sort(),
    ).toEqual([0, 1, 2]);
    expect(() => db.lookup("path", [1, 1.5])).toThrow(/lookup in "path": tuple 0, column 1 "y" is 1.5/);
  });
});

describe("load(), save() and restore()", () => {
  const facts = join(tmp, "facts");
  mkdirSync(facts, { recursive: true });
  writeFileSync(join(facts, "edge.facts"), "1\t2\n2\t3\n");
  writeFileSync(join(facts, "blocked.facts"), "3\n");

  it("load() reads the .input relations as the CLI does", async () => {
    const db = program.database();
    db.load(facts);
    await db.run();
    const out = join(tmp, "out-load");
    writeFileSync(join(tmp, "graph.dl"), source);
    expect(await main(["run", join(tmp, "graph.dl"), "-F", facts, "-D", out], { stdout: () => {}, stderr: () => {} })).toBe(0);
    const cli = readFileSync(join(out, "path.csv"), "utf8").trim().split("\n").sort();
    expect(
      db
        .tuples("path")
        .map((t) => t.join("\t"))
        .sort(),
    ).toEqual(cli);
    expect(db.tuples("blocked")).toEqual([[3]]);
  });

  it("load() of a missing or bad file is the CLI's located error, and inserts nothing", () => {
    const bad = join(tmp, "bad");
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, "edge.facts"), "1\t2\n");
    const db = program.database();
    expect(() => db.load(bad)).toThrow(CairnError);
    try {
      db.load(bad);
    } catch (e) {
      expect((e as CairnError).diagnostics.map((d) => d.code)).toEqual(["missing-facts"]);
      expect((e as CairnError).diagnostics[0]!.message).toBe(`cannot open fact file ${join(bad, "blocked.facts")} for relation "blocked"`);
    }
    writeFileSync(join(bad, "blocked.facts"), "x\n");
    try {
      db.load(bad);
    } catch (e) {
      const d = (e as CairnError).diagnostics[0]!;
      expect([d.code, d.span?.file, d.span?.start.line]).toEqual(["bad-fact", join(bad, "blocked.facts"), 1]);
    }
    expect(db.size("edge")).toBe(0);
  });

  it("save() and Database.restore() round-trip, and a restored database continues as one never saved", async () => {
    const db = program.database();
    db.insert("edge", [
      [1, 2],
      [2, 3],
    ]);
    await db.run();
    const file = join(tmp, "db.state");
    db.save(file);
    const back = Database.restore(program, file);
    expect(back.tuples("path")).toEqual(db.tuples("path"));
    back.insert("edge", [[3, 4]]);
    await back.run();
    const fresh = program.database();
    fresh.insert("edge", [
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    await fresh.run();
    expect(new Set(back.tuples("path").map(String))).toEqual(new Set(fresh.tuples("path").map(String)));
    const other = compile(".decl r(x: number)");
    expect(() => Database.restore(other, file)).toThrow(
      new StateFileError("not-state", `state file ${file} was saved for a different program`),
    );
    expect(() => Database.restore(program, join(tmp, "none.state"))).toThrow(/state file .*none.state does not exist/);
  });

  it("opens a state `cairn run --state` saved, and the CLI continues from one save() wrote", async () => {
    const prog = join(tmp, "graph.dl");
    writeFileSync(prog, source);
    const state = join(tmp, "cli.state");
    const io = { stdout: () => {}, stderr: () => {} };
    expect(await main(["run", prog, "-F", facts, "-D", join(tmp, "o1"), "--state", state], io)).toBe(0);
    const fromFile = compile(source, { file: prog });
    const db = Database.restore(fromFile, state);
    expect(db.tuples("path").map(String).sort()).toEqual(["1,2", "1,3", "2,3"]);
    db.insert("edge", [[3, 4]]);
    await db.run();
    db.save(state);
    writeFileSync(join(facts, "edge.facts"), "1\t2\n2\t3\n3\t4\n");
    let stderr = "";
    expect(
      await main(["run", prog, "-F", facts, "-D", join(tmp, "o2"), "--state", state, "--stats"], {
        stdout: () => {},
        stderr: (s) => (stderr += s),
      }),
    ).toBe(0);
    expect(stderr).not.toMatch(/running from scratch/);
    expect(
      readFileSync(join(tmp, "o2", "path.csv"), "utf8")
        .trim()
        .split("\n")
        .sort(),
    ).toEqual(["1\t2", "1\t3", "1\t4", "2\t3", "2\t4", "3\t4"]);
  });
});
