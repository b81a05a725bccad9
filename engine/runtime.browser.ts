// engine/runtime.ts's functions for a web page (the playground): the memory a
// page may use as the browser tells it, no collection on demand, UTF-8
// through TextDecoder and TextEncoder, and V8's largest buffer and string.

/** Bytes of memory the page may use: the JavaScript heap's limit where Chromium tells it, else the device's memory. */
export function machineMemory(): number {
  return heapLimit();
}

/** The most bytes the JavaScript heap may take (Chromium's performance.memory; 2 GiB where unknown). */
export function heapLimit(): number {
  const memory = (performance as { memory?: { jsHeapSizeLimit?: number } }).memory;
  return memory?.jsHeapSizeLimit ?? 2 ** 31;
}

/** A page cannot run a full collection. */
export function allowFullCollection(): boolean {
  return false;
}

export function fullCollection(): (() => void) | null {
  return null;
}

/** A decoder of `bytes`: the text of the UTF-8 bytes [from, to). */
export function utf8Slicer(bytes: Uint8Array): (from: number, to: number) => string {
  const decoder = new TextDecoder();
  return (from, to) => decoder.decode(bytes.subarray(from, to));
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The most bytes one ArrayBuffer holds in V8 (as Node's buffer.constants.MAX_LENGTH). */
export const MAX_BUFFER_BYTES: number = 2 ** 32;

/** The most characters one string holds in V8 (as Node's buffer.constants.MAX_STRING_LENGTH). */
export const MAX_STRING_LENGTH: number = 2 ** 29 - 24;
