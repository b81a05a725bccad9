// The messages between a coordinator and its nodes, and between nodes, and
// their frames (docs/distributed.md gives the same layout in prose). Every
// frame starts with the bytes "CR", the protocol version and a type:
//
//   rows     (type 1): u32 sequence, u32 relation, u32 count, u32 arity,
//                      u32 strings, u32 values, then count × arity int32
//                      cells, then `values` int32 words, then each string as
//                      u32 byte length and UTF-8; little-endian throughout. A
//                      symbol cell -(i + 1) stands for string i (a symbol made
//                      during the run, whose id is the sender's own); a set,
//                      pair, record or ADT cell -(w + 1) for the value
//                      written from word w of the values (row-wire.ts). Deltas between nodes,
//                      facts from the coordinator, a relation collected by the
//                      coordinator.
//   control  (type 2): a MessagePack map with a known `t` (the fields of
//                      Control below).
//   bundle   (type 3): frames of the other types, each behind its u32 length:
//                      what one evaluation sends one destination goes in one
//                      message.
//   numbered (type 4): u32 link sequence, then one message (a frame or a
//                      bundle): what a resumable link (resumable-link.ts)
//                      carries, so that a message sent again after a
//                      reconnection is known for a repeat.
//   ack      (type 5): u32 count: the link has delivered every message
//                      numbered below it.
//
// A frame is checked before anything in it is used: its size against the cap,
// the magic and version, the type, a rows frame's length against its counts,
// a control frame's encoding and kind. A frame that fails is refused with a
// WireError; the receiver drops it and stays up.

import { decode as unpack, encode as msgpack } from "@msgpack/msgpack";
import type { FunctorModule } from "./functor-module.js";

/**
 * 4: record and ADT cells travel as their parts in the values section (3: rows frames carry set
 * and pair values in a values section, and the setup names a functors module; 2: control messages
 * in MessagePack, and links of numbered messages and acks; 1: JSON, no resume).
 */
export const PROTOCOL_VERSION = 4;
/** No frame may be larger (a rows frame holds at most ROWS_PER_FRAME rows, far below). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** Rows in one frame: a batch of at most 64 Ki rows keeps frames between 64 KiB and a few MiB. */
export const ROWS_PER_FRAME = 65_536;

const HEADER = 4;
const ROWS_HEADER = HEADER + 24;

/** The program as the coordinator read it: every file, so a node compiles exactly the same thing. */
export interface ProgramSource {
  readonly entry: string;
  readonly files: readonly (readonly [path: string, text: string])[];
  readonly includeDirs: readonly string[];
  readonly defines: Readonly<Record<string, string>>;
}

/** What a node reports of itself when a run ends. */
export interface NodeStats {
  /** Live rows per relation (a lattice key once; a replicated relation's rows on every node). */
  readonly rows: Readonly<Record<string, number>>;
  /** Rows this node's rules added to its own parts (a lattice key's every growth counted). */
  readonly derived: number;
  readonly framesSent: number;
  readonly framesReceived: number;
  /** Every frame's bytes, the coordinator's included. */
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Bytes of the rows frames sent to other nodes (the exchange itself). */
  readonly exchangeBytes: number;
  /** Local evaluations (each applies what arrived and runs the phase's strata to a local fixpoint). */
  readonly rounds: number;
}

