// Reading an input whole (a program, a facts file, standard input), in chunks
// and with a bound: what is not a regular file or a pipe (a directory, a
// device such as /dev/zero) is refused, and so is a file larger than the bound,
// each with the reason, before anything is read. The bounds default to the
// most Node can hold and can be lowered through the environment.

import { bytesText, DEFAULT_LIMITS, type InputLimits } from "./input-limits.js";
import { closeSync, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { isatty } from "node:tty";

export { bytesText, DEFAULT_LIMITS, type InputLimits, MAX_TEXT_BYTES } from "./input-limits.js";

/** The environment variables that lower the limits (never above the defaults). */
const VARIABLES = { fileBytes: "CAIRN_MAX_INPUT_BYTES", fieldBytes: "CAIRN_MAX_FIELD_BYTES" } as const;

/** The limits `env` sets, or the message saying which variable is not a positive whole number. */
export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits | string {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of ["fileBytes", "fieldBytes"] as const) {
    const name = VARIABLES[key];
    const value = env[name];
    if (value === undefined || value === "") continue;
    const n = Number(value);
    if (!/^\d+$/.test(value) || !(n > 0)) return `${name} takes a positive whole number of bytes, got "${value}"`;
    limits[key] = Math.min(n, DEFAULT_LIMITS[key]);
  }
  return limits;
}

/** Why an input cannot be read; `message` completes "<the input> …". */
export class InputFileError extends Error {
  override readonly name = "InputFileError";
}

/** What a path that is not a regular file is, for a message: "a directory", "a character device". */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "something else";
}

/** The error for an input larger than `max` bytes (`size` of them, when known before reading). */
export const tooLarge = (max: number, size?: number) =>
  new InputFileError(
    `is too large: ${size === undefined ? "" : `${bytesText(size)}, and `}Cairn reads at most ${bytesText(max)} from one input`,
  );

/** Chunks read at a time from a pipe, or past the size a file had when opened. */
const CHUNK = 1 << 20;

/**
 * The bytes of `input` (a path, or 0 for standard input), at most `maxBytes`
 * of them. Throws an InputFileError for an input that is not a regular file or
 * a pipe (standard input may also be a terminal) or is larger than that, and
 * Node's error where the file cannot be opened.
 */
export function readInput(input: string | 0, maxBytes: number): Buffer {
  const fd = input === 0 ? 0 : openSync(input, "r");
  try {
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isFIFO() && !(input === 0 && isatty(0))) {
      throw new InputFileError(`is ${kindOf(st)}, not a regular file`);
    }
    if (st.size > maxBytes) throw tooLarge(maxBytes, st.size);
    // A file's size is known: one buffer, read in pieces; then whatever follows (a pipe's all), chunk by chunk.
    const chunks: Buffer[] = [];
    let total = 0;
    if (st.size > 0) {
      const bytes = Buffer.allocUnsafe(st.size);
      while (total < st.size) {
        const n = readSync(fd, bytes, total, Math.min(st.size - total, 1 << 30), null);
        if (n === 0) break;
        total += n;
      }
      chunks.push(total < st.size ? bytes.subarray(0, total) : bytes);
      if (total < st.size) return chunks[0]!;
    }
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes - total + 1));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(n < chunk.length ? chunk.subarray(0, n) : chunk);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    if (input !== 0) closeSync(fd);
  }
}
