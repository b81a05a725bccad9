// The database's files, through the CLI's own code: the facts of the
// program's `.input` relations read from a folder (engine/io/file-io.ts), and
// state files saved and restored (engine/state/runner-state.ts), so a state
// `cairn run --state` saved can be opened by the API and the other way round.
// Facts are read into relations of their own first: a bad file leaves the
// database as it was.

import type { Program } from "../../lang/ast.js";
import type { CheckedProgram } from "../../lang/model.js";
import type { SourceMap } from "../../lang/span.js";
import type { ProgramRunner } from "../eval/program-runner.js";
import { loadInputs } from "../io/file-io.js";
import { restoreState, saveState, stateIdentity } from "../state/runner-state.js";
import { StateFileError, StateReader } from "../state/state-file.js";
import { Relation } from "../storage/relation.js";
import { keepingBounds } from "./bounds.js";

/** What a database knows of its program's source: the parsed program, its canonical text (a state's identity) and its files' text. */
export interface DatabaseSource {
  readonly ast: Program;
  /** The program as `cairn run --emit ast` prints it: states are saved for this text. */
  readonly text: string;
  readonly sources: SourceMap;
}

/** Rows read for one relation: `count` rows of its arity, end to end. */
export interface ReadRows {
  readonly cells: Int32Array;
  readonly count: number;
}

/** The facts of every `.input` relation in folder `dir`, by relation; throws the CairnError the CLI shows for a missing or bad file. */
export function loadFacts(program: CheckedProgram, runner: ProgramRunner, source: DatabaseSource, dir: string): Map<string, ReadRows> {
  const read = new Map<string, Relation>();
  const into = (name: string) => {
    let rel = read.get(name);
    if (!rel) {
      const of = runner.relation(name);
      rel = new Relation(name, of.types, of.lattice);
      rel.latticeIO = of.latticeIO;
      rel.budget = runner.memory;
      read.set(name, rel);
    }
    return rel;
  };
  loadInputs(program, runner, source.sources, { factDir: dir, into });
  const out = new Map<string, ReadRows>();
  for (const [name, rel] of read) {
    const arity = rel.arity;
    const cells = new Int32Array(rel.live * arity);
    let count = 0;
    for (let r = 0; r < rel.size; r++) {
      if (!rel.isLive(r)) continue;
      cells.set(rel.data.subarray(r * arity, (r + 1) * arity), count * arity);
      count++;
    }
    out.set(name, { cells, count });
  }
  return out;
}

/** Saves the runner's state to `file`, atomically. */
export function saveTo(file: string, runner: ProgramRunner, source: DatabaseSource): void {
  keepingBounds(runner, () => saveState(file, runner, stateIdentity(source.text, runner), new Map(), []));
}

/** Loads the state in `file` into `runner` (freshly made); throws a StateFileError when there is none or it is not this program's. */
export function restoreInto(file: string, runner: ProgramRunner, source: DatabaseSource): void {
  try {
    const reader = StateReader.open(file);
    if (!reader) throw new StateFileError("unreadable", "does not exist");
    const restored = restoreState(reader, runner, stateIdentity(source.text, runner));
    if (!restored.ok) throw new StateFileError("not-state", restored.reason);
  } catch (e) {
    // The message names the file, as the CLI's does.
    if (e instanceof StateFileError) throw new StateFileError(e.problem, `state file ${file} ${e.message}`);
    throw e;
  }
}
