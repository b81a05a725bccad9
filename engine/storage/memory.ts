// Growing the typed arrays that hold rows and indexes, and handing back the
// memory they no longer use: arrays their owners outgrew, and facts files'
// text once read. V8 frees an ArrayBuffer's memory only when a full collection
// finds it unreachable, and it schedules those by the size of the JavaScript
// heap, which stays small while relations live in typed arrays: an outgrown
// array of many megabytes can linger for the rest of a run and count in the
// process's peak memory. With eager release on (the CLI turns it on; an
// embedding program may call releaseMemoryEagerly()), a full collection runs
// at the end of a round (releaseDiscarded(), when nothing on the stack still
// holds a discarded array) once what was discarded since the last one adds up
// to RELEASE_BYTES. The JavaScript heap is small, so each takes a few
// milliseconds.

import { allowFullCollection, fullCollection } from "../runtime.js";

/** Discarded memory that adds up to this many bytes is collected at once. */
export const RELEASE_BYTES = 8 << 20;

/** Whether eager release is on. */
let eager = false;
/** The full collection, looked up at its first use (a run that never needs one never pays for it); null where unavailable. */
let collect: (() => void) | null | undefined;
let pending = 0;

/** Turns on eager release (see above); returns whether this runtime allows it. */
export function releaseMemoryEagerly(): boolean {
  if (eager) return true;
  eager = allowFullCollection();
  return eager;
}

function collector(): (() => void) | null {
  if (collect === undefined) collect = fullCollection();
  return collect;
}

/** A zeroed Int32Array of `n` cells, on a SharedArrayBuffer when `shared` (for worker threads to read). */
export function int32s(n: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n);
}

/** Notes that `bytes` of memory are no longer used: an array its owner outgrew, a facts file's text once read. */
export function discarded(bytes: number): void {
  pending += bytes;
}

/** Collects what was discarded once it adds up to enough memory, when eager release is on. */
export function releaseDiscarded(): void {
  if (pending < RELEASE_BYTES) return;
  pending = 0;
  if (eager) collector()?.();
}
