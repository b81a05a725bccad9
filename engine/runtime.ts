// What the engine asks of the runtime it runs on, implemented with Node: the
// machine's memory and the JavaScript heap's limit (for the memory budget),
// a full garbage collection on demand (for eager release), UTF-8 decoding of
// byte ranges (for facts), and the largest buffer and string. The playground's
// build (scripts/playground.mjs) puts runtime.browser.ts, the same functions
// with browser APIs, in its place; tests/runtime.test.ts holds the two to one
// signature.

import { constants } from "node:buffer";
import { totalmem } from "node:os";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Bytes of memory this process may use: the machine's, or its cgroup's when that is smaller. */
export function machineMemory(): number {
  const machine = totalmem();
  const group = process.constrainedMemory?.() ?? 0;
  return group > 0 ? Math.min(machine, group) : machine;
}

/** The most bytes the JavaScript heap may take. */
export function heapLimit(): number {
  return getHeapStatistics().heap_size_limit;
}

/** Allows a full collection on demand; returns whether this runtime does. */
export function allowFullCollection(): boolean {
  try {
    setFlagsFromString("--expose-gc");
    return true;
  } catch {
    return false;
  }
}

/** The function that runs a full collection, once allowed; null where there is none. */
export function fullCollection(): (() => void) | null {
  try {
    return runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
}

/** A decoder of `bytes`: the text of the UTF-8 bytes [from, to). */
export function utf8Slicer(bytes: Uint8Array): (from: number, to: number) => string {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return (from, to) => b.toString("utf8", from, to);
}

/** The UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

/** The most bytes one buffer holds (4 GiB in Node 20). */
export const MAX_BUFFER_BYTES: number = constants.MAX_LENGTH;

/** The most characters one string holds (about 512 Mi in V8). */
export const MAX_STRING_LENGTH: number = constants.MAX_STRING_LENGTH;
