// What a state file holds, and moving it out of and into a ProgramRunner: the
// symbol and composite-value tables, every relation's rows, given facts and
// hash indexes (stored as they lie in memory, so loading rebuilds nothing), the
// runner's progress (runs, each relation's size at the end of the last run,
// the autoinc counter), the sets of input facts read so far where they are not
// the input relation itself (engine/io/input-merge.ts), and the length and hash
// of each input file read (engine/io/input-files.ts). A state is loaded only
// into a runner of the same program built by the same engine: the header
// carries a hash of each.

import { createHash } from "node:crypto";
import type { IndexState } from "../storage/hash-index.js";
import type { FileRecord } from "../io/input-files.js";
import type { ProgramRunner, RunProgress } from "../eval/program-runner.js";
import { Relation, type RelationState } from "../storage/relation.js";
import { STATE_FORMAT, StateFileError, StateWriter, type StateReader } from "./state-file.js";

/** Which program and which engine a state belongs to (hex SHA-256 digests). */
export interface StateIdentity {
  readonly program: string;
  readonly engine: string;
}

interface IndexRecord {
  readonly columns: readonly number[];
  readonly mask: number;
  readonly keys: number;
  readonly slots: number;
  readonly next: number;
}

interface RelationRecord {
  readonly name: string;
  readonly arity: number;
  readonly lattice: boolean;
  readonly size: number;
  readonly live: number;
  readonly indexed: number;
  readonly data: number;
  readonly dead?: number;
  readonly base?: { readonly count: number; readonly rows: number };
  readonly unique: IndexRecord;
  readonly indexes: readonly IndexRecord[];
}

interface Header {
  readonly program: string;
  readonly engine: string;
  readonly progress: RunProgress;
  readonly symbols: { readonly wide: boolean; readonly text: number; readonly offsets: number };
  readonly values: { readonly lengths: number; readonly cells: number };
  /** The record table: [arity, count] pairs, and each arity's fields end to end (engine/storage/records.ts). */
  readonly records?: { readonly arities: number; readonly cells: number };
  readonly relations: readonly RelationRecord[];
  readonly inputs: readonly RelationRecord[];
  readonly files: readonly FileRecord[];
}

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

/**
 * The identity of a runner's state: `programText` is the program's canonical
 * text (the CLI gives its parsed, preprocessed form); the engine side covers
 * the state format, the generated code of every rule version and the layout
 * of a relation's hash indexes, so a state from a Cairn that hashes, places or
 * compiles differently is never loaded.
 */
export function stateIdentity(programText: string, runner: ProgramRunner): StateIdentity {
  const probe = new Relation("probe", ["number", "number"]);
  probe.index([1]);
  for (let i = 0; i < 40; i++) {
    probe.tmp[0] = i * 7919 - 100;
    probe.tmp[1] = i % 5;
    probe.add();
  }
  probe.syncIndexes();
  const s = probe.exportState();
  const layout = [s.unique, ...s.indexes].flatMap((x) => [bytes(x.slots), bytes(x.next.subarray(0, s.size))]);
  const code = runner
    .canonicalSources()
    .map((v) => `${v.rule} ${v.version}\n${v.source}\n`)
    .join("");
  return { program: sha256(programText), engine: sha256(`cairn state ${STATE_FORMAT}\n`, code, ...layout) };
}