export type Control =
  | {
      readonly t: "setup";
      readonly run: string;
      readonly node: number;
      readonly nodes: number;
      readonly program: ProgramSource;
      /** The coordinator's symbol table: every node interns the same strings to the same ids. */
      readonly symbols: readonly string[];
      /** Each relation's split column, or -1 when replicated. */
      readonly placement: readonly (readonly [relation: string, column: number])[];
      /** Rules every node runs over its replicas, keeping only the tuples it owns (ShardPlan.everywhere). */
      readonly everywhere: readonly number[];
      /** Rules node 0 alone runs, numbering what they derive (ShardPlan.solo). */
      readonly solo?: readonly number[];
      /** The first number autoinc() may give (above every number a run continued from gave): node k counts from it plus k. */
      readonly autoinc?: number;
      /** The growth limit of lattice relations (--growth-limit), when not the default. */
      readonly growthLimit?: number;
      /** The memory budget in bytes (--memory-limit), when not the default. */
      readonly memoryLimit?: number;
      /** Rows frames of facts that follow. */
      readonly facts: number;
      /** The module implementing the program's user functors, for a node that runs it (functor-module.ts). */
      readonly functors?: FunctorModule;
    }
  | { readonly t: "loaded" }
  | { readonly t: "phase"; readonly phase: number; readonly upTo: number }
  | { readonly t: "probe"; readonly phase: number; readonly wave: number }
  | {
      readonly t: "status";
      readonly phase: number;
      /** The probe answered, or -1 for a report on becoming idle. */
      readonly wave: number;
      /** Rows frames sent to and received from other nodes (distinct ones, by link and sequence). */
      readonly sent: number;
      readonly received: number;
    }
  | { readonly t: "collect"; readonly relations: readonly string[] }
  | {
      readonly t: "collected";
      readonly frames: number;
      readonly stats: NodeStats;
      /** The number autoinc() would give next on the node (every number it gave is below it). */
      readonly autoinc?: number;
    }
  | {
      readonly t: "failed";
      readonly message: string;
      readonly kind: "evaluation" | "growth" | "memory" | "internal";
      readonly span?: unknown;
      /** The node this one lost its link to, when that is why it gave up. */
      readonly lost?: number;
      /** For a lattice that kept growing, or a relation past the memory budget: the relation and its rows (and what ran out). */
      readonly relation?: string;
      readonly rows?: number;
      readonly reason?: string;
    }
  | { readonly t: "end" };

export interface Rows {
  readonly t: "rows";
  readonly seq: number;
  /** Index into the program's relations, in declaration order. */
  readonly relation: number;
  readonly count: number;
  readonly arity: number;
  readonly cells: Int32Array;
  /** The strings symbol cells -(i + 1) stand for (see symbol-wire.ts). */
  readonly strings?: readonly string[];
  /** The words set and pair cells -(w + 1) are written in (see row-wire.ts). */
  readonly values?: Int32Array;
}

export type Message = Control | Rows;

