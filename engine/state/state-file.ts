// The state file's container (engine/state/runner-state.ts says what goes in it): a
// 32-byte prefix — magic, format version, the file's length, the header's
// length, a CRC-32 of everything after the prefix — then a JSON header, then
// typed arrays, each on an 8-byte boundary. Reading is one read into one
// buffer and typed-array views over it: nothing is parsed or copied per row.
// The checksum is checked on request, once the header has shown that the file
// belongs to the program. Writing goes to a temporary file that is renamed
// over the target only once it is complete (engine/io/temp-files.ts, which
// also removes those of killed runs).

import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { removeStaleTemps, tempPath } from "../io/temp-files.js";

/** Bumped whenever the layout changes; a file of another format is not used. */
export const STATE_FORMAT = 2;

const MAGIC = "CAIRNSTA";
const PREFIX = 32;

export type BlockArray = Int32Array | Uint8Array;

/**
 * Why a state file cannot be used: `not-state` and `unreadable` leave the file
 * alone (it may not be Cairn's); the others mean a Cairn state file that a run
 * from scratch may replace.
 */
export type StateProblem = "not-state" | "unreadable" | "truncated" | "corrupt" | "format";

/** A state file that cannot be used; the message completes "state file PATH …". */
export class StateFileError extends Error {
  constructor(
    readonly problem: StateProblem,
    message: string,
  ) {
    super(message);
    this.name = "StateFileError";
  }
}

/** A block in the header: element type, byte offset from the start of the data, element count. */
type BlockEntry = readonly ["i32" | "u8", number, number];

const align8 = (n: number) => (n + 7) & ~7;
const ZEROS = new Uint8Array(8);

function bytesOf(a: BlockArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function writeAll(fd: number, bytes: Uint8Array, position?: number): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, position === undefined ? null : position + off);
}

/** Collects a header and typed arrays, then writes them as one state file. */
export class StateWriter {
  private readonly blocks: BlockArray[] = [];

  /** Adds an array (written as it is, not copied); returns its number for the header. */
  add(a: BlockArray): number {
    this.blocks.push(a);
    return this.blocks.length - 1;
  }

  /** The file's pieces in order, their checksum written into the prefix once the last is produced. */
  private *pieces(header: object): Generator<Uint8Array, void, void> {
    const entries: BlockEntry[] = [];
    let offset = 0;
    for (const b of this.blocks) {
      entries.push([b instanceof Int32Array ? "i32" : "u8", offset, b.length]);
      offset = align8(offset + b.byteLength);
    }
    const json = Buffer.from(JSON.stringify({ ...header, blocks: entries }), "utf8");
    const dataStart = align8(PREFIX + json.length);
    const total = dataStart + offset;
    const prefix = Buffer.alloc(PREFIX);
    prefix.write(MAGIC, 0, "latin1");
    prefix.writeUInt32LE(STATE_FORMAT, 8);
    prefix.writeUInt32LE(json.length, 12);
    prefix.writeDoubleLE(total, 16);
    yield prefix;
    let crc = 0;
    const body: Uint8Array[] = [json, ZEROS.subarray(0, dataStart - PREFIX - json.length)];
    for (const b of this.blocks) body.push(bytesOf(b), ZEROS.subarray(0, align8(b.byteLength) - b.byteLength));
    for (const bytes of body) {
      // crc32() of an empty array over an empty buffer gives 0, not the running value.
      if (bytes.length === 0) continue;
      crc = crc32(bytes, crc);
      yield bytes;
    }
    prefix.writeUInt32LE(crc >>> 0, 24);
  }

  /** The whole file as bytes in memory (a snapshot, or a state to keep elsewhere). */
  toBytes(header: object): Uint8Array {
    const parts = [...this.pieces(header)];
    // A buffer of its own (never a slice of a pool), as StateReader.of() needs.
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** Writes `header` and the arrays to `path`: complete, or not at all. */
  write(path: string, header: object): void {
    mkdirSync(dirname(path), { recursive: true });
    removeStaleTemps(path);
    const tmp = tempPath(path);
    let fd: number | undefined;
    let created = false;
    try {
      fd = openSync(tmp, "w");
      created = true;
      let prefix: Uint8Array | undefined;
      for (const bytes of this.pieces(header)) {
        prefix ??= bytes;
        writeAll(fd, bytes);
      }
      // The checksum is in the prefix once every piece was produced.
      writeAll(fd, prefix!.subarray(24, 28), 24);
      closeSync(fd);
      fd = undefined;
      renameSync(tmp, path);
    } catch (e) {
      try {
        if (fd !== undefined) closeSync(fd);
        if (created) rmSync(tmp, { force: true });
      } catch {
        // The first error is the one to report.
      }
      throw e;
    }
  }
}

/** An opened state file: its header, and views of its arrays. */
export class StateReader {
  private constructor(
    private readonly bytes: Uint8Array,
    readonly header: Record<string, unknown>,
    private readonly dataStart: number,
    private readonly entries: readonly BlockEntry[],
  ) {}