function bytes(a: Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Saves the runner's state (after a run) and the input sets to `path`, atomically. */
export function saveState(
  path: string,
  runner: ProgramRunner,
  identity: StateIdentity,
  inputs: ReadonlyMap<string, Relation>,
  files: readonly FileRecord[],
): void {
  const { writer, header } = collectState(runner, identity, inputs, files);
  writer.write(path, header);
}

/**
 * The runner's state as the bytes of a state file, in memory (facts inserted
 * since its last run stay new: a run from the copy derives from them).
 * StateReader.of() reads it back.
 */
export function stateBytes(runner: ProgramRunner, identity: StateIdentity): Uint8Array {
  const { writer, header } = collectState(runner, identity, new Map(), []);
  return writer.toBytes(header);
}

function collectState(
  runner: ProgramRunner,
  identity: StateIdentity,
  inputs: ReadonlyMap<string, Relation>,
  files: readonly FileRecord[],
): { writer: StateWriter; header: Header } {
  const w = new StateWriter();
  const index = (x: IndexState, rows: number): IndexRecord => ({
    columns: x.columns,
    mask: x.mask,
    keys: x.keys,
    slots: w.add(x.slots.subarray(0, 2 * (x.mask + 1))),
    next: w.add(x.next.subarray(0, Math.min(x.next.length, rows))),
  });
  const relation = (r: Relation): RelationRecord => {
    r.settle();
    const s = r.exportState();
    const base = r.recordBase ? r.exportBase() : undefined;
    return {
      name: r.name,
      arity: r.arity,
      lattice: r.lattice !== undefined,
      size: s.size,
      live: s.live,
      indexed: s.indexed,
      data: w.add(s.data.subarray(0, s.size * r.arity)),
      dead: r.lattice ? w.add(s.dead.subarray(0, s.size)) : undefined,
      base: base && { count: base.count, rows: w.add(base.rows) },
      unique: index(s.unique, s.size),
      indexes: s.indexes.map((x) => index(x, s.size)),
    };
  };
  const strings = encodeStrings(runner.symbols.all());
  const values = encodeValues(runner);
  const records = encodeRecords(runner);
  const header: Header = {
    program: identity.program,
    engine: identity.engine,
    progress: runner.exportProgress(),
    symbols: { wide: strings.wide, text: w.add(strings.text), offsets: w.add(strings.offsets) },
    values: { lengths: w.add(values.lengths), cells: w.add(values.cells) },
    records: { arities: w.add(records.arities), cells: w.add(records.cells) },
    relations: [...runner.relations.values()].map(relation),
    inputs: [...inputs.values()].map(relation),
    files,
  };
  return { writer: w, header };
}

export type Restored =
  | { readonly ok: true; readonly inputs: Map<string, Relation>; readonly files: readonly FileRecord[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Loads a state into `runner`, freshly built for the same program, when the
 * state belongs to that program and engine and its checksum holds; otherwise
 * says why not (the runner may then be half loaded: build another). Throws a
 * StateFileError for a damaged file.
 */
export function restoreState(file: StateReader, runner: ProgramRunner, identity: StateIdentity): Restored {
  const h = file.header as unknown as Header;
  if (h.program !== identity.program) return { ok: false, reason: "was saved for a different program" };
  if (h.engine !== identity.engine) return { ok: false, reason: "was written by another version of Cairn" };
  file.verify();
  const mismatch = { ok: false, reason: "does not match the program" } as const;
  try {
    const records = h.relations;
    if (records.length !== runner.relations.size) return mismatch;
    for (const rec of records) {
      const rel = runner.relations.get(rec.name);
      if (!rel || !fits(rel, rec)) return mismatch;
    }
    const strings = decodeStrings(file.u8(h.symbols.text), file.i32(h.symbols.offsets), h.symbols.wide);
    if (!runner.symbols.restore(strings) || !restoreValues(runner, file.i32(h.values.lengths), file.i32(h.values.cells))) return mismatch;
    if (h.records && !restoreRecords(runner, file.i32(h.records.arities), file.i32(h.records.cells))) return mismatch;
    for (const rec of records) load(runner.relation(rec.name), rec, file);
    runner.importProgress(h.progress);
    const inputs = new Map<string, Relation>();
    for (const rec of h.inputs) {
      const of = runner.relation(rec.name);
      const set = new Relation(of.name, of.types, of.lattice);
      set.latticeIO = of.latticeIO;
      if (!fits(set, rec)) return mismatch;
      load(set, rec, file);
      inputs.set(rec.name, set);
    }
    if (!Array.isArray(h.files)) return mismatch;
    return { ok: true, inputs, files: h.files };
  } catch (e) {
    if (e instanceof StateFileError) throw e;
    throw new StateFileError("corrupt", "is corrupt (bad header)");
  }
}

/** Whether a saved relation has the shape of `rel`: arity, lattice, and the same indexes (the saved ones may be more). */
function fits(rel: Relation, rec: RelationRecord): boolean {
  if (rec.arity !== rel.arity || rec.lattice !== (rel.lattice !== undefined)) return false;
  if (rec.unique.columns.join(",") !== rel.unique.columns.join(",")) return false;
  const saved = new Set(rec.indexes.map((x) => x.columns.join(",")));
  return rel.secondaryIndexes().every((x) => saved.has(x.columns.join(",")));
}

function load(rel: Relation, rec: RelationRecord, file: StateReader): void {
  const index = (x: IndexRecord): IndexState => ({
    columns: x.columns,
    mask: x.mask,
    keys: x.keys,
    slots: file.i32(x.slots),
    next: file.i32(x.next),
  });
  const state: RelationState = {
    data: file.i32(rec.data),
    dead: rec.dead === undefined ? new Uint8Array(0) : file.u8(rec.dead),
    size: rec.size,
    live: rec.live,
    stableEnd: rec.size,
    deltaEnd: rec.size,
    indexed: rec.indexed,
    unique: index(rec.unique),
    indexes: rec.indexes.map(index),
  };
  if (state.data.length !== rec.size * rec.arity || state.unique.slots.length !== 2 * (rec.unique.mask + 1)) {
    throw new StateFileError("corrupt", "is corrupt (bad relation sizes)");
  }
  rel.importState(state);
  if (rec.base) rel.importBase(file.i32(rec.base.rows), rec.base.count);
}

/** The strings end to end, one byte a character when they allow it (two otherwise), and where each starts. */
function encodeStrings(strings: readonly string[]): { wide: boolean; text: Uint8Array; offsets: Int32Array } {
  const offsets = new Int32Array(strings.length + 1);
  let n = 0;
  for (let i = 0; i < strings.length; i++) {
    offsets[i] = n;
    n += strings[i]!.length;
  }
  offsets[strings.length] = n;
  const joined = strings.join("");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose: any character past Latin-1 makes the table wide
  const wide = /[^\u0000-\u00ff]/.test(joined);
  return { wide, text: Buffer.from(joined, wide ? "utf16le" : "latin1"), offsets };
}

function decodeStrings(text: Uint8Array, offsets: Int32Array, wide: boolean): string[] {
  const joined = Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString(wide ? "utf16le" : "latin1");
  const count = offsets.length - 1;
  if (count < 0 || offsets[count] !== joined.length) throw new StateFileError("corrupt", "is corrupt (bad symbol table)");
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = joined.slice(offsets[i], offsets[i + 1]);
  return out;
}

/** The record table: [arity, count] for each arity that holds records, and their fields end to end. */
function encodeRecords(runner: ProgramRunner): { arities: Int32Array; cells: Int32Array } {
  const tables = runner.records.dump();
  const arities = new Int32Array(tables.length * 2);
  let n = 0;
  tables.forEach((t, i) => {
    arities[2 * i] = t.arity;
    arities[2 * i + 1] = t.arity === 0 ? 0 : t.cells.length / t.arity;
    n += t.cells.length;
  });
  const cells = new Int32Array(n);
  let at = 0;
  for (const t of tables) {
    cells.set(t.cells, at);
    at += t.cells.length;
  }
  return { arities, cells };
}

/** Gives the saved records their saved ids (the runner's own, interned by its constants, must be the first saved ones). */
function restoreRecords(runner: ProgramRunner, arities: Int32Array, cells: Int32Array): boolean {
  const saved: { arity: number; cells: Int32Array }[] = [];
  let at = 0;
  for (let i = 0; i + 1 < arities.length; i += 2) {
    const arity = arities[i]!;
    const n = arity * arities[i + 1]!;
    saved.push({ arity, cells: cells.subarray(at, at + n) });
    at += n;
  }
  return at === cells.length && runner.records.restore(saved);
}

/** The composite lattice values (sets, pairs): each one's length, and all their cells end to end. */
function encodeValues(runner: ProgramRunner): { lengths: Int32Array; cells: Int32Array } {
  const table = runner.values;
  const lengths = new Int32Array(table.size);
  let n = 0;
  for (let id = 0; id < table.size; id++) n += lengths[id] = table.get(id).length;
  const cells = new Int32Array(n);
  for (let id = 0, at = 0; id < table.size; id++) {
    cells.set(table.get(id), at);
    at += lengths[id]!;
  }
  return { lengths, cells };
}

/** Interns the saved values after the ones the runner already holds, which must be the first saved ones. */
function restoreValues(runner: ProgramRunner, lengths: Int32Array, cells: Int32Array): boolean {
  const table = runner.values;
  if (lengths.length < table.size) return false;
  let at = 0;
  for (let id = 0; id < lengths.length; id++) {
    const value = cells.subarray(at, (at += lengths[id]!));
    if (id < table.size) {
      const own = table.get(id);
      if (own.length !== value.length || own.some((c, i) => c !== value[i])) return false;
    } else if (table.intern(value) !== id) {
      return false;
    }
  }
  return at === cells.length;
}