export class WireError extends Error {
  constructor(message: string) {
    super(`refused frame: ${message}`);
    this.name = "WireError";
  }
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function header(bytes: Uint8Array, type: number): void {
  bytes[0] = 0x43; // C
  bytes[1] = 0x52; // R
  bytes[2] = PROTOCOL_VERSION;
  bytes[3] = type;
}

export function encode(m: Message): Uint8Array {
  if (m.t !== "rows") {
    const body = msgpack(m, { ignoreUndefined: true });
    const out = new Uint8Array(HEADER + body.length);
    header(out, 2);
    out.set(body, HEADER);
    return out;
  }
  const cells = m.count * m.arity;
  const text = new TextEncoder();
  const strings = (m.strings ?? []).map((x) => text.encode(x));
  const words = m.values?.length ?? 0;
  const out = new Uint8Array(ROWS_HEADER + (cells + words) * 4 + strings.reduce((n, b) => n + 4 + b.length, 0));
  header(out, 1);
  const view = new DataView(out.buffer);
  view.setUint32(4, m.seq, true);
  view.setUint32(8, m.relation, true);
  view.setUint32(12, m.count, true);
  view.setUint32(16, m.arity, true);
  view.setUint32(20, strings.length, true);
  view.setUint32(24, words, true);
  let at = ROWS_HEADER + (cells + words) * 4;
  for (const b of strings) {
    view.setUint32(at, b.length, true);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  putInt32s(out, view, ROWS_HEADER, m.cells, cells);
  if (m.values) putInt32s(out, view, ROWS_HEADER + cells * 4, m.values, words);
  return out;
}

function putInt32s(out: Uint8Array, view: DataView, at: number, from: Int32Array, n: number): void {
  if (littleEndian) out.set(new Uint8Array(from.buffer, from.byteOffset, n * 4), at);
  else for (let i = 0; i < n; i++) view.setInt32(at + i * 4, from[i]!, true);
}

function getInt32s(bytes: Uint8Array, view: DataView, at: number, n: number): Int32Array {
  const out = new Int32Array(n);
  if (littleEndian) new Uint8Array(out.buffer).set(bytes.subarray(at, at + n * 4));
  else for (let i = 0; i < n; i++) out[i] = view.getInt32(at + i * 4, true);
  return out;
}

const CONTROL_KINDS = new Set(["setup", "loaded", "phase", "probe", "status", "collect", "collected", "failed", "end"]);

/** Checks and decodes a frame; throws WireError for anything malformed. */
export function decode(bytes: Uint8Array): Message {
  if (bytes.length > MAX_FRAME_BYTES) throw new WireError(`${bytes.length} bytes, over the ${MAX_FRAME_BYTES}-byte cap`);
  if (bytes.length < HEADER || bytes[0] !== 0x43 || bytes[1] !== 0x52) throw new WireError("not a Cairn frame");
  if (bytes[2] !== PROTOCOL_VERSION) throw new WireError(`protocol version ${bytes[2]}, expected ${PROTOCOL_VERSION}`);
  const type = bytes[3];
  if (type === 2) {
    let m: unknown;
    try {
      m = unpack(bytes.subarray(HEADER), { maxStrLength: MAX_FRAME_BYTES, maxBinLength: 0, maxExtLength: 0 });
    } catch {
      throw new WireError("control frame is not MessagePack");
    }
    if (typeof m !== "object" || m === null || !CONTROL_KINDS.has((m as { t?: unknown }).t as string)) {
      throw new WireError("unknown control message");
    }
    return m as Control;
  }
  if (type !== 1) throw new WireError(`unknown frame type ${type}`);
  if (bytes.length < ROWS_HEADER) throw new WireError("rows frame shorter than its header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seq = view.getUint32(4, true);
  const relation = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const arity = view.getUint32(16, true);
  const stringCount = view.getUint32(20, true);
  const words = view.getUint32(24, true);
  const cellBytes = count * arity * 4;
  // Each string takes at least its 4-byte length (a set may hold more strings than the frame has cells).
  if (count > ROWS_PER_FRAME || arity > 1024 || bytes.length < ROWS_HEADER + cellBytes + words * 4 || stringCount > bytes.length / 4) {
    throw new WireError(`rows frame of ${bytes.length} bytes does not hold ${count} rows of ${arity} cells`);
  }
  const strings: string[] = [];
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let at = ROWS_HEADER + cellBytes + words * 4;
  for (let i = 0; i < stringCount; i++) {
    const n = at + 4 <= bytes.length ? view.getUint32(at, true) : -1;
    if (n < 0 || at + 4 + n > bytes.length) throw new WireError(`rows frame's string ${i} overruns the frame`);
    try {
      strings.push(utf8.decode(bytes.subarray(at + 4, at + 4 + n)));
    } catch {
      throw new WireError(`rows frame's string ${i} is not UTF-8`);
    }
    at += 4 + n;
  }
  if (at !== bytes.length) throw new WireError(`rows frame of ${bytes.length} bytes does not hold ${count} rows of ${arity} cells`);
  const cells = getInt32s(bytes, view, ROWS_HEADER, count * arity);
  const values = words > 0 ? getInt32s(bytes, view, ROWS_HEADER + cellBytes, words) : undefined;
  return { t: "rows", seq, relation, count, arity, cells, ...(strings.length > 0 ? { strings } : {}), ...(values ? { values } : {}) };
}

/** Frames for one destination as one message: the frame itself when alone, else bundles of at most BUNDLE_BYTES. */
export const BUNDLE_BYTES = 4 * 1024 * 1024;

export function bundle(frames: readonly Uint8Array[]): Uint8Array[] {
  if (frames.length === 1) return [frames[0]!];
  const out: Uint8Array[] = [];
  let group: Uint8Array[] = [];
  let size = HEADER;
  const close = () => {
    if (group.length === 0) return;
    const b = new Uint8Array(size);
    header(b, 3);
    const view = new DataView(b.buffer);
    let at = HEADER;
    for (const f of group) {
      view.setUint32(at, f.length, true);
      b.set(f, at + 4);
      at += 4 + f.length;
    }
    out.push(b);
    group = [];
    size = HEADER;
  };
  for (const f of frames) {
    if (group.length > 0 && size + 4 + f.length > BUNDLE_BYTES) close();
    group.push(f);
    size += 4 + f.length;
  }
  close();
  return out;
}

/** The frames one message carries: itself, or a bundle's parts (checked: lengths that fit, no bundle inside). */
export function framesOf(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length < HEADER || bytes[3] !== 3 || bytes[0] !== 0x43 || bytes[1] !== 0x52 || bytes[2] !== PROTOCOL_VERSION) return [bytes];
  if (bytes.length > MAX_FRAME_BYTES) throw new WireError(`${bytes.length} bytes, over the ${MAX_FRAME_BYTES}-byte cap`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  for (let at = HEADER; at < bytes.length; ) {
    if (at + 4 > bytes.length) throw new WireError("bundle cut short");
    const n = view.getUint32(at, true);
    if (at + 4 + n > bytes.length) throw new WireError(`bundled frame of ${n} bytes overruns the bundle`);
    const part = bytes.subarray(at + 4, at + 4 + n);
    if (part[3] === 3) throw new WireError("bundle inside a bundle");
    out.push(part);
    at += 4 + n;
  }
  return out;
}

/** Splits `count` rows of `cells` into rows messages of at most ROWS_PER_FRAME rows, numbered from `nextSeq()`. */
export function rowsFrames(relation: number, arity: number, cells: Int32Array, count: number, nextSeq: () => number): Rows[] {
  const out: Rows[] = [];
  for (let from = 0; from < count; from += ROWS_PER_FRAME) {
    const n = Math.min(ROWS_PER_FRAME, count - from);
    out.push({ t: "rows", seq: nextSeq(), relation, count: n, arity, cells: cells.subarray(from * arity, (from + n) * arity) });
  }
  return out;
}

/** What a resumable link's connection carries: a numbered message, or an acknowledgement. */
export type LinkFrame =
  | { readonly t: "numbered"; readonly seq: number; readonly message: Uint8Array }
  | { readonly t: "ack"; readonly next: number };

/** Puts `message` behind a numbered frame's header. */
export function numbered(seq: number, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + 4 + message.length);
  header(out, 4);
  new DataView(out.buffer).setUint32(HEADER, seq, true);
  out.set(message, HEADER + 4);
  return out;
}

export function ack(next: number): Uint8Array {
  const out = new Uint8Array(HEADER + 4);
  header(out, 5);
  new DataView(out.buffer).setUint32(HEADER, next, true);
  return out;
}

/** Checks and reads a link frame; throws WireError for anything else. */
export function linkFrame(bytes: Uint8Array): LinkFrame {
  if (bytes.length > MAX_FRAME_BYTES + HEADER + 4) throw new WireError(`${bytes.length} bytes, over the ${MAX_FRAME_BYTES}-byte cap`);
  if (bytes.length < HEADER + 4 || bytes[0] !== 0x43 || bytes[1] !== 0x52) throw new WireError("not a Cairn link frame");
  if (bytes[2] !== PROTOCOL_VERSION) throw new WireError(`protocol version ${bytes[2]}, expected ${PROTOCOL_VERSION}`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(HEADER, true);
  if (bytes[3] === 4) return { t: "numbered", seq: n, message: bytes.subarray(HEADER + 4) };
  if (bytes[3] === 5 && bytes.length === HEADER + 4) return { t: "ack", next: n };
  throw new WireError(bytes[3] === 5 ? "ack frame of the wrong length" : `unknown frame type ${bytes[3]}`);
}
