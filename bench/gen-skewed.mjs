#!/usr/bin/env node
// Facts for the skewed-join and badly-ordered-atom workloads (bench/programs/
// cfa0_flat.dl, check6.dl, powerlaw.dl): deterministic from a seed, no
// dependencies, tab-separated `.facts` files as Soufflé reads them.
//
//   node bench/gen-skewed.mjs WORKLOAD SIZE OUTDIR [SEED]
//
//   cfa0_flat SIZE  a CPS program of SIZE top-level functions (its syntax as facts)
//   check6 SIZE     an access-check log of SIZE six-column rows over SIZE/1000 users
//   powerlaw SIZE   a follower graph of SIZE accounts grown by preferential attachment
//
// bench/lib.mjs's generated() calls generate() for these workloads' names, so
// bench/run.mjs makes their facts as it makes gen.py's.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** A seeded generator of uniform numbers in [0, 1) (mulberry32): the same seed gives the same facts everywhere. */
function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)] };
}

/** Writes `rows` (arrays of cells) to OUTDIR/REL.facts, deduplicated: a relation is a set. */
function write(outDir, rel, rows) {
  const lines = new Set(rows.map((r) => r.join("\t")));
  const text = [...lines].join("\n");
  writeFileSync(join(outDir, `${rel}.facts`), text.length ? `${text}\n` : "");
}

/**
 * A CPS program as facts for a control-flow analysis: SIZE top-level functions
 * f_j = λ(x, k). body. A body is a sequence of calls whose continuations bind
 * r_1, r_2, … (with the odd let, binding a small lambda), usually behind a
 * conditional whose other branch returns at once (a conditional is a body of
 * several calls, `body` holding each). A call's operator is mostly another
 * top-level function a little further on (so the call graph is modular, with
 * recursion where it wraps), sometimes the function's own argument x (a
 * higher-order call); its argument is a variable in scope or a small lambda
 * written in place. A function returns one of its results or a small lambda,
 * never its argument. `main` calls some functions in sequence and ends at
 * `halt`. Lambdas are flat closures: `free` lists the variables each one
 * captures (top-level names are globals instead).
 */
function cfa0Flat(size, outDir, seed = 11) {
  const rnd = random(seed);
  const f = { main: [], global: [], op_var: [], op_lam: [], arg_var: [], arg_lam: [], param: [], body: [], free: [] };
  let calls = 0;
  let lams = 0;
  let vars = 0;
  const globals = new Set();

  // A term is { var } or { lam, fv }; a call is { id, fv } with fv its free variables.
  const call = (op, args) => {
    const id = calls++;
    const fv = new Set();
    const use = (t) => {
      if (t.var !== undefined) {
        if (!globals.has(t.var)) fv.add(t.var);
      } else {
        for (const v of t.fv) fv.add(v);
      }
    };
    if (op.var !== undefined) f.op_var.push([id, op.var]);
    else f.op_lam.push([id, op.lam]);
    use(op);
    args.forEach((a, i) => {
      if (a.var !== undefined) f.arg_var.push([id, i, a.var]);
      else f.arg_lam.push([id, i, a.lam]);
      use(a);
    });
    return { id, fv };
  };
  // `makeBody(params)` builds the body once the lambda's id and parameters exist.
  const lambda = (arity, makeBody) => {
    const id = lams++;
    const params = Array.from({ length: arity }, () => vars++);
    params.forEach((x, i) => f.param.push([id, i, x]));
    const fv = new Set();
    // A body that is a conditional is its branches, each a call.
    for (const b of makeBody ? [makeBody(params)].flat() : []) {
      f.body.push([id, b.id]);
      for (const v of b.fv) if (!params.includes(v)) fv.add(v);
    }
    for (const v of fv) f.free.push([id, v]);
    return { lam: id, fv };
  };

  const names = Array.from({ length: size }, () => vars++);
  for (const x of names) globals.add(x);
  const halt = vars++;
  globals.add(halt);
  f.global.push([halt, lambda(1, undefined).lam]);

  const fn = (j) => ({ var: names[(j + 1 + rnd.int(8)) % size] });
  // A small lambda written in place: the identity, or one that passes its argument on to a top-level function.
  const smallLambda = (j) =>
    rnd.next() < 0.5 ? lambda(2, ([y, k]) => call({ var: k }, [{ var: y }])) : lambda(2, ([y, k]) => call(fn(j), [{ var: y }, { var: k }]));

  for (let j = 0; j < size; j++) {
    const steps = 1 + rnd.int(4);
    const def = lambda(2, ([x, k]) => {
      // A function returns what one of its calls returned or a lambda of its own, never its argument, which
      // would hand every caller's arguments back to every caller and make the 0-CFA store nearly complete.
      const step = (s, scope) => {
        if (s === steps)
          return call({ var: k }, [scope.length > 1 && rnd.next() < 0.8 ? { var: rnd.pick(scope.slice(1)) } : smallLambda(j)]);
        // let v = (a small lambda) in …: a call whose operator is a lambda written in place
        if (rnd.next() < 0.15)
          return call(
            lambda(1, ([v]) => step(s + 1, [...scope, v])),
            [smallLambda(j)],
          );
        const op = rnd.next() < 0.15 ? { var: x } : fn(j);
        const arg = rnd.next() < 0.7 ? { var: rnd.pick(scope) } : smallLambda(j);
        return call(op, [arg, lambda(1, ([r]) => step(s + 1, [...scope, r]))]);
      };
      // Most functions test their argument first and return at once on one branch: the base case that
      // lets the recursion through the call graph's cycles return.
      return rnd.next() < 0.6 ? [call({ var: k }, [smallLambda(j)]), step(0, [x])] : step(0, [x]);
    });
    f.global.push([names[j], def.lam]);
  }

  const entries = Math.max(1, Math.floor(size / 20));
  const run = (i, scope) => {
    if (i === entries) return call({ var: halt }, [{ var: rnd.pick(scope) }]);
    const arg = scope.length && rnd.next() < 0.5 ? { var: rnd.pick(scope) } : smallLambda(rnd.int(size));
    return call({ var: names[rnd.int(size)] }, [arg, lambda(1, ([r]) => run(i + 1, [...scope, r]))]);
  };
  f.main.push([run(0, []).id]);

  for (const [rel, rows] of Object.entries(f)) write(outDir, rel, rows);
}

