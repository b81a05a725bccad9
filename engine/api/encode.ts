// Turning the tuples the API is given into cells: every value checked against
// its column's type and taken as it stands, never rounded, wrapped or coerced
// (values.ts's isValueOf, the check user functors' results pass too; a bigint
// where it fits an integer column). A tuple is an array in column order or an
// object keyed by column name; a record or ADT column takes its value as
// text in Soufflé's form, as facts files hold it. A value that does not fit is a ValueError
// naming the relation, the tuple's index in the batch, the column and the
// value; a tuple of the wrong width or with the wrong keys is an ArityError.
// A batch is encoded whole before anything is added, so a bad tuple anywhere
// leaves the database as it was.

import type { RelationInfo } from "../../lang/model.js";
import type { StructuredText } from "../storage/record-text.js";
import type { Relation } from "../storage/relation.js";
import type { SymbolTable } from "../storage/symbols.js";
import { cellOfValue, type Value, valuesOf } from "../storage/values.js";

/** A tuple as the API takes it: values in column order, or an object keyed by column name. */
export type TupleInput = readonly unknown[] | Readonly<Record<string, unknown>>;

/** Longest text of a value a message quotes. */
const SHOWN = 40;

/** A value as a message shows it: strings quoted, bigints with their n, NaN and undefined by name. */
export function shownValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > SHOWN ? `${v.slice(0, SHOWN)}…` : v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number" && Object.is(v, -0)) return "-0";
  if (v === null || typeof v !== "object") return String(v);
  if (Array.isArray(v)) {
    const text = `[${v.map(shownValue).join(", ")}]`;
    return text.length > SHOWN ? `${text.slice(0, SHOWN)}…]` : text;
  }
  return Object.prototype.toString.call(v);
}

/** What an insert's message ends with: the batch is all or nothing. */
const tail = (operation: string) => (operation === "insert into" ? "; nothing of the batch was inserted" : "");

/** A value that is not one of its column's values; nothing of the batch was added. */
export class ValueError extends TypeError {
  constructor(
    /** What was being done: "insert into", "when", "lookup in", … */
    readonly operation: string,
    readonly relation: string,
    /** The tuple's index in the batch (0 for a call that takes one tuple). */
    readonly row: number,
    /** The column's index (from 0) and name. */
    readonly column: number,
    readonly columnName: string,
    readonly value: unknown,
    /** The values the column takes, in words. */
    readonly expected: string,
  ) {
    super(
      `${operation} "${relation}": tuple ${row}, column ${column} "${columnName}" is ${shownValue(value)}, not ${expected}${tail(operation)}`,
    );
    this.name = "ValueError";
  }
}

/** A tuple with more or fewer values than its relation has columns, or an object whose keys are not its column names. */
export class ArityError extends TypeError {
  constructor(
    readonly operation: string,
    readonly relation: string,
    readonly row: number,
    /** What is wrong with the tuple, in words. */
    readonly problem: string,
  ) {
    super(`${operation} "${relation}": tuple ${row} ${problem}${tail(operation)}`);
    this.name = "ArityError";
  }
}

/** A record or ADT value given as text in Soufflé's form ("[1, nil]", "$Some(2)"); undefined for anything else. */
function structuredCell(structured: StructuredText, v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const cell = structured.parse(v);
  return typeof cell === "number" ? cell : undefined;
}

/** The values a column takes, in words: its base type's, or its lattice's. */
function expectedOf(info: RelationInfo, rel: Relation, c: number): string {
  const col = info.columns[c]!;
  const structured = rel.structuredIO?.[c];
  if (structured) return `a ${structured.type} as Soufflé writes it (a string such as "[1, nil]" or "$Branch(1)")`;
  const io = c === rel.arity - 1 ? rel.latticeIO : undefined;
  if (!io) return `a ${col.typeName}${col.typeName === col.type ? "" : ` (${col.type})`}: ${valuesOf(col.type)}`;
  if (io.plain) return `a value of ${io.lattice.name}: ${valuesOf(io.plain)}`;
  return `a value of ${io.lattice.name} (${io.lattice.name.startsWith("set") ? "an array of its elements" : "[a, b]"})`;
}

