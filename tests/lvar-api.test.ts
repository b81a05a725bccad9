// The LVar-shaped database API: threshold reads resolve exactly once and never
// early, handlers see every new fact and growth, freeze gives exact contents and
// turns later changes into typed errors that change nothing.

import { describe, expect, it } from "vitest";
import { compile, FrozenRelationError, NotQuiescentError, ThresholdUnreachableError, UnknownRelationError } from "../index.js";

const paths = compile(`
.decl edge(x: number, y: number)
.decl path(x: number, y: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).`);

const cart = compile(`
.decl added(replica: symbol, item: symbol)
.decl replica_cart(replica: symbol, items: set<symbol>)
replica_cart(r, singleton(i)) :- added(r, i).
.decl cart(items: set<symbol>)
cart(s) :- replica_cart(_, s).
.decl has_book()
has_book() :- cart(s), member("Book", s).`);

const dist = compile(`
.decl edge(x: number, y: number, w: number)
.decl dist(x: number, d: min<number>)
dist(0, 0).
dist(y, d + w) :- dist(x, d), edge(x, y, w).`);

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("threshold reads", () => {
  it("resolve once the fact holds, not before, and once", async () => {
    const db = paths.database();
    let resolved = 0;
    void db.when("path", [1, 3]).then(() => resolved++);
    db.insert("edge", [[1, 2]]);
    await db.run();
    await settle();
    expect(resolved).toBe(0);
    db.insert("edge", [[2, 3]]);
    await db.run();
    await settle();
    expect(resolved).toBe(1);
    db.insert("edge", [[3, 4]]);
    await db.run();
    await settle();
    expect(resolved).toBe(1);
  });

  it("on a lattice column resolve once the value is at least the one given", async () => {
    const db = dist.database();
    const order: string[] = [];
    void db.when("dist", [2, 10]).then(() => order.push("<= 10"));
    void db.when("dist", [2, 5]).then(() => order.push("<= 5"));
    db.insert("edge", [[0, 2, 12]]);
    await db.run();
    await settle();
    expect(order).toEqual([]);
    db.insert("edge", [
      [0, 1, 3],
      [1, 2, 4],
    ]);
    await db.run();
    await settle();
    expect(db.tuples("dist")).toContainEqual([2, 7]);
    expect(order).toEqual(["<= 10"]);
  });

  it("answer the shopping cart's book query before every replica reports", async () => {
    const db = cart.database();
    let book = false;
    void db.when("has_book", []).then(() => (book = true));
    db.insert("added", [["r1", "Pen"]]);
    await db.run();
    await settle();
    expect(book).toBe(false);
    db.insert("added", [["r2", "Book"]]);
    await db.run();
    await settle();
    expect(book).toBe(true);
    expect(db.tuples("cart")).toEqual([[["Book", "Pen"]]]);
    db.insert("added", [
      ["r3", "Mug"],
      ["r2", "Book"],
    ]);
    await db.run();
    expect(db.tuples("cart")).toEqual([[["Book", "Mug", "Pen"]]]);
  });

  it("reject when the relation is frozen without the fact", async () => {
    const db = paths.database();
    db.insert("edge", [[1, 2]]);
    await db.run();
    const pending = db.when("path", [2, 1]);
    db.freeze("path");
    await expect(pending).rejects.toBeInstanceOf(ThresholdUnreachableError);
  });
});

describe("handlers and freeze", () => {
  it("on() sees every new fact once", async () => {
    const db = paths.database();
    const seen: string[] = [];
    db.on("path", (t) => seen.push(t.join("-")));
    db.insert("edge", [
      [1, 2],
      [2, 3],
    ]);
    await db.run();
    db.insert("edge", [[3, 4]]);
    await db.run();
    expect(seen.sort()).toEqual(["1-2", "1-3", "1-4", "2-3", "2-4", "3-4"]);
  });

  it("freeze gives the exact contents; a later change throws and changes nothing", async () => {
    const db = paths.database();
    db.insert("edge", [[1, 2]]);
    await db.run();
    expect(db.freeze("edge")).toEqual([[1, 2]]);
    expect(() => db.insert("edge", [[1, 2]])).not.toThrow(); // nothing new: not a change
    expect(() =>
      db.insert("edge", [
        [5, 6],
        [1, 2],
      ]),
    ).toThrow(FrozenRelationError);
    expect(db.tuples("edge")).toEqual([[1, 2]]);
  });

  it("freeze before the fixpoint is refused", () => {
    const db = paths.database();
    db.insert("edge", [[1, 2]]);
    expect(() => db.freeze("path")).toThrow(NotQuiescentError);
  });
});

describe("insert", () => {
  it("takes any iterable of tuples, symbols and lattice values included", () => {
    const db = cart.database();
    function* added() {
      yield ["r1", "Book"] as const;
      yield ["r2", "Pen"] as const;
    }
    db.insert("added", added());
    db.runSync();
    expect(db.tuples("added")).toEqual([
      ["r1", "Book"],
      ["r2", "Pen"],
    ]);
    const d = dist.database();
    d.insert("dist", [
      [3, 9],
      [3, 4],
      [3, 7],
    ]);
    d.runSync();
    expect(d.tuples("dist")).toEqual([
      [0, 0],
      [3, 4],
    ]);
  });

  it("checks every tuple before adding any: a bad one anywhere leaves the relation as it was", () => {
    const db = paths.database();
    db.insert("edge", [[1, 2]]);
    expect(() =>
      db.insert("edge", [
        [3, 4],
        [5, 6, 7],
      ]),
    ).toThrow(
      expect.objectContaining({
        name: "ArityError",
        message: 'insert into "edge": tuple 1 has 3 values; "edge" has 2 columns (x, y); nothing of the batch was inserted',
      }),
    );
    expect(() =>
      db.insert("edge", [
        [3, 4],
        [5, "six"],
      ]),
    ).toThrow(
      expect.objectContaining({
        name: "ValueError",
        message:
          'insert into "edge": tuple 1, column 1 "y" is "six", not a number: a whole number from -2147483648 to 2147483647; nothing of the batch was inserted',
      }),
    );
    const c = cart.database();
    expect(() =>
      c.insert("replica_cart", [
        ["r1", ["Book"]],
        ["r2", "Pen"],
      ]),
    ).toThrow(/tuple 1, column 1 "items" is "Pen", not a value of set<symbol> \(an array of its elements\)/);
    expect(c.tuples("replica_cart")).toEqual([]);
    db.runSync();
    expect(db.tuples("edge")).toEqual([[1, 2]]);
    expect(db.tuples("path")).toEqual([[1, 2]]);
  });
});

describe("a relation the program does not declare", () => {
  it("is an UnknownRelationError naming it, from every method", async () => {
    const db = paths.database();
    const unknown = new UnknownRelationError("pth");
    expect(() => db.insert("pth", [[1, 2]])).toThrow(unknown);
    expect(() => db.tuples("pth")).toThrow(unknown);
    expect(() => db.size("pth")).toThrow(unknown);
    expect(() => db.on("pth", () => {})).toThrow(unknown);
    expect(() => db.freeze("pth")).toThrow(unknown);
    expect(() => db.when("pth", [1, 2])).toThrow(UnknownRelationError);
    expect(() => db.when("pth", [1, 2])).toThrow('relation "pth" is not declared in the program');
  });
});
