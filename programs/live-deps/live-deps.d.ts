// The relations of programs/live-deps/live-deps.dl, written by `cairn types`: do not edit; write it again when the program changes.
// Use: import type { Schema } from "./this-file.js"; const program = compile<Schema>(source);

export type Schema = {
  /** depends(pkg: symbol, dep: symbol) */
  readonly depends: {
    readonly tuple: readonly [pkg: string, dep: string];
    readonly row: { readonly pkg: string; readonly dep: string };
    readonly input: readonly [pkg: string, dep: string];
    readonly inputRow: { readonly pkg: string; readonly dep: string };
  };
  /** broken(pkg: symbol) */
  readonly broken: {
    readonly tuple: readonly [pkg: string];
    readonly row: { readonly pkg: string };
    readonly input: readonly [pkg: string];
    readonly inputRow: { readonly pkg: string };
  };
  /** needs(pkg: symbol, dep: symbol) */
  readonly needs: {
    readonly tuple: readonly [pkg: string, dep: string];
    readonly row: { readonly pkg: string; readonly dep: string };
    readonly input: readonly [pkg: string, dep: string];
    readonly inputRow: { readonly pkg: string; readonly dep: string };
  };
  /** affected(pkg: symbol) */
  readonly affected: {
    readonly tuple: readonly [pkg: string];
    readonly row: { readonly pkg: string };
    readonly input: readonly [pkg: string];
    readonly inputRow: { readonly pkg: string };
  };
  /** users(dep: symbol, n: number) */
  readonly users: {
    readonly tuple: readonly [dep: string, n: number];
    readonly row: { readonly dep: string; readonly n: number };
    readonly input: readonly [dep: string, n: number | bigint];
    readonly inputRow: { readonly dep: string; readonly n: number | bigint };
  };
};
