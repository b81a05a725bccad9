// The integer hash used by every index, and its source text for generated code.
// A tuple's hash folds its key cells in order with a multiply-xorshift mix.
// Every step (xor with a constant, multiply by an odd constant, xorshift) is a
// bijection of 32-bit integers, so a one-cell key's hash identifies the key:
// indexes over one column compare hashes and never read the key's row.

export const HASH_SEED = 0x2545f491;

/** Folds one 32-bit cell into a running hash. */
export function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** Final avalanche of a running hash. */
export function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** Whether equal hashes of keys of `cells` cells mean equal keys (one cell: the hash is a bijection). */
export function hashIdentifiesKey(cells: number): boolean {
  return cells === 1;
}

/** JavaScript source computing the hash of the given cell expressions, for generated code. */
export function hashSource(cells: readonly string[]): string {
  let h = String(HASH_SEED);
  for (const c of cells) h = `mix(${h}, ${c})`;
  return `finish(${h})`;
}