  /**
   * Reads the state file at `path`; undefined when there is none. Throws a
   * StateFileError when the file cannot be read, is not a state file, is of
   * another format, truncated, or its header is damaged.
   */
  static open(path: string): StateReader | undefined {
    const bytes = readWhole(path);
    return bytes === undefined ? undefined : StateReader.of(bytes);
  }

  /** Reads a state file held in memory (a buffer of its own, so every block is aligned); throws as open() does. */
  static of(bytes: Uint8Array): StateReader {
    const head = Buffer.from(bytes.buffer, 0, Math.min(bytes.length, PREFIX));
    const magic = head.toString("latin1", 0, Math.min(8, head.length));
    if (!MAGIC.startsWith(magic)) throw new StateFileError("not-state", "is not a Cairn state file");
    if (bytes.length < PREFIX) throw new StateFileError("truncated", `is truncated (${bytes.length} bytes, shorter than its header)`);
    const format = head.readUInt32LE(8);
    if (format !== STATE_FORMAT)
      throw new StateFileError(
        "format",
        `was written by another version of Cairn (state format ${format}, this one reads ${STATE_FORMAT})`,
      );
    const total = head.readDoubleLE(16);
    // The prefix is not under the checksum: a length that no file has, or a body that is whole, means a damaged prefix.
    if (!Number.isSafeInteger(total) || total < PREFIX) throw new StateFileError("corrupt", "is corrupt (bad length in its header)");
    if (bytes.length < total) {
      if (bodyIntact(bytes))
        throw new StateFileError("corrupt", `is corrupt (its header gives a length of ${total} bytes for ${bytes.length})`);
      throw new StateFileError("truncated", `is truncated (${bytes.length} of ${total} bytes)`);
    }
    if (bytes.length > total) throw new StateFileError("corrupt", `is corrupt (${bytes.length - total} bytes past its end)`);
    const jsonLength = head.readUInt32LE(12);
    const dataStart = align8(PREFIX + jsonLength);
    let header: Record<string, unknown>;
    try {
      if (dataStart > total) throw new Error("header past the end");
      header = JSON.parse(Buffer.from(bytes.buffer, PREFIX, jsonLength).toString("utf8")) as Record<string, unknown>;
    } catch {
      throw new StateFileError("corrupt", "is corrupt (unreadable header)");
    }
    const entries = header.blocks as BlockEntry[];
    const fits = (e: BlockEntry) =>
      Array.isArray(e) &&
      (e[0] === "i32" || e[0] === "u8") &&
      e[1] % 8 === 0 &&
      dataStart + e[1] + e[2] * (e[0] === "i32" ? 4 : 1) <= total;
    if (!Array.isArray(entries) || !entries.every(fits)) throw new StateFileError("corrupt", "is corrupt (bad block table)");
    return new StateReader(bytes, header, dataStart, entries);
  }

  /** Throws a StateFileError unless the checksum matches. */
  verify(): void {
    if (!bodyIntact(this.bytes)) throw new StateFileError("corrupt", "is corrupt (checksum mismatch)");
  }

  /** Block `n`, which must hold 32-bit integers. */
  i32(n: unknown): Int32Array {
    const [, offset, length] = this.entry(n, "i32");
    return new Int32Array(this.bytes.buffer, this.dataStart + offset, length);
  }

  /** Block `n`, which must hold bytes. */
  u8(n: unknown): Uint8Array {
    const [, offset, length] = this.entry(n, "u8");
    return new Uint8Array(this.bytes.buffer, this.dataStart + offset, length);
  }

  private entry(n: unknown, type: BlockEntry[0]): BlockEntry {
    const e = typeof n === "number" ? this.entries[n] : undefined;
    if (e === undefined || e[0] !== type) throw new StateFileError("corrupt", "is corrupt (bad block reference)");
    return e;
  }
}

/** Whether the checksum in the prefix of `bytes` (a whole prefix) is that of everything after it. */
function bodyIntact(bytes: Uint8Array): boolean {
  const stored = Buffer.from(bytes.buffer, bytes.byteOffset + 24, 4).readUInt32LE(0);
  return crc32(bytes.subarray(PREFIX)) >>> 0 === stored;
}

/** The whole file in a buffer of its own (so every block is aligned); undefined when there is no file. */
function readWhole(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StateFileError("unreadable", `cannot be read (${(e as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new StateFileError("unreadable", "cannot be read (not a regular file)");
    const bytes = new Uint8Array(stat.size);
    let off = 0;
    while (off < bytes.length) {
      const n = readSync(fd, bytes, off, bytes.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === bytes.length ? bytes : bytes.subarray(0, off);
  } catch (e) {
    if (e instanceof StateFileError) throw e;
    throw new StateFileError("unreadable", `cannot be read (${(e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}
