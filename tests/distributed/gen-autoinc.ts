// Random programs that number tuples with autoinc() for the cluster tests,
// and the comparison their outputs allow. Soufflé promises of autoinc() only
// that each call gives a new number; which number a tuple gets follows the
// order of evaluation, on one process as on a cluster. So a cluster's answer
// is compared with one process's up to a renaming of the numbers: every key
// a numbering relation (num, pnum, gen) numbers gets one number on each side,
// no number is given twice (across all of them), and once each cluster
// number is renamed to the single process's for the same key, every relation
// is the same. The programs use numbers only as names (copied and joined,
// never compared or added), as such programs must for their answer not to
// depend on the order of evaluation.

import { prng } from "../kcfa/gen.js";
import type { Facts, Outcome } from "./cluster-util.js";

const DECLS = `.decl e(x: number, y: number)
.decl node(x: number)
.decl reach(x: number, y: number)
.decl num(x: number, i: number)
.decl pnum(x: number, y: number, i: number)
.decl gen(k: number, i: number)
.decl link(i: number, j: number)
.decl deg(i: number, n: number)
.decl lone(i: number)
.decl pair(i: number, j: number)
node(x) :- e(x, _).
node(y) :- e(_, y).
reach(x, y) :- e(x, y).
reach(x, z) :- reach(x, y), e(y, z).`;

/** Each numbering relation numbers a key once: one of its rules is picked. */
const NUMBERING = [
  ["num(x, autoinc()) :- node(x).", "num(x, autoinc()) :- node(x), !reach(x, x).", "num(x, autoinc()) :- node(x), x % 2 = 0."],
  ["pnum(x, y, autoinc()) :- reach(x, y), x < y.", "pnum(x, y, autoinc()) :- e(x, y), !e(y, x)."],
  // Rules that read no split relation run on node 0 alone (ShardPlan.solo).
  ["gen(k, autoinc()) :- k = range(0, 6).", "gen(k, autoinc()) :- k = range(0, 3), !node(k)."],
];

const USES = [
  "link(i, j) :- num(x, i), num(y, j), e(x, y).",
  "link(i, j) :- pnum(x, y, i), num(y, j).",
  "deg(i, n) :- num(x, i), n = count : { e(x, _) }.",
  "lone(i) :- num(x, i), !e(x, _).",
  "lone(i) :- gen(k, i), !node(k).",
  "pair(i, j) :- gen(k, i), num(k, j).",
];

/** The numbering relations, with their key columns and the column of the number. */
const NUMBERED: Record<string, { readonly keys: readonly number[]; readonly number: number }> = {
  num: { keys: [0], number: 1 },
  pnum: { keys: [0, 1], number: 2 },
  gen: { keys: [0], number: 1 },
};

/** The columns holding numbers in the relations that use them. */
const IDS: Record<string, readonly number[]> = { link: [0, 1], deg: [0], lone: [0], pair: [0, 1] };

export function autoincCase(seed: number): { text: string; facts: Facts } {
  const rand = prng(seed);
  const pick = (k: number) => Math.floor(rand() * k);
  const rules = NUMBERING.filter(() => rand() < 0.7).map((variants) => variants[pick(variants.length)]!);
  if (rules.length === 0) rules.push(NUMBERING[0]![0]!);
  rules.push(...USES.filter(() => rand() < 0.5));
  const nodes = 3 + pick(12);
  const e = Array.from({ length: 2 + pick(3 * nodes) }, () => [pick(nodes), pick(nodes)]);
  return { text: `${DECLS}\n${rules.join("\n")}\n`, facts: { e } };
}

type Rows = Record<string, number[][]>;

const rows = (o: Outcome): Rows =>
  o.ok ? Object.fromEntries(Object.entries(o.relations).map(([r, ts]) => [r, ts.map((t) => JSON.parse(t) as number[])])) : {};

/**
 * `cluster`'s relations with its numbers renamed to `one`'s (each key's
 * number to the one `one` gave the same key), as `one`'s are given; or why
 * no renaming can make them agree (a key numbered twice or on one side
 * only, a number given twice).
 */
export function renamed(one: Outcome, cluster: Outcome): Outcome | string {
  if (!one.ok || !cluster.ok) return cluster;
  const a = rows(one);
  const b = rows(cluster);
  const rename = new Map<number, number>();
  const given = new Set<number>();
  for (const [rel, { keys, number }] of Object.entries(NUMBERED)) {
    const byKey = new Map<string, number>();
    for (const t of a[rel] ?? []) {
      const k = JSON.stringify(keys.map((c) => t[c]));
      if (byKey.has(k)) return `one process numbered ${rel} ${k} twice`;
      byKey.set(k, t[number]!);
    }
    if ((b[rel] ?? []).length !== byKey.size)
      return `${rel}: ${(b[rel] ?? []).length} numbered keys on the cluster, ${byKey.size} on one process`;
    for (const t of b[rel] ?? []) {
      const k = JSON.stringify(keys.map((c) => t[c]));
      const to = byKey.get(k);
      if (to === undefined) return `${rel} ${k} numbered on the cluster only`;
      const n = t[number]!;
      if (given.has(n)) return `the cluster gave ${n} twice`;
      given.add(n);
      rename.set(n, to);
    }
  }
  const relations: Record<string, string[]> = {};
  for (const [rel, ts] of Object.entries(b)) {
    const cols = new Set([...(IDS[rel] ?? []), ...(NUMBERED[rel] ? [NUMBERED[rel]!.number] : [])]);
    relations[rel] = ts.map((t) => JSON.stringify(t.map((v, c) => (cols.has(c) ? (rename.get(v) ?? -1 - v) : v)))).sort();
  }
  return { ok: true, relations };
}
