// Random closed CPS programs for property tests, as text: fast-check draws a seed,
// a size and a style, a small PRNG builds the program (shrinking the size shrinks
// it): free terms (with `let`s and `[ ]`) or CPS functions called from a chain.

import fc from "fast-check";

/** A small seeded generator (mulberry32): numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Shape {
  readonly seed: number;
  /** About how many lambdas the program has. */
  readonly size: number;
  /** Every lambda takes one parameter and every call passes one operand: no call is stuck on arity. */
  readonly unary: boolean;
  /**
   * "free": any closed term; "functions": CPS functions (value, continuation) bound by a let,
   * then a chain of calls to them, each with its own continuation, as real CPS code looks.
   */
  readonly style: "free" | "functions";
}

/** A closed program binding each name once, built from `shape`. */
export function randomProgram(shape: Shape): string {
  return shape.style === "free" ? freeProgram(shape) : functionsProgram(shape);
}

function freeProgram({ seed, size, unary }: Shape): string {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let budget = size;
  let fresh = 0;
  const count = () => (unary ? 1 : rnd() < 0.5 ? 1 : 2);
  const lambda = (scope: readonly string[]): string => {
    budget--;
    const params = Array.from({ length: count() }, () => `v${++fresh}`);
    return `(lambda (${params.join(" ")}) ${call([...scope, ...params])})`;
  };
  const atom = (scope: readonly string[]): string => {
    const r = rnd();
    if (budget > 0 && (r < 0.4 || scope.length === 0)) return lambda(scope);
    if (scope.length > 0 && r < 0.93)
      return rnd() < 0.5 ? scope[scope.length - 1 - Math.floor(rnd() * Math.min(3, scope.length))]! : pick(scope);
    return "halt";
  };
  const call = (scope: readonly string[]): string => {
    const n = count();
    if (budget > 0 && rnd() < 0.15) {
      // (let ((x a)) body) with a one-parameter lambda in unary and non-unary programs alike.
      const x = `v${++fresh}`;
      budget--;
      const value = atom(scope);
      return `(let ((${x} ${value})) ${call([...scope, x])})`;
    }
    const fn = budget > 0 && (scope.length === 0 || rnd() < 0.2) ? lambda(scope) : scope.length > 0 && rnd() < 0.9 ? pick(scope) : "halt";
    const args = Array.from({ length: fn === "halt" ? 1 : n }, () => atom(scope));
    const parts = [fn, ...args].join(" ");
    return rnd() < 0.2 ? `[${parts}]` : `(${parts})`;
  };
  return call([]);
}

function functionsProgram({ seed, size }: Shape): string {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let fresh = 0;
  const name = (p: string) => `${p}${++fresh}`;
  const fns = Array.from({ length: 1 + Math.floor(size / 6) + Math.floor(rnd() * 3) }, () => name("f"));
  // A value: a function, a variable holding one, or a fresh identity-like function.
  // `let` binds in sequence: function i sees the functions before it.
  const value = (vars: readonly string[], known: readonly string[]): string => {
    const r = rnd();
    if (r < 0.2 || (vars.length === 0 && known.length === 0)) {
      const [x, k] = [name("x"), name("k")];
      return `(lambda (${x} ${k}) (${k} ${x}))`;
    }
    return (r < 0.6 && vars.length > 0) || known.length === 0 ? pick(vars) : pick(known);
  };
  // A function body: return a value, apply the argument, or call another function, maybe through a continuation.
  const body = (i: number, a: string, k: string, depth: number): string => {
    const r = rnd();
    const known = fns.slice(0, i);
    if (r < 0.25 || depth > 2) return `(${k} ${rnd() < 0.5 ? a : value([a], known)})`;
    if (r < 0.45) return `(${a} ${value([a], known)} ${k})`;
    const f = known.length > 0 && rnd() < 0.8 ? pick(known) : a;
    if (rnd() < 0.5) return `(${f} ${value([a], known)} ${k})`;
    const v = name("v");
    return `(${f} ${value([a], known)} (lambda (${v}) ${body(i, v, k, depth + 1)}))`;
  };
  const bindings = fns.map((f, i) => {
    const [a, k] = [name("a"), name("k")];
    return `(${f} (lambda (${a} ${k}) ${body(i, a, k, 0)}))`;
  });
  // The main chain: each call of a function gets its own continuation.
  const results: string[] = [];
  let main = "";
  let close = "";
  const calls = 1 + Math.floor(size / 3);
  for (let c = 0; c < calls; c++) {
    const r = name("r");
    main += `(${pick(fns)} ${value(results, fns)} (lambda (${r}) `;
    close += "))";
    results.push(r);
  }
  main += `(halt ${pick(results)})` + close;
  return `(let (${bindings.join("\n ")})\n ${main})`;
}

export const shape: fc.Arbitrary<Shape> = fc.record({
  seed: fc.integer(),
  size: fc.integer({ min: 1, max: 30 }),
  unary: fc.boolean(),
  style: fc.constantFrom<Shape["style"]>("free", "functions"),
});

/** Closed CPS programs as text. */
export const cpsProgram: fc.Arbitrary<string> = shape.map(randomProgram);
