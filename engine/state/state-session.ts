// One run that continues from a state file (`cairn run --state FILE`): load
// the saved state into a runner of the same program when it can be used, read
// the input facts into it (retracting those the input no longer has), fall
// back to a run from scratch where the state cannot be used, and save the new state
// after the run. Each fallback is reported once, as one line, through `note`.
// A file that is not a Cairn state file, or cannot be read, is left alone: a
// StateFileError reaches the caller.

import type { ProgramRunner } from "../eval/program-runner.js";
import type { Relation } from "../storage/relation.js";
import { InputFiles } from "../io/input-files.js";
import { InputMerge } from "../io/input-merge.js";
import { restoreState, saveState, stateIdentity, type StateIdentity } from "./runner-state.js";
import { StateFileError, StateReader } from "./state-file.js";

export interface StateSessionOptions {
  /** The state file. */
  readonly path: string;
  /** The program's canonical text: a state saved for another text is not used. */
  readonly programText: string;
  /** A fresh runner for the program, and how to build another (after a fallback). */
  readonly runner: ProgramRunner;
  readonly newRunner: () => ProgramRunner;
  /** Reads every input relation's facts into `runner`, each into the relation `into` gives, skipping what `files` says was read before. */
  readonly readInputs: (runner: ProgramRunner, into: (relation: string, onlyNew: boolean) => Relation, files: InputFiles) => void;
  /** Reports why the saved state is not used: "state file PATH …; running from scratch". */
  readonly note: (message: string) => void;
}

export class StateSession {
  private constructor(
    /** The runner to evaluate: continuing from the state, or fresh. */
    readonly runner: ProgramRunner,
    /** Whether the saved state was loaded. */
    readonly continued: boolean,
    private readonly path: string,
    private readonly identity: StateIdentity,
    private readonly merge: InputMerge,
    private readonly files: InputFiles,
    /** Milliseconds spent opening and loading the saved state. */
    readonly restoreMs: number,
  ) {}

  /** Opens the state (if any) and reads the input facts. Throws StateFileError when the file must be left alone. */
  static start(opts: StateSessionOptions): StateSession {
    const { path } = opts;
    const fallback = (why: string) => opts.note(`state file ${path} ${why}; running from scratch and replacing it`);
    const t0 = performance.now();
    let runner = opts.runner;
    const identity = stateIdentity(opts.programText, runner);
    let sets = new Map<string, Relation>();
    let files = new InputFiles();
    let continued = false;
    let attempted = false;
    try {
      const file = StateReader.open(path);
      if (file) {
        attempted = true;
        const restored = restoreState(file, runner, identity);
        if (restored.ok) {
          sets = restored.inputs;
          files = new InputFiles(restored.files);
          continued = true;
        } else {
          fallback(restored.reason);
        }
      }
    } catch (e) {
      if (!(e instanceof StateFileError) || e.problem === "not-state" || e.problem === "unreadable") throw e;
      fallback(e.message);
    }
    // A runner that a state was being loaded into may be half loaded.
    if (attempted && !continued) runner = opts.newRunner();
    const restoreMs = performance.now() - t0;
    const merge = new InputMerge(runner, sets);
    opts.readInputs(runner, (name, onlyNew) => merge.target(name, onlyNew), files);
    // Facts the input no longer has are retracted: the run recomputes what depended on them.
    merge.finish();
    return new StateSession(runner, continued, path, identity, merge, files, restoreMs);
  }

  /** Whether save() has anything to write: a fresh state, or new input facts. */
  get changed(): boolean {
    return !this.continued || this.merge.changed;
  }

  /** Saves the runner's state after its run, unless nothing changed (the saved state is then still current). */
  save(): void {
    if (this.changed) saveState(this.path, this.runner, this.identity, this.merge.sets, this.files.current);
  }
}