/**
 * An access-review audit. `Check` logs SIZE authorisation checks (user,
 * resource, action, host, day, outcome) over SIZE/1000 users; users belong to
 * groups, groups grant roles, some roles are sensitive, and users report to
 * managers (a tree). Half again as many users are in groups as appear in the log.
 */
function check6(size, outDir, seed = 12) {
  const rnd = random(seed);
  const users = Math.max(1, Math.floor(size / 1000));
  const people = Math.floor(users * 1.5);
  const groups = Math.max(1, Math.floor(people / 10));
  const roles = 100;
  const check = [];
  for (let i = 0; i < size; i++) {
    check.push([rnd.int(users), rnd.int(50000), rnd.int(8), rnd.int(500), rnd.int(365), rnd.next() < 0.97 ? 1 : 0]);
  }
  write(outDir, "Check", check);
  const member = [];
  for (let u = 0; u < people; u++) for (let n = 1 + rnd.int(3); n > 0; n--) member.push([u, rnd.int(groups)]);
  write(outDir, "Member", member);
  const grants = [];
  for (let g = 0; g < groups; g++) for (let n = 1 + rnd.int(3); n > 0; n--) grants.push([g, rnd.int(roles)]);
  write(outDir, "Grants", grants);
  write(
    outDir,
    "Sensitive",
    Array.from({ length: roles }, (_, r) => [r]).filter(() => rnd.next() < 0.1),
  );
  write(
    outDir,
    "ReportsTo",
    Array.from({ length: people - 1 }, (_, i) => [i + 1, rnd.int(i + 1)]),
  );
}

/**
 * A follower graph grown by preferential attachment (Price's model): each new
 * account follows `m` earlier accounts, each chosen with probability
 * proportional to its followers plus one, so a few early accounts end up
 * followed by most and most paths run through them.
 */
function powerlaw(size, outDir, seed = 13, m = 3) {
  const rnd = random(seed);
  // Every account once, plus once more per follower: a uniform pick from it is a preferential one.
  const urn = [0];
  const follows = [];
  for (let a = 1; a < size; a++) {
    const chosen = new Set();
    for (let tries = 0; chosen.size < Math.min(m, a) && tries < 10 * m; tries++) chosen.add(rnd.pick(urn));
    for (const b of chosen) {
      follows.push([a, b]);
      urn.push(b);
    }
    urn.push(a);
  }
  write(outDir, "follows", follows);
}

export const WORKLOADS = { cfa0_flat: cfa0Flat, check6, powerlaw };

/** Writes WORKLOAD's facts at SIZE into `outDir` (made if missing); `seed` replaces the workload's own. */
export function generate(workload, size, outDir, seed) {
  mkdirSync(outDir, { recursive: true });
  WORKLOADS[workload](size, outDir, ...(seed === undefined ? [] : [seed]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, size, out, seed] = process.argv.slice(2);
  if (!Object.hasOwn(WORKLOADS, name ?? "") || !(Number(size) > 0) || !out) {
    console.error(`usage: gen-skewed.mjs ${Object.keys(WORKLOADS).join("|")} SIZE OUTDIR [SEED]`);
    process.exit(2);
  }
  generate(name, Number(size), out, seed === undefined ? undefined : Number(seed));
}
