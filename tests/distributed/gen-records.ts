// Random programs over records and ADTs for the cluster tests: a seeded pick
// of rules from a pool (lists built by recursion, records holding symbols
// made during the run, an ADT of several branches built and taken apart,
// joins on a record or on its fields, negation and a count over records),
// over a random graph, names for some of its nodes, and lists given as facts
// in their text form. Every relation is declared in every program, so any
// pick compiles.

import { prng } from "../kcfa/gen.js";
import type { Facts } from "./cluster-util.js";

const DECLS = `.type Path = [at: number, rest: Path]
.type Pt = [x: number, tag: symbol]
.type Tree = Leaf {n: number} | Node {l: Tree, r: Tree} | Tag {s: symbol, t: Tree} | Empty {}
.type Color = Red {} | Green {} | Blue {}
.decl e(x: number, y: number)
.decl name(x: number, n: symbol)
.decl given(p: Path)
.decl path(x: number, p: Path)
.decl pt(p: Pt)
.decl tree(t: Tree, d: number)
.decl color(x: number, c: Color)
.decl paint(p: Path, c: Color)
.decl unseen(p: Path)
.decl missing(p: Path)
.decl leaves(t: Tree, n: number)
.decl fan(x: number, n: number)
.decl sametail(p: Path, q: Path)
.decl bare(t: Tree)`;

/** Rules to pick from; each reads only relations declared above. */
const POOL = [
  "path(x, [x, nil]) :- e(x, _).",
  "path(y, [y, p]) :- path(x, p), e(x, y), x < y.",
  "path(y, [y, p]) :- path(x, p), e(x, y), p = [_, nil].",
  "path(x, p) :- given(p), p = [x, _].",
  "given(q) :- path(_, p), p = [_, q], q != nil.",
  "unseen(p) :- path(_, p), !given(p).",
  "missing(p) :- given(p), !path(_, p).",
  "pt([x, n]) :- name(x, n).",
  'pt([y, cat(n, "+")]) :- pt([x, n]), e(x, y), strlen(n) < 7.',
  "tree($Leaf(x), 0) :- e(x, _), x < 5.",
  "tree($Tag(n, $Empty()), 0) :- name(_, n).",
  "tree($Empty(), 0).",
  "tree($Node(a, b), d + 1) :- tree(a, d), tree(b, d), d < 1.",
  "tree($Tag(t, s), d + 1) :- tree(s, d), pt([x, t]), x < 3, d < 2.",
  "leaves(t, 1) :- tree(t, _), t = $Leaf(_).",
  "leaves(t, x + y) :- tree(t, _), t = $Node(a, b), leaves(a, x), leaves(b, y).",
  "leaves(t, n) :- tree(t, _), t = $Tag(_, s), leaves(s, n).",
  "bare(t) :- tree(t, _), !leaves(t, _).",
  "color(x, $Red()) :- e(x, _), x % 3 = 0.",
  "color(y, $Green()) :- e(_, y), y % 2 = 1.",
  "color(x, $Blue()) :- name(x, _).",
  "paint(p, c) :- path(x, p), color(x, c).",
  "fan(x, n) :- e(x, _), n = count : { path(x, _) }.",
  "sametail(p, q) :- path(_, p), path(_, q), p = [_, t], q = [_, t], p != q.",
];

export interface RecordCase {
  readonly text: string;
  readonly facts: Facts;
}

/** The program and facts for `seed`: a few rules of the pool, a graph of up to 12 nodes, names, and lists as facts. */
export function recordCase(seed: number): RecordCase {
  const rand = prng(seed);
  const pick = (k: number) => Math.floor(rand() * k);
  const rules = POOL.filter(() => rand() < 0.45);
  if (rules.length === 0) rules.push(POOL[pick(POOL.length)]!);
  const nodes = 3 + pick(10);
  const e = Array.from({ length: 2 + pick(2 * nodes) }, () => [pick(nodes), pick(nodes)]);
  const name = Array.from({ length: pick(nodes) }, () => {
    const x = pick(nodes);
    return [x, `v${pick(4)}${x % 2 === 0 ? "" : "é"}`];
  });
  const list = (n: number): string => (n === 0 ? "nil" : `[${pick(nodes)}, ${list(n - 1)}]`);
  const given = Array.from({ length: pick(6) }, () => [list(1 + pick(3))]);
  return { text: `${DECLS}\n${rules.join("\n")}\n`, facts: { e, name, given } };
}
