// The test oracle: a direct worklist k-CFA over the syntax tree, independent of
// the rules: times as label lists, take k (c : t) from []; closures keep the whole
// environment (variable → time), as Might's and LVish's do; one global store.

import type { CpsProgram } from "../../programs/kcfa/program.js";
import type { Atom, Call, Lambda } from "../../programs/kcfa/syntax.js";
import type { Variant } from "../../programs/kcfa/analysis.js";

type Time = readonly number[];
/** flat: the creation context; env: the whole environment, variable → binding time. */
type Env = Time | ReadonlyMap<string, Time>;
interface Closure {
  readonly lam: Lambda | "halt";
  readonly env: Env;
}

export interface OracleResult {
  readonly flows: [string, number][];
  readonly calls: [number, number][];
  readonly halts: number[];
  /** Calls with exactly one callee. */
  readonly monomorphic: [number, number][];
}

const timeKey = (t: Time) => t.join(",");
function envKey(e: Env): string {
  if (Array.isArray(e)) return timeKey(e as Time);
  return [...(e as ReadonlyMap<string, Time>)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([v, t]) => `${v}@${timeKey(t)}`)
    .join(";");
}
const closureKey = (c: Closure) => (c.lam === "halt" ? "halt" : `${c.lam.label}|${envKey(c.env)}`);

/** Analyses `p`; undefined when it reaches more than `maxStates` states. */
export function oracleKcfa(p: CpsProgram, k: number, variant: Variant, maxStates = Infinity): OracleResult | undefined {
  const store = new Map<string, Map<string, Closure>>(); // "v@time" → closures
  const readers = new Map<string, Set<string>>(); // address → states that read it
  const states = new Map<string, { call: Call; env: Env; time: Time }>();
  const work: string[] = [];
  const queued = new Set<string>();
  const calls = new Set<string>();
  const halts = new Set<number>();

  const schedule = (key: string) => {
    if (queued.has(key)) return;
    queued.add(key);
    work.push(key);
  };
  const visit = (call: Call, env: Env, time: Time) => {
    const key = `${call.label}#${envKey(env)}#${timeKey(time)}`;
    if (states.has(key)) return;
    states.set(key, { call, env, time });
    schedule(key);
  };
  const read = (addr: string, reader: string): Closure[] => {
    let r = readers.get(addr);
    if (!r) readers.set(addr, (r = new Set()));
    r.add(reader);
    return [...(store.get(addr)?.values() ?? [])];
  };
  const join = (addr: string, values: Iterable<Closure>) => {
    let s = store.get(addr);
    if (!s) store.set(addr, (s = new Map()));
    let grew = false;
    for (const v of values) {
      const key = closureKey(v);
      if (!s.has(key)) {
        s.set(key, v);
        grew = true;
      }
    }
    if (grew) for (const st of readers.get(addr) ?? []) schedule(st);
  };
  const bindingTime = (env: Env, v: string): Time => (Array.isArray(env) ? (env as Time) : (env as ReadonlyMap<string, Time>).get(v)!);
  const evalAtom = (a: Atom, env: Env, reader: string): Closure[] => {
    if (a.kind === "halt") return [{ lam: "halt", env: [] }];
    if (a.kind === "lambda") return [{ lam: a, env }];
    return read(`${a.name}@${timeKey(bindingTime(env, a.name))}`, reader);
  };

  visit(p.root, variant === "flat" ? [] : new Map(), []);
  for (let next = 0; next < work.length; next++) {
    if (states.size > maxStates) return undefined;
    const key = work[next]!;
    queued.delete(key);
    const { call, env, time } = states.get(key)!;
    const fns = evalAtom(call.fn, env, key);
    const args = call.args.map((a) => evalAtom(a, env, key));
    const u: Time = [call.label, ...time].slice(0, k);
    for (const f of fns) {
      if (f.lam === "halt") {
        if (args.length !== 1) continue;
        calls.add(`${call.label}\t0`);
        for (const v of args[0]!) halts.add(v.lam === "halt" ? 0 : v.lam.label);
        continue;
      }
      const lam = f.lam;
      if (lam.params.length !== args.length) continue;
      calls.add(`${call.label}\t${lam.label}`);
      lam.params.forEach((x, i) => join(`${x.name}@${timeKey(u)}`, args[i]!));
      if (variant === "flat") {
        for (const v of p.freeVars.get(lam.label) ?? []) join(`${v}@${timeKey(u)}`, read(`${v}@${timeKey(f.env as Time)}`, key));
        visit(lam.body, u, u);
      } else {
        const env2 = new Map(f.env as ReadonlyMap<string, Time>);
        for (const x of lam.params) env2.set(x.name, u);
        visit(lam.body, env2, u);
      }
    }
  }

  const flows = new Set<string>();
  for (const [addr, values] of store) {
    const v = addr.slice(0, addr.lastIndexOf("@"));
    for (const c of values.values()) flows.add(`${v}\t${c.lam === "halt" ? 0 : c.lam.label}`);
  }
  const pairs = <T>(s: Set<string>, f: (x: string) => T) =>
    [...s].map((line) => line.split("\t")).map(([a, b]) => [f(a!), Number(b)] as [T, number]);
  const edges = pairs(calls, Number).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const count = new Map<number, number>();
  for (const [c] of edges) count.set(c, (count.get(c) ?? 0) + 1);
  return {
    flows: pairs(flows, (x) => x).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])),
    calls: edges,
    halts: [...halts].sort((a, b) => a - b),
    monomorphic: edges.filter(([c]) => count.get(c) === 1),
  };
}