/** The relation's columns, in words, for a message. */
function describeColumns(info: RelationInfo): string {
  const n = info.columns.length;
  return `${n} column${n === 1 ? "" : "s"}${n > 0 ? ` (${info.columns.map((c) => c.name).join(", ")})` : ""}`;
}

/** Checks that `t` has exactly the relation's columns (some may be missing when `partial`); throws an ArityError otherwise. */
function checkShape(operation: string, info: RelationInfo, t: unknown, row: number, partial: boolean): asserts t is TupleInput {
  const n = info.columns.length;
  if (Array.isArray(t)) {
    if (t.length !== n)
      throw new ArityError(
        operation,
        info.name,
        row,
        `has ${t.length} value${t.length === 1 ? "" : "s"}; "${info.name}" has ${describeColumns(info)}`,
      );
    return;
  }
  if (t === null || typeof t !== "object")
    throw new ArityError(operation, info.name, row, `is ${shownValue(t)}, not an array or an object keyed by column name`);
  const names = info.columns.map((c) => c.name);
  const extra = Object.keys(t).find((k) => !names.includes(k));
  if (extra !== undefined)
    throw new ArityError(operation, info.name, row, `has no column "${extra}"; "${info.name}" has ${describeColumns(info)}`);
  const missing = partial ? undefined : names.find((k) => !Object.hasOwn(t, k));
  if (missing !== undefined)
    throw new ArityError(operation, info.name, row, `lacks column "${missing}"; "${info.name}" has ${describeColumns(info)}`);
}

/**
 * Encodes tuple `t` of `rel` into `out` at `at`, checking each value;
 * `free` (for patterns) lets `undefined` through as a free column, marked in
 * `bound` as false. Throws ValueError or ArityError.
 */
export function encodeTupleInto(
  operation: string,
  info: RelationInfo,
  rel: Relation,
  symbols: SymbolTable,
  t: unknown,
  row: number,
  out: Int32Array,
  at: number,
  bound?: boolean[],
): void {
  checkShape(operation, info, t, row, bound !== undefined);
  const n = info.columns.length;
  const io = rel.latticeIO;
  const array = Array.isArray(t);
  for (let c = 0; c < n; c++) {
    const v = array ? (t as readonly unknown[])[c] : (t as Readonly<Record<string, unknown>>)[info.columns[c]!.name];
    if (bound) {
      bound[c] = v !== undefined;
      if (v === undefined) continue;
    }
    const type = info.columns[c]!.type;
    const lattice = io !== undefined && c === n - 1;
    const structured = rel.structuredIO?.[c];
    if (structured) {
      const cell = structuredCell(structured, v);
      if (cell === undefined) throw new ValueError(operation, info.name, row, c, info.columns[c]!.name, v, expectedOf(info, rel, c));
      out[at + c] = cell;
      continue;
    }
    // The common cases first: a 32-bit integer for a number or unsigned column, a string for a symbol.
    if (!lattice && typeof v === "number" && (type === "number" ? (v | 0) === v : type === "unsigned" && v >>> 0 === v)) {
      out[at + c] = v | 0;
      continue;
    }
    if (!lattice && typeof v === "string" && type === "symbol") {
      out[at + c] = symbols.intern(v);
      continue;
    }
    const cell = lattice ? io.fromValue(v) : cellOfValue(type, v, symbols);
    if (cell === undefined) throw new ValueError(operation, info.name, row, c, info.columns[c]!.name, v, expectedOf(info, rel, c));
    out[at + c] = cell;
  }
}

/** Encodes a batch of tuples into one array of cells, every one checked before any is used. */
export function encodeBatch(
  info: RelationInfo,
  rel: Relation,
  symbols: SymbolTable,
  tuples: readonly unknown[],
  operation = "insert into",
): Int32Array {
  const arity = info.columns.length;
  const cells = new Int32Array(tuples.length * arity);
  for (let i = 0; i < tuples.length; i++) encodeTupleInto(operation, info, rel, symbols, tuples[i], i, cells, i * arity);
  return cells;
}

/** A tuple as the API gives it back, keyed by column name. */
export function tupleObject(info: RelationInfo, t: readonly Value[]): Record<string, Value> {
  const o: Record<string, Value> = {};
  for (let c = 0; c < t.length; c++) o[info.columns[c]!.name] = t[c]!;
  return o;
}
