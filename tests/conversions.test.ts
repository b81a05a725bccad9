// to_number and to_unsigned of text: a number that fits is converted (a
// negative one wraps for to_unsigned, as in Soufflé); text that is no number,
// or a number beyond 32 bits, is a run-time error at the rule, never a value
// wrapped around.

import { describe, expect, it } from "vitest";
import { compile, EvaluationError } from "../index.js";

/** `f` of each text, or the message of the error it gives. */
function convert(f: "to_number" | "to_unsigned", text: string): number | string {
  const type = f === "to_number" ? "number" : "unsigned";
  const program = compile(`.decl s(x: symbol)\n.decl out(x: ${type})\nout(${f}(x)) :- s(x).\n`);
  try {
    return program.run({ s: [[text]] }).out![0]![0] as number;
  } catch (e) {
    if (e instanceof EvaluationError) return `${e.span?.start.line}: ${e.message}`;
    throw e;
  }
}

describe("converting text to numbers", () => {
  it("takes numbers in range, in decimal, hex and binary", () => {
    expect(convert("to_number", "-2147483648")).toBe(-2147483648);
    expect(convert("to_number", " 2147483647 ")).toBe(2147483647);
    expect(convert("to_number", "0x10")).toBe(16);
    expect(convert("to_number", "-0b101")).toBe(-5);
    expect(convert("to_unsigned", "4294967295")).toBe(4294967295);
    expect(convert("to_unsigned", "-1")).toBe(4294967295);
  });

  it("refuses text that is no number, or a number beyond 32 bits, at the rule", () => {
    expect(convert("to_number", "abc")).toBe('3: to_number: "abc" is not a number');
    expect(convert("to_number", "99999999999999999999")).toBe(
      '3: to_number: "99999999999999999999" is out of range for number (-2147483648 to 2147483647)',
    );
    expect(convert("to_number", "2147483648")).toBe('3: to_number: "2147483648" is out of range for number (-2147483648 to 2147483647)');
    expect(convert("to_number", "-2147483649")).toBe('3: to_number: "-2147483649" is out of range for number (-2147483648 to 2147483647)');
    expect(convert("to_unsigned", "4294967296")).toBe('3: to_unsigned: "4294967296" is out of range for unsigned (0 to 4294967295)');
    expect(convert("to_unsigned", "x1")).toBe('3: to_unsigned: "x1" is not a number');
  });
});
