// The relations of tests/typed/graph.dl, written by `cairn types`: do not edit; write it again when the program changes.
// Use: import type { Schema } from "./this-file.js"; const program = compile<Schema>(source);

export type Schema = {
  /** edge(x: number, y: number) */
  readonly edge: {
    readonly tuple: readonly [x: number, y: number];
    readonly row: { readonly x: number; readonly y: number };
    readonly input: readonly [x: number | bigint, y: number | bigint];
    readonly inputRow: { readonly x: number | bigint; readonly y: number | bigint };
  };
  /** label(x: number, name: symbol) */
  readonly label: {
    readonly tuple: readonly [x: number, name: string];
    readonly row: { readonly x: number; readonly name: string };
    readonly input: readonly [x: number | bigint, name: string];
    readonly inputRow: { readonly x: number | bigint; readonly name: string };
  };
  /** dist(x: number, d: min<number>): a lattice relation, one tuple per key */
  readonly dist: {
    readonly tuple: readonly [x: number, d: number];
    readonly row: { readonly x: number; readonly d: number };
    readonly input: readonly [x: number | bigint, d: number | bigint];
    readonly inputRow: { readonly x: number | bigint; readonly d: number | bigint };
  };
  /** tags(x: number, t: set<symbol>): a lattice relation, one tuple per key */
  readonly tags: {
    readonly tuple: readonly [x: number, t: readonly string[]];
    readonly row: { readonly x: number; readonly t: readonly string[] };
    readonly input: readonly [x: number | bigint, t: readonly string[]];
    readonly inputRow: { readonly x: number | bigint; readonly t: readonly string[] };
  };
  /** path(x: number, y: number) */
  readonly path: {
    readonly tuple: readonly [x: number, y: number];
    readonly row: { readonly x: number; readonly y: number };
    readonly input: readonly [x: number | bigint, y: number | bigint];
    readonly inputRow: { readonly x: number | bigint; readonly y: number | bigint };
  };
};
