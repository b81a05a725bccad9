// Random programs over set, pair and user lattices for the cluster tests: a
// seeded pick of rules from a pool (recursion through a set union, sets of
// strings made during the run, a pair of a min and a set, a user lattice of
// bit sets joined by `bor`, exact reads behind a barrier), over a random
// graph whose nodes are numbers or names; with functors, rules calling user
// functors from FUNCTORS (a user lattice joined by one of them included).
// Every relation is declared in every program, so any pick compiles.

import { prng } from "../kcfa/gen.js";
import type { Facts } from "./cluster-util.js";

const DECLS = `.type Bits <: number
.lattice Bits<> { Bottom -> 0, Lub -> _ bor _ }
.decl e(x: number, y: number)
.decl name(x: number, n: symbol)
.decl reach(x: number, s: set<number>)
.decl labels(x: number, s: set<symbol>)
.decl cost(x: number, v: pair<min<number>, set<number>>)
.decl bits(x: number, b: Bits<>)
.decl named(n: symbol, v: pair<max<number>, set<symbol>>)
.decl wide(x: number, n: number)
.decl has(x: number)
.decl lowbit(x: number)`;

/** Rules to pick from; each reads only relations declared above. */
const POOL = [
  "reach(x, singleton(y)) :- e(x, y).",
  "reach(x, s) :- e(x, y), reach(y, s).",
  "reach(y, singleton(x)) :- e(x, y), x < y.",
  'labels(x, singleton(cat("n", to_string(y)))) :- e(x, y).',
  "labels(y, s) :- labels(x, s), e(x, y).",
  "labels(x, singleton(n)) :- name(x, n).",
  "cost(x, pair(0, singleton(x))) :- e(x, _), x % 3 = 0.",
  "cost(y, pair(first(v) + 1, second(v))) :- cost(x, v), e(x, y), first(v) < 12.",
  "cost(y, pair(first(v) + 2, singleton(y))) :- cost(x, v), e(x, y), first(v) < 6.",
  "bits(x, 1 bshl (y % 5)) :- e(x, y).",
  "bits(y, b) :- bits(x, b), e(x, y).",
  'named(n, pair(x, singleton(cat(n, "\'")))) :- name(x, n).',
  "named(m, v) :- named(n, v), name(x, n), e(x, y), name(y, m).",
  "wide(x, n) :- reach(x, s), n = size(s), n > 2.",
  "wide(x, n) :- labels(x, s), n = size(s) * 100.",
  "has(x) :- reach(x, s), member(3, s).",
  "lowbit(x) :- bits(x, b), b band 1 = 1.",
];

/** The user functors the pool's functor rules call, as an ES module's text. */
export const FUNCTORS = `export const mix = (x, y) => (x * 31 + y) % 17;
export function tag(s) { return s + "#"; }
export default { join: (a, b) => a | b };
`;

const FUNCTOR_DECLS = `.functor mix(x: number, y: number): number
.functor tag(s: symbol): symbol
.functor join(a: number, b: number): number monotone
.type Ored <: number
.lattice Ored<> { Bottom -> 0, Lub -> @join(_, _) }
.decl mixed(x: number, n: number)
.decl ored(x: number, b: Ored<>)`;

const FUNCTOR_POOL = [
  "mixed(x, @mix(x, y)) :- e(x, y).",
  "mixed(y, @mix(n, y)) :- mixed(x, n), e(x, y), n < 9.",
  "labels(x, singleton(@tag(n))) :- name(x, n).",
  "ored(x, 1 bshl (y % 4)) :- e(x, y).",
  "ored(y, b) :- ored(x, b), e(x, y).",
  "ored(x, @join(b, 16)) :- ored(x, b), has(x).",
];

export interface LatticeCase {
  readonly text: string;
  readonly facts: Facts;
}

/** The program and facts for `seed`: a few rules of the pool, a graph of up to 14 nodes, names for some of them. */
export function latticeCase(seed: number, opts: { readonly functors?: boolean } = {}): LatticeCase {
  const rand = prng(seed);
  const pick = (k: number) => Math.floor(rand() * k);
  const pool = opts.functors ? [...POOL, ...FUNCTOR_POOL] : POOL;
  const rules = pool.filter(() => rand() < 0.45);
  if (rules.length === 0) rules.push(pool[pick(pool.length)]!);
  const nodes = 3 + pick(12);
  const e = Array.from({ length: 2 + pick(3 * nodes) }, () => [pick(nodes), pick(nodes)]);
  const name = Array.from({ length: pick(nodes) }, () => {
    const x = pick(nodes);
    return [x, `v${pick(4)}${x % 2 === 0 ? "" : "é"}`];
  });
  const decls = opts.functors ? `${DECLS}\n${FUNCTOR_DECLS}` : DECLS;
  return { text: `${decls}\n${rules.join("\n")}\n`, facts: { e, name } };
}
