// The bounds on what one input may hold (a facts file, a field of one), at
// most what the runtime can hold (engine/runtime.ts), and the size in words
// that their messages give. Lowered through the environment by read-input.ts.

import { MAX_BUFFER_BYTES, MAX_STRING_LENGTH } from "../runtime.js";

/** The most bytes read from one input, and from one field of a facts file. */
export interface InputLimits {
  /** A facts file or standard input is read into one buffer: at most Node's largest (4 GiB). */
  readonly fileBytes: number;
  /** A field becomes a string: at most V8's longest (about 512 MiB). */
  readonly fieldBytes: number;
}

/** The longest text (in bytes, which decode to at most as many characters) that fits in one string. */
export const MAX_TEXT_BYTES = MAX_STRING_LENGTH;

export const DEFAULT_LIMITS: InputLimits = { fileBytes: MAX_BUFFER_BYTES, fieldBytes: MAX_TEXT_BYTES };

/** A size for a message: the exact count, and above 1 MiB the same in MiB or GiB. */
export function bytesText(n: number): string {
  const exact = `${n.toLocaleString("en-US")} byte${n === 1 ? "" : "s"}`;
  if (n < 2 ** 20) return exact;
  return `${exact} (${n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 30).toFixed(1)} GiB`})`;
}
