// Worker side: generated rule code compiled once per thread (cached by its
// source text), the pure runtime helpers it may call, and the failure of a
// version tagged with its position so the coordinator can locate it.

import { finish, mix } from "../storage/hash.js";
import { makeFunctors } from "../eval/functors.js";
import { ValueTable } from "../lattices/value-table.js";
import { SymbolTable } from "../storage/symbols.js";

type Factory = (R: unknown[], I: unknown[], fx: unknown, st: unknown, m: typeof mix, f: typeof finish) => () => void;

const factories = new Map<string, Factory>();

/** Only the helpers that touch no table are ever called here (see purity.ts). */
const fx = makeFunctors(new SymbolTable(), new ValueTable());
const st = { counter: 0 };

/** Instantiates generated code over the given relations and indexes. */
export function instantiate(source: string, R: unknown[], I: unknown[]): () => void {
  let factory = factories.get(source);
  if (!factory) {
    factory = new Function("R", "I", "fx", "st", "mix", "finish", source) as Factory;
    if (factories.size > 2000) factories.clear();
    factories.set(source, factory);
  }
  return factory(R, I, fx, st, mix, finish);
}

/** A version (local task) or job (round task) that threw. */
export class VersionFailure extends Error {
  constructor(
    readonly at: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Runs `run`, tagging what it throws with `at`. */
export function runTagged(run: () => void, at: number): void {
  try {
    run();
  } catch (e) {
    throw new VersionFailure(at, e);
  }
}
