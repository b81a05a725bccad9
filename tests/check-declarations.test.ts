// Semantic checks of declarations: relations, types, directives, qualifiers.

import { describe, expect, it } from "vitest";
import { brief, checkText, errorsOf, notes, okProgram } from "./check-helpers.js";

describe("relation declarations", () => {
  it("reports a duplicate relation with a note at the first declaration", () => {
    const r = checkText(".decl a(x:number)\n.decl a(y:symbol)\na(1).\n");
    expect(r.errors.map(brief)).toEqual(['2:7 duplicate-relation: relation "a" is declared twice']);
    expect(notes(r.errors[0]!)).toEqual(['1:7 "a" is first declared here']);
  });

  it("reports an undeclared relation in a head, a body, a negation and an aggregate, with a suggestion", () => {
    const r = checkText(
      ".decl path(x:number, y:number)\n" +
        ".decl edge(x:number, y:number) input\n" +
        "pth(x, y) :- edge(x, y).\n" +
        "path(x, y) :- edg(x, y).\n" +
        "path(x, y) :- edge(x, y), !blocked(x).\n" +
        "path(x, n) :- edge(x, _), n = count : { edges(x, _) }.\n",
    );
    expect(r.errors.map(brief)).toEqual([
      '3:1 undeclared-relation: relation "pth" is not declared',
      '4:15 undeclared-relation: relation "edg" is not declared',
      '5:28 undeclared-relation: relation "blocked" is not declared',
      '6:41 undeclared-relation: relation "edges" is not declared',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['1:7 did you mean "path"?']);
    expect(notes(r.errors[1]!)).toEqual(['2:7 did you mean "edge"?']);
    expect(notes(r.errors[2]!)).toEqual([]);
    expect(notes(r.errors[3]!)).toEqual(['2:7 did you mean "edge"?']);
  });

  it("reports an arity mismatch with a note at the declaration", () => {
    const r = checkText(".decl a(x:number, y:number, z:number)\na(1).\n.decl b(x:number)\nb(x) :- a(x, x, x), b(x, x).\n");
    expect(r.errors.map(brief)).toEqual([
      '2:1 arity-mismatch: relation "a" has 3 columns, but this atom has 1 argument',
      '4:21 arity-mismatch: relation "b" has 1 column, but this atom has 2 arguments',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['1:7 "a" is declared here']);
  });

  it("reports duplicate attributes, unknown attribute types and repeated qualifiers", () => {
    expect(errorsOf(".type Node <: symbol\n.decl r(a:Node, a:Nod)\n.decl s(x:number) input input\n")).toEqual([
      '2:17 duplicate-attribute: attribute "a" of relation "r" is declared twice',
      '2:19 unknown-type: type "Nod" is not declared',
      '3:1 duplicate-qualifier: qualifier input is given twice for relation "s"',
    ]);
    const r = checkText(".type Node <: symbol\n.decl r(a:Nod)\n");
    expect(notes(r.errors[0]!)).toEqual(['1:1 did you mean "Node"?']);
  });

  it("reports a relation named like a type", () => {
    expect(errorsOf(".type T <: number\n.decl T(x:number)\nT(1).\n")).toEqual(['2:7 name-clash: relation "T" has the same name as a type']);
  });

  it("checks the signature of equivalence relations", () => {
    expect(errorsOf(".decl e(x:number) eqrel\n.decl f(x:number, y:symbol) eqrel\n.decl g(x:number, y:number) eqrel\n")).toEqual([
      '1:7 bad-eqrel: equivalence relation "e" must have exactly 2 columns, not 1',
      '2:7 bad-eqrel: the two columns of equivalence relation "f" must have the same type, not number and symbol',
    ]);
  });

  it("warns about relations with no rules, facts or input, as Soufflé does", () => {
    const r = checkText(".decl a(x:number)\n.decl b(x:number) input\n.decl c(x:number)\nc(x) :- a(x), b(x).\n.output c\n");
    expect(r.checked).toBeDefined();
    expect(r.warnings.map(brief)).toEqual(['1:7 no-rules: no rules or facts defined for relation "a"']);
  });
});

describe("type declarations", () => {
  it("resolves subtypes, equivalences and unions to their base types", () => {
    const p = okProgram(
      ".type Id <: unsigned\n.type Name = symbol\n.type Small <: Id\n.type Any = Id | Small\n" +
        '.decl r(a:Id, b:Name, c:Small, d:Any, e:float)\nr(1, "x", 2, 3, 4).\n',
    );
    expect(p.relations.get("r")!.columns).toEqual([
      { name: "a", type: "unsigned", typeName: "Id" },
      { name: "b", type: "symbol", typeName: "Name" },
      { name: "c", type: "unsigned", typeName: "Small" },
      { name: "d", type: "unsigned", typeName: "Any" },
      { name: "e", type: "float", typeName: "float" },
    ]);
  });

  it("reports duplicate and predefined types", () => {
    const r = checkText(".type T <: number\n.type T <: symbol\n.type number <: symbol\n");
    expect(r.errors.map(brief)).toEqual([
      '2:1 duplicate-type: type "T" is declared twice',
      '3:1 duplicate-type: type "number" is predefined and cannot be redefined',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['1:1 "T" is first declared here']);
  });

  it("reports unknown types in type declarations, with a suggestion", () => {
    const r = checkText(".type Node <: symbol\n.type Edge <: Nod\n.type U = Node | Foo\n");
    expect(r.errors.map(brief)).toEqual(['2:15 unknown-type: type "Nod" is not declared', '3:18 unknown-type: type "Foo" is not declared']);
    expect(notes(r.errors[0]!)).toEqual(['1:1 did you mean "Node"?']);
  });

  it("reports each type of a definition cycle", () => {
    expect(errorsOf(".type A <: B\n.type B <: A\n.type C = C | symbol\n.type D = E\n.type E = D\n")).toEqual([
      '1:1 type-cycle: type "A" is defined in terms of itself: A -> B -> A',
      '2:1 type-cycle: type "B" is defined in terms of itself: A -> B -> A',
      '3:1 type-cycle: type "C" is defined in terms of itself: C -> C',
      '4:1 type-cycle: type "D" is defined in terms of itself: D -> E -> D',
      '5:1 type-cycle: type "E" is defined in terms of itself: D -> E -> D',
    ]);
  });

  it("reports unions over several base types, with where each member's base comes from", () => {
    const r = checkText(".type A <: number\n.type B <: symbol\n.type U = A | B | float\n");
    expect(r.errors.map(brief)).toEqual([
      '3:1 mixed-union: union type "U" mixes base types number, symbol and float; all its members must share one base type',
    ]);
    expect(notes(r.errors[0]!)).toEqual(['3:11 "A" is number', '3:15 "B" is symbol', '3:19 "float" is float']);
  });

  it("reports a subtype of a union", () => {
    expect(errorsOf(".type A <: number\n.type B <: number\n.type U = A | B\n.type S <: U\n")).toEqual([
      '4:12 subtype-of-union: subtype "S" cannot be derived from the union type "U"',
    ]);
  });
});

describe("directives", () => {
  const decls = ".decl a(x:number)\n.decl b(x:number)\nb(x) :- a(x).\n";

  it("collects inputs, outputs and printsize with their parameters", () => {
    const p = okProgram(
      decls +
        '.input a(IO=file, filename="a.tsv", delimiter="\\t")\n.input a(IO=stdin)\n.output b\n.output b(IO=stdout, headers=true)\n.printsize b\n',
    );
    const a = p.relations.get("a")!;
    const b = p.relations.get("b")!;
    expect(a.inputs.map((s) => s.params)).toEqual([{ IO: "file", filename: "a.tsv", delimiter: "\t" }, { IO: "stdin" }]);
    expect(a.outputs).toEqual([]);
    expect(b.outputs.map((s) => s.params)).toEqual([{}, { IO: "stdout", headers: "true" }]);
    expect(b.outputs[1]!.span.start.line).toBe(7);
    expect([a.printsize, b.printsize]).toEqual([false, true]);
  });

  it("treats the old input/output/printsize qualifiers as directives", () => {
    const p = okProgram(".decl a(x:number) input\n.decl b(x:number) output printsize\nb(x) :- a(x).\n");
    expect(p.relations.get("a")!.inputs.map((s) => s.params)).toEqual([{}]);
    expect(p.relations.get("b")!.outputs.map((s) => s.params)).toEqual([{}]);
    expect(p.relations.get("b")!.printsize).toBe(true);
    expect(p.relations.get("b")!.qualifiers).toEqual(["output", "printsize"]);
  });

  it("rejects IO systems Cairn does not have, and bad parameters", () => {
    expect(
      errorsOf(
        decls +
          ".input a(IO=sqlite)\n.output b(IO=json)\n.input a(IO=stdout)\n.output b(IO=stdin)\n" +
          ".input a(IO=tape)\n.output b(headers=yes)\n.output b(compress=maybe)\n",
      ),
    ).toEqual([
      "4:1 unsupported: IO=sqlite is not supported; Cairn reads and writes IO=file, IO=stdin and IO=stdout",
      "5:1 unsupported: IO=json is not supported; Cairn reads and writes IO=file, IO=stdin and IO=stdout",
      "6:1 bad-directive: an input cannot be read from IO=stdout",
      "7:1 bad-directive: an output cannot be written to IO=stdin",
      '8:1 bad-directive: unknown IO type "tape" (expected file, stdin or stdout)',
      '9:1 bad-directive: parameter headers must be true or false, not "yes"',
      '10:1 bad-directive: parameter compress must be true or false, not "maybe"',
    ]);
  });

  it("reports two outputs of one file, by the name given, with a note at the first", () => {
    const r = checkText(
      ".decl a(x:number) output\n.decl b(x:number)\nb(x) :- a(x).\na(1).\n" +
        '.output a\n.output b(filename="./a.csv")\n.output b(filename="b.tsv")\n.output b(IO=stdout)\n.output a(filename="other/../b.tsv")\n',
    );
    expect(r.errors.map(brief)).toEqual([
      '5:1 duplicate-output: relation "a" is already written to "a.csv"',
      '6:1 duplicate-output: relation "b" is written to "a.csv", as relation "a" is',
      '9:1 duplicate-output: relation "a" is written to "b.tsv", as relation "b" is',
    ]);
    expect(r.errors.map((e) => notes(e))).toEqual([["1:1 written there first"], ["1:1 written there first"], ["7:1 written there first"]]);
  });

  it("reports directives on undeclared relations at the relation's name", () => {
    const r = checkText(decls + ".output c\n.input a, bb\n");
    expect(r.errors.map(brief)).toEqual([
      '4:9 undeclared-relation: relation "c" is not declared',
      '5:11 undeclared-relation: relation "bb" is not declared',
    ]);
    expect(notes(r.errors[1]!)).toEqual(['2:7 did you mean "b"?']);
  });

  it("warns about unknown parameters, and takes .limitsize's n", () => {
    const r = checkText(decls + '.input a(filenme="a.facts")\n.limitsize b(n=10)\n.limitsize b(n=7)\n');
    expect(r.checked!.relations.get("b")!.limitsize).toBe(7);
    expect(r.warnings.map(brief)).toEqual(['4:1 unknown-io-param: unknown IO parameter "filenme" is ignored']);
    expect(errorsOf(decls + ".limitsize b(n=0)\n.limitsize b\n.limitsize b(n=3, m=1)\n")).toEqual([
      "4:1 bad-directive: .limitsize takes one parameter, n, a positive whole number of tuples: .limitsize b(n=100)",
      "5:1 bad-directive: .limitsize takes one parameter, n, a positive whole number of tuples: .limitsize b(n=100)",
      "6:1 bad-directive: .limitsize takes one parameter, n, a positive whole number of tuples: .limitsize b(n=100)",
    ]);
    expect(notes(r.warnings[0]!)).toEqual(['- did you mean "filename"?']);
  });

  it("rejects printsize asked twice, as Soufflé does", () => {
    const r = checkText(decls + ".printsize b\n.printsize a, b\n");
    expect(r.errors.map(brief)).toEqual(['5:15 duplicate-directive: printsize is already requested for relation "b"']);
    expect(notes(r.errors[0]!)).toEqual(["4:12 first requested here"]);
  });

  it("ignores pragmas", () => {
    okProgram('.pragma "legacy"\n.pragma "jobs" "4"\n.decl a(x:number)\na(1).\n');
  });
});
