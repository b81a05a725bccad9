// User functors through the API: what an implementation returns is checked
// against the declared result type (nothing is rounded or wrapped), and one
// that throws, or returns a value of another type, fails the run with an
// EvaluationError located at the rule that called it.

import { describe, expect, it } from "vitest";
import { compile, EvaluationError, type UserFunctor } from "../index.js";
import type { BaseType } from "../lang/model.js";

/** Runs `out(@f(1)) :- one(1).` with `f` declared to return `type` and implemented by `impl`; its tuples or the error. */
function call(type: BaseType, impl: (...args: unknown[]) => unknown): unknown[][] | EvaluationError {
  const program = compile(`.functor f(x: number): ${type}\n.decl one(x: number)\none(1).\n.decl out(v: ${type})\nout(@f(x)) :- one(x).\n`, {
    functors: { f: impl as UserFunctor },
  });
  try {
    return program.run().out as unknown[][];
  } catch (e) {
    if (e instanceof EvaluationError) return e;
    throw e;
  }
}

/** The message of the error a call gives, and the line of the rule it is located at. */
function failure(type: BaseType, impl: (...args: unknown[]) => unknown): string {
  const r = call(type, impl);
  if (!(r instanceof EvaluationError)) throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return `${r.span?.start.line}: ${r.message}`;
}

describe("a user functor's result", () => {
  it("is taken as it is when it is a value of the declared type, the ends of each range included", () => {
    expect(call("number", () => -2147483648)).toEqual([[-2147483648]]);
    expect(call("number", () => 2147483647)).toEqual([[2147483647]]);
    expect(call("unsigned", () => 4294967295)).toEqual([[4294967295]]);
    expect(call("float", () => 0.5)).toEqual([[0.5]]);
    expect(call("symbol", () => "ok")).toEqual([["ok"]]);
  });

  it("is refused when a number column would have to round or wrap it, or it is no number at all", () => {
    const number = "not a number (a whole number from -2147483648 to 2147483647)";
    expect(failure("number", () => undefined)).toBe(
      `5: functor @f returned undefined, not a number (a whole number from -2147483648 to 2147483647)`,
    );
    expect(failure("number", () => 1.5)).toBe(`5: functor @f returned 1.5, ${number}`);
    expect(failure("number", () => 2 ** 40)).toBe(`5: functor @f returned 1099511627776, ${number}`);
    expect(failure("number", () => 2147483648)).toBe(`5: functor @f returned 2147483648, ${number}`);
    expect(failure("number", () => Number.NaN)).toBe(`5: functor @f returned NaN, ${number}`);
    expect(failure("number", () => "7")).toBe(`5: functor @f returned "7", ${number}`);
    expect(failure("number", () => 7n)).toBe(`5: functor @f returned 7n, ${number}`);
    expect(failure("unsigned", () => -1)).toBe("5: functor @f returned -1, not an unsigned (a whole number from 0 to 4294967295)");
    expect(failure("unsigned", () => 2 ** 32)).toBe(
      "5: functor @f returned 4294967296, not an unsigned (a whole number from 0 to 4294967295)",
    );
    expect(failure("float", () => null)).toBe("5: functor @f returned null, not a float (a JavaScript number)");
    expect(failure("symbol", () => 5)).toBe("5: functor @f returned 5, not a symbol (a string)");
    expect(failure("symbol", () => ({}))).toBe("5: functor @f returned [object Object], not a symbol (a string)");
  });

  it("is an error at the rule when the implementation throws, a stack overflow included", () => {
    expect(
      failure("number", () => {
        throw new Error("boom");
      }),
    ).toBe("5: functor @f threw: boom");
    expect(
      failure("number", () => {
        throw "plain";
      }),
    ).toBe("5: functor @f threw: plain");
    const forever = (n: number): number => forever(n + 1) + 1;
    expect(failure("number", () => forever(0))).toBe(
      "5: functor @f threw: Maximum call stack size exceeded (does it call itself without end?)",
    );
  });
});
