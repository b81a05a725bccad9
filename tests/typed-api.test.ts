// The typed API: compile<Schema>() with the Schema `cairn types` writes
// (tests/typed/graph.d.ts, for tests/typed/graph.dl) turns a relation name the
// program lacks, a tuple of the wrong width or type, and a string method on a
// number column into compile-time errors. Each @ts-expect-error below fails
// `npm run typecheck` if the error it expects goes away; each line also runs,
// and throws as the untyped API does.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { programDeclarations } from "../lang/dts.js";
import { ArityError, compile, type Tuple, UnknownRelationError, ValueError } from "../index.js";
import type { Schema } from "./typed/graph.js";

const dir = join(import.meta.dirname, "typed");
const source = readFileSync(join(dir, "graph.dl"), "utf8");
const program = compile<Schema>(source, { file: "tests/typed/graph.dl" });

describe("compile<Schema>()", () => {
  it("has the declarations `cairn types` writes for the program (the fixture has not drifted)", () => {
    const written = compile(source, { file: "tests/typed/graph.dl" }).written;
    expect(programDeclarations(written, "tests/typed/graph.dl")).toBe(readFileSync(join(dir, "graph.d.ts"), "utf8"));
    const app = join(import.meta.dirname, "..", "programs", "live-deps");
    const deps = compile(readFileSync(join(app, "live-deps.dl"), "utf8")).written;
    expect(programDeclarations(deps, "programs/live-deps/live-deps.dl")).toBe(readFileSync(join(app, "live-deps.d.ts"), "utf8"));
  });

  it("types tuples, rows and lookups by relation", () => {
    const db = program.database();
    db.insert("edge", [[1, 2], { x: 2, y: 3 }, [3n, 4]]);
    db.insert("label", [[2, "two"]]);
    db.runSync();
    const paths = db.tuples("path");
    const from: number = paths[0]![0];
    expect(typeof from).toBe("number");
    const dist = db.rows("dist").find((r) => r.x === 4);
    const d: number = dist!.d;
    expect(d).toBe(3);
    const tags: readonly string[] = db.tuples("tags")[0]![1];
    expect(tags).toEqual(["two"]);
    expect(db.lookup("path", [1, undefined]).length).toBe(3);
    expect(
      db
        .lookup("path", { y: 4 })
        .map((t) => t[0])
        .sort(),
    ).toEqual([1, 2, 3]);
    // The untyped API takes any name and gives Tuple.
    const untyped: Tuple[] = compile(source).database().tuples("path");
    expect(untyped).toEqual([]);
  });

  it("makes wrong names, arities and types compile-time errors", () => {
    const db = program.database();
    db.insert("edge", [[1, 2]]);
    db.insert("label", [[2, "x"]]);
    db.runSync();
    // @ts-expect-error: the program has no relation "dsit"
    expect(() => db.tuples("dsit")).toThrow(UnknownRelationError);
    // @ts-expect-error: edge has two columns
    expect(() => db.insert("edge", [[1, 2, 3]])).toThrow(ArityError);
    // @ts-expect-error: edge's columns are numbers
    expect(() => db.insert("edge", [[1, "2"]])).toThrow(ValueError);
    // @ts-expect-error: edge has no column "z"
    expect(() => db.insert("edge", [{ x: 1, z: 2 }])).toThrow(ArityError);
    // @ts-expect-error: column d of dist holds numbers, which have no toUpperCase
    expect(() => db.tuples("dist")[0]![1].toUpperCase()).toThrow(TypeError);
    // @ts-expect-error: a label's name is a string
    const n: number = db.rows("label")[0]!.name;
    expect(n).toBe("x");
    // @ts-expect-error: handlers get path's tuples, whose columns are numbers
    expect(() => db.on("path", (t) => t[0].toUpperCase())).toThrow(TypeError);
    // @ts-expect-error: edge has two columns
    expect(() => db.retract("edge", [[1]])).toThrow(ArityError);
    // @ts-expect-error: edge's columns are numbers
    expect(() => db.explain("edge", [1, "2"])).toThrow(ValueError);
    // @ts-expect-error: the program has no relation "pth"
    expect(() => db.explain("pth", [1, 2])).toThrow(UnknownRelationError);
    expect(db.explain("edge", [1, 2])).toMatchObject({ kind: "given" });
  });
});
