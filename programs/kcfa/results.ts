// The outputs of a k-CFA run, read straight from the relations' cells, sorted
// by counting sorts (variable name rank or call label, then lambda label) and
// encoded as bytes: a million flows sort and print in tens of milliseconds.

import type { Database } from "../../index.js";

/** The order of rows sorting (first[i], second[i]) pairs of small non-negative ints: two counting sorts. */
function pairOrder(first: Int32Array, second: Int32Array): Int32Array {
  const n = first.length;
  const byCount = (keys: Int32Array, input: Int32Array): Int32Array => {
    let max = 0;
    for (let i = 0; i < n; i++) if (keys[i]! > max) max = keys[i]!;
    const start = new Int32Array(max + 2);
    for (let i = 0; i < n; i++) start[keys[i]! + 1]!++;
    for (let v = 1; v < start.length; v++) start[v]! += start[v - 1]!;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const row = input[i]!;
      out[start[keys[row]!]!++] = row;
    }
    return out;
  };
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  return byCount(first, byCount(second, identity));
}

/** Tab-separated lines of cells given as byte strings, built in one growing buffer. */
class Lines {
  private buf = new Uint8Array(1 << 16);
  private pos = 0;
  /** Appends `bytes` and then the byte `end` (a tab or a newline). */
  private put(bytes: Uint8Array, end: number): void {
    if (this.pos + bytes.length + 1 > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes.length + 1));
      bigger.set(this.buf.subarray(0, this.pos));
      this.buf = bigger;
    }
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < bytes.length; i++) buf[pos++] = bytes[i]!;
    buf[pos++] = end;
    this.pos = pos;
  }
  row(first: Uint8Array, second?: Uint8Array): void {
    if (second === undefined) return this.put(first, 10);
    this.put(first, 9);
    this.put(second, 10);
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

const encoder = new TextEncoder();

export class KcfaResult {
  /** Column-wise pairs, sorted: flows as (variable rank, lambda), calls and monomorphic as (call, lambda). */
  private readonly flowPairs: [Int32Array, Int32Array];
  private readonly callPairs: [Int32Array, Int32Array];
  private readonly monoPairs: [Int32Array, Int32Array];
  /** Variable names by rank. */
  private readonly varNames: readonly string[];
  readonly halts: readonly number[];
  /** Tuple counts of the rules' main relations. */
  readonly sizes: Readonly<Record<string, number>>;

  constructor(db: Database) {
    const { runner } = db;
    const columns = (name: string, rank?: Int32Array): [Int32Array, Int32Array] => {
      const rel = runner.relation(name);
      const a = new Int32Array(rel.size);
      const b = new Int32Array(rel.size);
      for (let r = 0; r < rel.size; r++) {
        a[r] = rank ? rank[rel.data[2 * r]!]! : rel.data[2 * r]!;
        b[r] = rel.data[2 * r + 1]!;
      }
      const order = pairOrder(a, b);
      const sa = new Int32Array(rel.size);
      const sb = new Int32Array(rel.size);
      for (let i = 0; i < order.length; i++) {
        sa[i] = a[order[i]!]!;
        sb[i] = b[order[i]!]!;
      }
      return [sa, sb];
    };
    // Rank the variables (symbol ids) by name, so flows sort by name with integer keys.
    const flows = runner.relation("flows");
    const seen = new Uint8Array(runner.symbols.size);
    const ids: number[] = [];
    for (let r = 0; r < flows.size; r++) {
      const id = flows.data[2 * r]!;
      if (!seen[id]) ids.push(id);
      seen[id] = 1;
    }
    const byName = ids.map((id) => [id, runner.symbols.text(id)] as const).sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
    const rank = new Int32Array(runner.symbols.size);
    byName.forEach(([id], i) => (rank[id] = i));
    this.varNames = byName.map(([, name]) => name);
    this.flowPairs = columns("flows", rank);
    this.callPairs = columns("calls");
    this.monoPairs = columns("monomorphic");
    const halts = runner.relation("halts");
    this.halts = [...halts.data.subarray(0, halts.size)].sort((x, y) => x - y);
    const sizes: Record<string, number> = {};
    for (const rel of ["reach", "value", "enter", "store"]) sizes[rel] = db.size(rel);
    this.sizes = sizes;
  }

  /** (variable, lambda label; 0 for halt), sorted by variable name, then label. */
  get flows(): [string, number][] {
    const [v, l] = this.flowPairs;
    return Array.from(v, (rank, i) => [this.varNames[rank]!, l[i]!]);
  }

  /** (call label, lambda label; 0 for halt), sorted. */
  get calls(): [number, number][] {
    const [c, l] = this.callPairs;
    return Array.from(c, (call, i) => [call, l[i]!]);
  }

  /** (call label, its only callee), sorted. */
  get monomorphic(): [number, number][] {
    const [c, l] = this.monoPairs;
    return Array.from(c, (call, i) => [call, l[i]!]);
  }

  /** The bytes of flows.csv, calls.csv, halts.csv and monomorphic.csv: one tab-separated row a line. */
  files(): Record<"flows" | "calls" | "halts" | "monomorphic", Uint8Array> {
    const numbers: Uint8Array[] = [];
    const num = (n: number): Uint8Array => (numbers[n] ??= encoder.encode(String(n)));
    const names = this.varNames.map((s) => encoder.encode(s));
    const pairs = ([a, b]: [Int32Array, Int32Array], first: (x: number) => Uint8Array): Uint8Array => {
      const out = new Lines();
      for (let i = 0; i < a.length; i++) out.row(first(a[i]!), num(b[i]!));
      return out.bytes();
    };
    const halts = new Lines();
    for (const h of this.halts) halts.row(num(h));
    return {
      flows: pairs(this.flowPairs, (rank) => names[rank]!),
      calls: pairs(this.callPairs, num),
      halts: halts.bytes(),
      monomorphic: pairs(this.monoPairs, num),
    };
  }

  /** The same, as text. */
  text(): Record<"flows" | "calls" | "halts" | "monomorphic", string> {
    const decoder = new TextDecoder();
    const f = this.files();
    return {
      flows: decoder.decode(f.flows),
      calls: decoder.decode(f.calls),
      halts: decoder.decode(f.halts),
      monomorphic: decoder.decode(f.monomorphic),
    };
  }
}
