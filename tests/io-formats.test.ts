// Soufflé's file formats beyond plain tab-separated facts: rfc4180=true
// (quoted fields holding delimiters, quotes and line breaks; comma by default;
// symbols written quoted), gzip-compressed facts files, compress=true outputs,
// and `-D -`, which prints each output with its column names.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { cli, scratchDir } from "./cli-helpers.js";

const dir = scratchDir("cairn-io-");
const write = (name: string, text: string | Buffer) => writeFileSync(join(dir, name), text);

describe("rfc4180=true", () => {
  it("reads quoted fields and writes symbols quoted, so that they read back", async () => {
    write(
      "q.dl",
      `.decl a(s: symbol, n: number, t: symbol)
.input a(rfc4180=true)
.output a(rfc4180=true)
.decl len(n: number)
len(strlen(s)) :- a(s, _, _).
.output len`,
    );
    mkdir("q-facts");
    write("q-facts/a.facts", '"x,y",1,"say ""hi"""\nplain,2,"two\nlines"\r\n"",3,z\n');
    const r = await cli("run", join(dir, "q.dl"), "-F", join(dir, "q-facts"), "-D", join(dir, "q-out"));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const out = readFileSync(join(dir, "q-out", "a.csv"), "utf8");
    expect(out.endsWith("\n")).toBe(true);
    expect(
      out
        .trimEnd()
        .split(/\n(?=")/)
        .sort(),
    ).toEqual(['"",3,"z"', '"plain",2,"two\nlines"', '"x,y",1,"say ""hi"""']);
    expect(
      readFileSync(join(dir, "q-out", "len.csv"), "utf8")
        .split("\n")
        .filter(Boolean)
        .sort(),
    ).toEqual(["0", "3", "5"]);
    // What was written reads back as the same tuples.
    mkdir("q-again");
    write("q-again/a.facts", out);
    const again = await cli("run", join(dir, "q.dl"), "-F", join(dir, "q-again"), "-D", join(dir, "q-out2"));
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, "q-out2", "a.csv"), "utf8").length).toBe(out.length);
  });

  it("reports a quoted field that is not closed, and text after a closing quote, where they are", async () => {
    write("e.dl", ".decl a(s: symbol, t: symbol)\n.input a(rfc4180=true)\n.output a");
    mkdir("e1");
    write("e1/a.facts", 'ok,fine\n"open,field\n');
    const r1 = await cli("run", join(dir, "e.dl"), "-F", join(dir, "e1"), "-D", join(dir, "e-out"));
    expect(r1.code).toBe(1);
    expect(r1.err).toContain('e1/a.facts:2:1: error[bad-fact]: a quoted field of relation "a" is not closed');
    mkdir("e2");
    write("e2/a.facts", 'ok,"quoted"x\n');
    const r2 = await cli("run", join(dir, "e.dl"), "-F", join(dir, "e2"), "-D", join(dir, "e-out"));
    expect(r2.code).toBe(1);
    expect(r2.err).toContain(
      'e2/a.facts:1:12: error[bad-fact]: expected the delimiter or the end of the line after a quoted field of relation "a"',
    );
  });
});

describe("compression", () => {
  it("reads gzip-compressed facts and writes compress=true outputs gzip-compressed", async () => {
    write("z.dl", ".decl a(x: number, y: symbol)\n.input a\n.output a(compress=true)\n.decl b(x: number)\nb(x) :- a(x, _).\n.output b");
    mkdir("z-facts");
    write("z-facts/a.facts", gzipSync(Buffer.from("1\tone\n2\ttwo\n")));
    const r = await cli("run", join(dir, "z.dl"), "-F", join(dir, "z-facts"), "-D", join(dir, "z-out"));
    expect(r.err).toBe("");
    expect(
      readFileSync(join(dir, "z-out", "b.csv"), "utf8")
        .split("\n")
        .filter(Boolean)
        .sort(),
    ).toEqual(["1", "2"]);
    const a = gunzipSync(readFileSync(join(dir, "z-out", "a.csv"))).toString("utf8");
    expect(a.split("\n").filter(Boolean).sort()).toEqual(["1\tone", "2\ttwo"]);
  });
});

describe("-D -", () => {
  it("prints each output framed as Soufflé does, with its column names", async () => {
    write("s.dl", '.decl foo(a: symbol, b: number)\nfoo("bar", 1).\n.output foo\n.decl e()\ne().\n.output e');
    const r = await cli("run", join(dir, "s.dl"), "-D", "-");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "---------------\nfoo\na\tb\n===============\nbar\t1\n===============\n---------------\ne\n\n===============\n()\n===============\n",
    );
  });
});

function mkdir(name: string): void {
  mkdirSync(join(dir, name), { recursive: true });
}
