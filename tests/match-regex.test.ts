// `match` runs its patterns in time linear in the text (engine/eval/regex.ts):
// on random patterns it agrees with JavaScript's own engine, patterns that
// make a backtracking engine take exponential time finish at once, what needs
// backtracking (backreferences, lookaround, word boundaries) is a run-time
// error at the rule, and so is a match past the step bound.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, EvaluationError } from "../index.js";
import { compilePattern, MAX_STATES, UnsupportedPattern } from "../engine/eval/regex.js";

/** Whether `pattern` matches all of `text`, by the linear matcher (null: an invalid pattern). */
function linear(pattern: string, text: string): boolean | null {
  const m = compilePattern(pattern);
  return m === null ? null : m.test(text);
}

/** The same by JavaScript's backtracking engine, as match ran before. */
function native(pattern: string, text: string): boolean | null {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`, "su");
  } catch {
    return null;
  }
  return re.test(text);
}

/** Random patterns over a, b and c: classes, escapes, groups, alternation, anchors and every kind of quantifier. */
const pattern: fc.Arbitrary<string> = fc.letrec<{ re: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    // Deeper or longer, some patterns make JavaScript's engine, the reference here, take seconds.
    { maxDepth: 2, withCrossShrink: true },
    fc.constantFrom("a", "b", "c", ".", "[ab]", "[^a]", "[a-b]", "\\w", "\\W", "\\s", "[\\d]", "^", "$", "\\.", "[]", "[^]"),
    tie("re").map((r) => `(${r})`),
    tie("re").map((r) => `(?:${r})`),
  ),
  re: fc
    .array(fc.tuple(tie("atom"), fc.constantFrom("", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?", "{2,}")), { maxLength: 3 })
    .chain((items) =>
      fc.boolean().map((alt) => {
        const seq = items.map(([a, q]) => (a === "^" || a === "$" ? a : a + q)).join("");
        return alt && items.length > 1 ? `${seq}|${items[0]![0]}` : seq;
      }),
    ),
})).re;

describe("match's patterns", () => {
  it("match as JavaScript's engine does, on random patterns and texts", () => {
    fc.assert(
      fc.property(pattern, fc.stringMatching(/^[abc. ]{0,5}$/), (p, text) => {
        expect(linear(p, text), `${p} on ${JSON.stringify(text)}`).toBe(native(p, text));
      }),
      { numRuns: 3000 },
    );
  });

  it("match as JavaScript's engine does on the syntax beyond the random patterns", () => {
    const cases: [string, string][] = [
      ["\\d{3}-\\d{4}", "555-1234"],
      ["\\d{3}-\\d{4}", "555-12345"],
      ["[\\w.-]+@[a-z]+\\.(com|org)", "a.b-c@x.org"],
      ["a.c", "a\nc"],
      ["\\x41\\u0042\\u{43}", "ABC"],
      ["\\t\\n", "\t\n"],
      ["[\\-a]+", "-a-"],
      ["[a-]+", "a-"],
      ["\\cJ", "\n"],
      ["(?<year>\\d{4})-\\d\\d", "2024-01"],
      ["😀+", "😀😀"],
      [".", "😀"],
      ["[😀-😂]", "😁"],
      ["\\ud83d\\ude00", "😀"],
      ["[^a]", "😀"],
      ["a{0}b", "b"],
      ["(a|ab)(c|bcd)(d*)", "abcd"],
      ["(|a)+", "aaa"],
      ["(a*)*", ""],
      ["x*^y", "y"],
      ["a$|b", "b"],
      ["[\\b]", "\b"],
      ["\\0", "\0"],
      ["[\\s\\S]{2}", "a\n"],
    ];
    for (const [p, text] of cases) expect(linear(p, text), `${p} on ${JSON.stringify(text)}`).toBe(native(p, text));
    expect(linear("(", "")).toBeNull();
    expect(linear("a{2", "")).toBeNull();
  });

  it("finish on the patterns that make a backtracking engine take exponential time", () => {
    const aaa = `${"a".repeat(5000)}!`;
    for (const p of ["(a+)+$", "(a|a)*", "(a*)*b", "(a|aa)+", "(.*a){30}", "((a+)+)+b"]) expect(linear(p, aaa), p).toBe(false);
    expect(linear("(a+)+", "a".repeat(5000))).toBe(true);
  });

  it("refuse what needs backtracking, and a pattern or a match past the bounds", () => {
    const refused = (p: string, text = "") => {
      try {
        linear(p, text);
      } catch (e) {
        if (e instanceof UnsupportedPattern) return e.message;
        throw e;
      }
      return "accepted";
    };
    expect(refused("(a)\\1")).toBe("backreferences are not supported");
    expect(refused("(?<x>a)\\k<x>")).toBe("backreferences are not supported");
    expect(refused("a(?=b)b")).toBe("lookahead and lookbehind are not supported");
    expect(refused("(?<!a)b")).toBe("lookahead and lookbehind are not supported");
    expect(refused("\\bab")).toBe("word boundaries (\\b, \\B) are not supported");
    expect(refused("\\p{L}")).toBe("Unicode property escapes (\\p{…}) are not supported");
    expect(refused("(a{1,200}){1,200}")).toBe(`the pattern needs more than ${MAX_STATES} states`);
    // Every one of the 50 loops stays active at every character: some 50 states a character.
    const busy = compilePattern("(a*){50}")!;
    expect(busy.test("a".repeat(10), 10_000)).toBe(true);
    expect(() => busy.test("a".repeat(1000), 10_000)).toThrow("matching a string of 1000 characters took more than 10000 steps");
  });
});

describe("match in a program", () => {
  const program = (p: string) => compile(`.decl s(x: symbol)\n.decl yes(x: symbol)\nyes(x) :- s(x), match(${JSON.stringify(p)}, x).\n`);

  it("matches whole strings, with POSIX classes, and an invalid pattern fails the literal", () => {
    const s = [["123"], ["12a"], [`${"a".repeat(40)}!`]];
    expect(program("[[:digit:]]+").run({ s }).yes).toEqual([["123"]]);
    expect(program("(a+)+$").run({ s }).yes).toEqual([]);
    expect(program("(").run({ s }).yes).toEqual([]);
  });

  it("stops at the rule with a pattern that needs backtracking", () => {
    let error: unknown;
    try {
      program("(a)\\1").run({ s: [["aa"]] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EvaluationError);
    expect((error as EvaluationError).message).toBe('match: pattern "(a)\\\\1": backreferences are not supported');
    expect((error as EvaluationError).span?.start.line).toBe(3);
  });
});
