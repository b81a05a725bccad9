#!/usr/bin/env node
// Why retraction recomputes a stratum rather than deleting and rederiving
// (DRed): for the retraction bench's updates (every 100th edge removed), the
// share of the output a DRed would delete before rederiving, against the share
// that actually changes. DRed deletes every fact with some derivation through
// a removed fact; for a lattice key, every key whose value some derivation
// through a removed fact attains (a tight edge). Computed directly over the
// graphs (no engine), once, untimed.
//   node bench/retract-support.mjs   (the facts are generated as for bench/retract.mjs)

import { join } from "node:path";
import { generated, numericFacts } from "./lib.mjs";

/** Out-edges by source: [target, weight] lists. */
function adjacency(edges) {
  const out = new Map();
  for (const [x, y, w] of edges) {
    if (!out.has(x)) out.set(x, []);
    out.get(x).push([y, w ?? 1]);
  }
  return out;
}

/** Distances from `src` along `out` (Dijkstra with a binary heap). */
function dijkstra(out, src) {
  const dist = new Map([[src, 0]]);
  const heap = [[0, src]];
  const push = (e) => {
    heap.push(e);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (heap[p][0] <= heap[i][0]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  while (heap.length > 0) {
    const [d, x] = pop();
    if (d > dist.get(x)) continue;
    for (const [y, w] of out.get(x) ?? []) {
      if (!dist.has(y) || d + w < dist.get(y)) {
        dist.set(y, d + w);
        push([d + w, y]);
      }
    }
  }
  return dist;
}

/** Keys whose value a derivation through a removed edge attains, closed over tight edges; and keys whose value changed. */
function latticeShares(edges, removed, sources) {
  const gone = new Set(removed.map(([x, y, w]) => `${x},${y},${w}`));
  const out = adjacency(edges);
  const kept = adjacency(edges.filter(([x, y, w]) => !gone.has(`${x},${y},${w}`)));
  let keys = 0;
  let deleted = 0;
  let changed = 0;
  for (const s of sources) {
    const before = dijkstra(out, s);
    const after = dijkstra(kept, s);
    keys += before.size;
    for (const [k, v] of before) if (after.get(k) !== v) changed++;
    // Over-deletion: start from heads of removed tight edges, follow tight edges.
    const marked = new Set();
    const todo = [];
    for (const [x, y, w] of removed) {
      if (before.has(x) && before.get(x) + w === before.get(y) && !marked.has(y)) {
        marked.add(y);
        todo.push(y);
      }
    }
    while (todo.length > 0) {
      const x = todo.pop();
      for (const [y, w] of out.get(x) ?? []) {
        if (before.get(x) + w === before.get(y) && !marked.has(y)) {
          marked.add(y);
          todo.push(y);
        }
      }
    }
    deleted += marked.size;
  }
  return { deleted: deleted / keys, changed: changed / keys };
}

/** Transitive closure pairs DRed over-deletes (a derivation path(x,y), edge(y,z) with either side deleted), against those that go. */
function closureShares(edges, removed) {
  const gone = new Set(removed.map(([x, y]) => `${x},${y}`));
  const out = adjacency(edges);
  const kept = adjacency(edges.filter(([x, y]) => !gone.has(`${x},${y}`)));
  const nodes = [...new Set(edges.flat())];
  const reach = (adj, s) => {
    const seen = new Set();
    const todo = [...(adj.get(s) ?? []).map(([y]) => y)];
    for (const y of todo) seen.add(y);
    while (todo.length > 0) {
      for (const [z] of adj.get(todo.pop()) ?? []) {
        if (!seen.has(z)) {
          seen.add(z);
          todo.push(z);
        }
      }
    }
    return seen;
  };
  let pairs = 0;
  let deleted = 0;
  let changed = 0;
  for (const x of nodes) {
    const before = reach(out, x);
    const after = reach(kept, x);
    pairs += before.size;
    changed += before.size - after.size;
    // Over-deleted from x: heads of removed edges whose tail x reaches (or x itself), then everything reachable from them.
    const marked = new Set();
    const todo = [];
    for (const [y, z] of removed) {
      if ((y === x || before.has(y)) && !marked.has(z)) {
        marked.add(z);
        todo.push(z);
      }
    }
    while (todo.length > 0) {
      for (const [z] of out.get(todo.pop()) ?? []) {
        if (!marked.has(z)) {
          marked.add(z);
          todo.push(z);
        }
      }
    }
    deleted += marked.size;
  }
  return { deleted: deleted / pairs, changed: changed / pairs };
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
console.log("| workload | DRed deletes (then rederives) | output that changes |");
console.log("|---|---|---|");
const tc = numericFacts(join(generated("tc_random_1000", "tc_random", 1000), "edge.facts"));
const t = closureShares(
  tc,
  tc.filter((_, i) => i % 100 === 99),
);
console.log(`| tc_random_1000 | ${pct(t.deleted)} | ${pct(t.changed)} |`);
const ssspDir = generated("sssp_200000", "sssp", 200000);
const sssp = numericFacts(join(ssspDir, "edge.facts"));
const s = latticeShares(
  sssp,
  sssp.filter((_, i) => i % 100 === 99),
  numericFacts(join(ssspDir, "source.facts")).map(([x]) => x),
);
console.log(`| sssp_200000 | ${pct(s.deleted)} | ${pct(s.changed)} |`);
const apsp = numericFacts(join(generated("apsp_1000", "sssp", 1000), "edge.facts"));
const a = latticeShares(
  apsp,
  apsp.filter((_, i) => i % 100 === 99),
  [...new Set(apsp.map(([x]) => x))],
);
console.log(`| apsp_1000 | ${pct(a.deleted)} | ${pct(a.changed)} |`);
