// The CPS reader: s-expressions with [ ] and ; comments, let desugaring,
// preorder labels, scoping facts, and located errors for malformed or open
// programs (the exact rendered text, as the CLI prints it).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CairnError, renderDiagnostics } from "../index.js";
import { cpsFacts } from "../programs/kcfa/facts.js";
import { loadCps } from "../programs/kcfa/program.js";
import type { Atom, Call } from "../programs/kcfa/syntax.js";

const lvish = readFileSync(join(import.meta.dirname, "..", "programs", "kcfa", "examples", "lvish.cps"), "utf8");

/** The program printed back, desugared, with labels: (1: (2: λ (id) …) …). */
function show(c: Call): string {
  const atom = (a: Atom): string =>
    a.kind === "var" ? a.name : a.kind === "halt" ? "halt" : `${a.label}:(λ (${a.params.map((p) => p.name).join(" ")}) ${show(a.body)})`;
  return `${c.label}:(${[c.fn, ...c.args].map(atom).join(" ")})`;
}

function errorText(text: string): string {
  try {
    loadCps(text, "p.cps");
  } catch (e) {
    if (e instanceof CairnError) return renderDiagnostics(e.diagnostics, e.sources);
    throw e;
  }
  throw new Error("expected an error");
}

describe("CPS syntax", () => {
  it("labels the LVish example in preorder after desugaring let", () => {
    const p = loadCps(lvish);
    expect(show(p.root)).toBe(
      "1:(2:(λ (id) 3:(id 4:(λ (z) 5:(halt z)) 6:(λ (a) 7:(id 8:(λ (y) 9:(halt y)) 10:(λ (b) 11:(halt b)))))) 12:(λ (x k) 13:(k x)))",
    );
    expect(p.maxLabel).toBe(13);
    expect(p.calls.map((c) => c.label)).toEqual([1, 3, 5, 7, 9, 11, 13]);
    expect(p.lambdas.map((l) => l.label)).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it("desugars a let of several bindings into nested lambdas, values labelled after the body", () => {
    const p = loadCps("(let ((a halt) (b (lambda (x) (x x)))) (b a))");
    expect(show(p.root)).toBe("1:(2:(λ (a) 3:(4:(λ (b) 5:(b a)) 6:(λ (x) 7:(x x)))) halt)");
  });

  it("reads [ ] as ( ), skips ; comments and accepts λ", () => {
    const a = loadCps("; a comment\n[(λ (x) [halt x]) ; more\n (lambda (y) (halt y))]");
    const b = loadCps("((lambda (x) (halt x)) (lambda (y) (halt y)))");
    expect(show(a.root)).toBe(show(b.root));
  });

  it("computes free variables and binding depths", () => {
    const p = loadCps(lvish);
    expect(Object.fromEntries([...p.freeVars].map(([l, vs]) => [l, [...vs].sort()]))).toEqual({
      2: [],
      4: [],
      6: ["id"],
      8: [],
      10: [],
      12: [],
    });
    expect(Object.fromEntries([...p.bindings].map(([v, b]) => [v, b.depth]))).toEqual({ id: 0, z: 1, a: 1, y: 2, b: 2, x: 0, k: 0 });
  });

  it("turns a program into the rules' input facts", () => {
    const f = cpsFacts(loadCps(lvish), 2);
    expect(f.start).toEqual([[1]]);
    expect(f.k).toEqual([[2]]);
    expect(f.argVar).toContainEqual([13, 0, "k"]);
    expect(f.argLam).toContainEqual([1, 1, 12]);
    expect(f.argHalt).toContainEqual([11, 0]);
    expect(f.param).toContainEqual([12, 2, "k"]);
    expect(f.body).toContainEqual([12, 13]);
    expect(f.freeVar).toEqual([[6, "id"]]);
    // Slots: inside lambda 6 the environment holds id's time (bound by 2), then a's (6).
    expect(f.varSlot).toEqual([
      [3, 0, 0],
      [5, 1, 0],
      [7, 0, 0],
      [9, 1, 0],
      [11, 1, 0],
      [13, 0, 0],
      [13, 1, 0],
    ]);
    expect(f.envPiece).toEqual([[6, 0, 0, 1]]);
    expect(f.envPieces).toEqual([
      [2, 0],
      [12, 0],
      [4, 0],
      [6, 1],
      [8, 0],
      [10, 0],
    ]);
  });

  it("parses a deeply nested program without overflowing the stack", () => {
    const n = 50_000;
    let text = "";
    for (let i = 0; i < n; i++) text += `((lambda (x${i}) `;
    text += "(halt x0)";
    for (let i = n - 1; i >= 0; i--) text += `) halt)`;
    expect(loadCps(text).calls.length).toBe(n + 1);
  });
});

describe("CPS errors", () => {
  it("reports a variable that is not bound", () => {
    expect(errorText("(let ((f (lambda (x) (g x)))) (f f))")).toBe(
      [
        'p.cps:1:23: error[unbound-variable]: variable "g" is not bound here: programs must be closed',
        "  |",
        "1 | (let ((f (lambda (x) (g x)))) (f f))",
        "  |                       ^",
      ].join("\n"),
    );
  });

  it("reports a use outside its binder's scope, pointing at the binder", () => {
    expect(errorText("((lambda (k) (k k)) (lambda (x) (halt x)) x)")).toContain(
      'p.cps:1:43: error[unbound-variable]: variable "x" is not bound here',
    );
  });

  it("reports a name bound twice, with the first binding", () => {
    expect(errorText("((lambda (x) (halt x))\n (lambda (x) (halt x)))")).toBe(
      [
        'p.cps:2:11: error[duplicate-binding]: "x" is bound twice: each name must be bound once',
        "  |",
        "2 |  (lambda (x) (halt x)))",
        "  |           ^",
        "  note: p.cps:1:11: first bound here",
        "    |",
        "  1 | ((lambda (x) (halt x))",
        "    |           ^",
      ].join("\n"),
    );
  });

  it("reports every scoping error at once", () => {
    expect(errorText("((lambda (x x) (y z)) halt halt)").match(/error\[/g)).toHaveLength(3);
  });

  const syntax: [string, string, string][] = [
    ["(f x", "p.cps:1:1", '"(" is never closed'],
    ["(halt x))", "p.cps:1:9", 'unexpected ")": nothing is open'],
    ["(halt x]", "p.cps:1:8", '"]" closes a list opened with "("'],
    ["", "p.cps:1:1", "the program is empty"],
    ["(halt halt) (halt halt)", "p.cps:1:13", "unexpected text after the program"],
    ["x", "p.cps:1:1", 'expected a call such as (f x), found "x"'],
    ["()", "p.cps:1:1", "empty call"],
    ["(lambda (x) (halt x))", "p.cps:1:1", "expected a call, found a lambda"],
    ["(halt (f x))", "p.cps:1:7", "expected an atom (a variable, a lambda or halt), found a call"],
    ["((lambda x (halt x)) halt)", "p.cps:1:10", "expected a parameter list"],
    ["((lambda (x)) halt)", "p.cps:1:2", "lambda needs a body call"],
    ["((lambda (x) (halt x) (halt x)) halt)", "p.cps:1:23", "lambda has one body call"],
    ["((lambda ((x)) (halt x)) halt)", "p.cps:1:11", "expected a variable name as a parameter"],
    ["((lambda (halt) (halt halt)) halt)", "p.cps:1:11", '"halt" is a keyword and cannot be bound'],
    ["(let () (halt halt))", "p.cps:1:6", "let needs at least one binding"],
    ["(let ((x)) (halt x))", "p.cps:1:7", "expected a binding (var atom)"],
    ["(let ((x halt)))", "p.cps:1:1", "let needs a body call"],
    ["(halt let)", "p.cps:1:7", '"let" is a keyword and cannot be used as a value'],
  ];
  for (const [text, at, message] of syntax) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const shown = errorText(text);
      expect(shown.split("\n")[0]).toContain(`${at}: error[cps-syntax]: ${message}`);
    });
  }
});
