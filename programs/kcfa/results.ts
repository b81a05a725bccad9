// The outputs of a k-CFA run, read as columns of cells (readColumns), sorted
// by counting sorts (variable name rank or call label, then lambda label) and
// encoded as bytes: a million flows sort and print in tens of milliseconds.

import { type Column, type Database, type RelationColumns, readColumns } from "../../index.js";

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

/** A column of the rules' outputs: every one holds labels (numbers) or variables (symbol ids). */
function ints(column: Column | undefined): Int32Array {
  if (!(column instanceof Int32Array)) throw new Error("internal: a k-CFA output column is not one of numbers or symbols");
  return column;
}

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
    /** A two-column relation's rows as sorted column pairs, the first column's values mapped through `rank` if given. */
    const sortedPairs = ({ size, columns: [first, second] }: RelationColumns, rank?: Int32Array): [Int32Array, Int32Array] => {
      // The columns are copies of our own: ranks may replace the ids in place.
      const a = ints(first);
      const b = ints(second);
      if (rank) for (let i = 0; i < size; i++) a[i] = rank[a[i]!]!;
      const order = pairOrder(a, b);
      const sa = new Int32Array(size);
      const sb = new Int32Array(size);
      for (let i = 0; i < order.length; i++) {
        sa[i] = a[order[i]!]!;
        sb[i] = b[order[i]!]!;
      }
      return [sa, sb];
    };
    // Rank the variables (symbol ids) by name, so flows sort by name with integer keys.
    const flows = readColumns(db, "flows");
    const variables = ints(flows.columns[0]);
    let maxId = -1;
    for (let r = 0; r < flows.size; r++) maxId = Math.max(maxId, variables[r]!);
    const seen = new Uint8Array(maxId + 1);
    const ids: number[] = [];
    for (let r = 0; r < flows.size; r++) {
      const id = variables[r]!;
      if (!seen[id]) ids.push(id);
      seen[id] = 1;
    }
    const byName = ids.map((id) => [id, flows.symbol(id)] as const).sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
    const rank = new Int32Array(maxId + 1);
    byName.forEach(([id], i) => (rank[id] = i));
    this.varNames = byName.map(([, name]) => name);
    this.flowPairs = sortedPairs(flows, rank);
    this.callPairs = sortedPairs(readColumns(db, "calls"));
    this.monoPairs = sortedPairs(readColumns(db, "monomorphic"));
    this.halts = [...ints(readColumns(db, "halts").columns[0])].sort((x, y) => x - y);
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
