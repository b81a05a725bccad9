// The `cairn` command line: run a .dl program over a facts folder, or check it.
// Exit codes: 0 ok; 1 errors in the program or its input facts; 2 bad command
// line; 3 the program failed while running; 4 outputs could not be written;
// 70 an internal error (a bug in Cairn).

import { Command, CommanderError, Option } from "commander";
import { resolve } from "node:path";
import { CairnError, error, renderDiagnostics } from "../lang/diagnostics.js";
import { frontend } from "../lang/compile.js";
import type { SourceRead } from "../lang/load.js";
import { ProgramRunner } from "../engine/eval/program-runner.js";
import { EvaluationError, type UserFunctor } from "../engine/eval/functors.js";
import { GrowthLimitError } from "../engine/storage/relation.js";
import { closeWorkers, WorkerError } from "../engine/parallel/errors.js";
import { parseJobs } from "../engine/parallel/policy.js";
import { runParallel } from "../engine/parallel/run-async.js";
import { loadInputs, outputTargets, writeOutputs } from "../engine/io/file-io.js";
import { DEFAULT_LIMITS, InputFileError, type InputLimits, inputLimits, MAX_TEXT_BYTES, readInput } from "../engine/io/read-input.js";
import { releaseMemoryEagerly } from "../engine/storage/memory.js";
import { RuleProfile } from "../engine/eval/profile.js";
import { loadFunctorModule, missingFunctors } from "./functors.js";
import { renderProfile } from "./profile.js";
import { StateFileError } from "../engine/state/state-file.js";
import { StateSession } from "../engine/state/state-session.js";
import { emitAst, emitCode, emitPlan } from "./emit.js";
import { addAnalyzeCommand } from "./analyze.js";
import { addGraphCommand } from "./graph.js";
import { ProgressLine, styleFor } from "./terminal.js";
import { registerKcfa } from "./kcfa.js";

export const EXIT = { ok: 0, programError: 1, usage: 2, runtime: 3, output: 4, internal: 70 } as const;

/** Where the CLI writes; the real process streams by default, buffers in tests. */
export interface CliIO {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** The terminal stream for colours and the progress line, if any. */
  readonly tty?: NodeJS.WriteStream;
}

/** Standard output could not be written (a full disk): the run's outputs failed. */
class StdoutError extends Error {}

const processIO: CliIO = {
  stdout: (s) => {
    process.stdout.write(s);
    // A file or device (a full disk, /dev/full) fails at once; bin.ts handles a pipe's later errors.
    const failed = process.stdout.errored;
    if (failed) throw new StdoutError(`cannot write standard output: ${failed.message}`);
  },
  stderr: (s) => process.stderr.write(s),
  tty: process.stderr,
};

let io: CliIO = processIO;
/** The bounds on what one input may hold (read-input.ts), from the environment. */
let limits: InputLimits = DEFAULT_LIMITS;

const noTty = { isTTY: false } as NodeJS.WriteStream;
const style = () => styleFor(io.tty ?? noTty);

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A program file's text (which must fit in one string), or why it cannot be read. */
function readSource(path: string): SourceRead {
  try {
    return readInput(path, Math.min(limits.fileBytes, MAX_TEXT_BYTES)).toString("utf8");
  } catch (e) {
    return e instanceof InputFileError ? { unreadable: e.message } : undefined;
  }
}

interface FrontOptions {
  include?: string[];
  define?: string[];
  /** false with -w: warnings are not shown. */
  warn?: boolean;
}

function load(programPath: string, opts: FrontOptions) {
  const defines: Record<string, string> = {};
  for (const d of opts.define ?? []) {
    const eq = d.indexOf("=");
    if (eq < 0) defines[d] = "1";
    else defines[d.slice(0, eq)] = d.slice(eq + 1);
  }
  const source = readSource(programPath);
  if (typeof source !== "string") {
    io.stderr(`cairn: cannot read ${programPath}${source ? `: it ${source.unreadable}` : ""}\n`);
    throw new Exit(EXIT.usage);
  }
  // The program is read once (it may be a pipe).
  const read = (path: string) => (path === programPath ? source : readSource(path));
  const result = frontend(programPath, read, { includeDirs: opts.include ?? [], defines });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const warnings = result.diagnostics.length - errors.length;
  // With errors present, only the errors are shown; otherwise warnings, unless -w.
  const shown = errors.length > 0 ? errors : opts.warn === false ? [] : result.diagnostics;
  if (shown.length > 0) io.stderr(renderDiagnostics(shown, result.sources, style()) + "\n");
  if (!result.checked || errors.length > 0) {
    const n = errors.length;
    const hidden = warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"} not shown)` : "";
    io.stderr(`cairn: ${n} error${n === 1 ? "" : "s"} in ${programPath}${hidden}\n`);
    throw new Exit(EXIT.programError);
  }
  return { checked: result.checked, written: result.written ?? result.checked, sources: result.sources, ast: result.ast! };
}

interface RunOptions extends FrontOptions {
  factDir: string;
  outputDir: string;
  emit?: string;
  stats?: boolean;
  profile?: boolean;
  growthLimit?: string;
  progress: boolean;
  jobs?: string;
  /** The state file to continue from and save to (--state). */
  state?: string;
  /** A JavaScript module implementing the program's `.functor` declarations (--functors). */
  functors?: string;
}

function run(programPath: string, opts: RunOptions): void | Promise<void> {
  if (opts.functors === undefined) return execute(programPath, opts, {});
  const from = opts.functors;
  return loadFunctorModule(from).then(
    (impls) => execute(programPath, opts, impls),
    (e: unknown) => {
      io.stderr(`cairn: cannot load functors from ${from}: ${(e as Error).message ?? e}\n`);
      throw new Exit(EXIT.usage);
    },
  );
}

function execute(programPath: string, opts: RunOptions, functors: Record<string, UserFunctor>): void | Promise<void> {
  const t0 = performance.now();
  const workers = parseJobs(opts.jobs ?? "1");
  if (workers === undefined) {
    io.stderr(`cairn: -j takes a number of threads or "auto", got "${opts.jobs}"\n`);
    throw new Exit(EXIT.usage);
  }
  const growthLimit = opts.growthLimit === undefined ? undefined : Number(opts.growthLimit);
  if (growthLimit !== undefined && !(Number.isInteger(growthLimit) && growthLimit > 0)) {
    io.stderr(`cairn: --growth-limit takes a positive whole number of updates, got "${opts.growthLimit}"\n`);
    throw new Exit(EXIT.usage);
  }
  const { checked, sources, ast } = load(programPath, opts);
  const missing = missingFunctors(checked, functors, opts.functors);
  if (missing.length > 0) {
    io.stderr(renderDiagnostics(missing, sources, style()) + "\n");
    io.stderr(`cairn: ${missing.length} error${missing.length === 1 ? "" : "s"} in ${programPath}\n`);
    throw new Exit(EXIT.programError);
  }
  // The state file must not be one of the outputs: each would overwrite the other.
  const state = opts.state;
  const clash = state === undefined ? undefined : outputTargets(checked, opts.outputDir).find((t) => resolve(t.path) === resolve(state));
  if (clash) {
    const at = `${clash.span.file}:${clash.span.start.line}:${clash.span.start.col}`;
    io.stderr(`cairn: --state ${state} is the file relation "${clash.relation}" is written to (${at}); choose another state file\n`);
    throw new Exit(EXIT.usage);
  }
  releaseMemoryEagerly();
  const profile = opts.profile ? new RuleProfile() : undefined;
  const newRunner = () => new ProgramRunner(checked, { workers, profile, growthLimit, functors });
  let runner = newRunner();
  if (opts.emit === "ast") {
    io.stdout(emitAst(ast));
    return;
  }
  const t1 = performance.now();
  let session: StateSession | undefined;
  try {
    if (opts.state === undefined) loadInputs(checked, runner, sources, { factDir: opts.factDir, limits });
    else {
      // Facts may be read twice (after a fallback); standard input only once.
      let stdin: Buffer | undefined;
      const readStdin = () => (stdin ??= readInput(0, limits.fileBytes));
      session = StateSession.start({
        path: opts.state,
        programText: emitAst(ast),
        runner,
        newRunner,
        readInputs: (r, into, files) => loadInputs(checked, r, sources, { factDir: opts.factDir, into, files, readStdin, limits }),
        note: (s) => io.stderr(`cairn: ${style().note("note")}: ${s}\n`),
      });
      runner = session.runner;
    }
  } catch (e) {
    if (e instanceof CairnError) {
      io.stderr(renderDiagnostics(e.diagnostics, e.sources ?? sources, style()) + "\n");
      throw new Exit(EXIT.programError);
    }
    if (e instanceof StateFileError) {
      const keep = e.problem === "not-state" ? "; leaving it alone (remove it or choose another --state file)" : "";
      io.stderr(`cairn: state file ${opts.state} ${e.message}${keep}\n`);
      throw new Exit(EXIT.usage);
    }
    throw e;
  }
  const t2 = performance.now();
  const progress = new ProgressLine(io.tty ?? noTty);
  if (opts.progress && progress.enabled) runner.onProgress = (p) => progress.update(p);
  const failed = (e: unknown): never => {
    progress.clear();
    if (e instanceof EvaluationError || e instanceof RangeError || e instanceof WorkerError) {
      // A lattice that kept growing is shown at its relation's declaration.
      const grew = e instanceof GrowthLimitError ? checked.relations.get(e.relation)?.span : undefined;
      const span = e instanceof EvaluationError ? e.span : grew;
      const note = e instanceof EvaluationError ? "while evaluating this rule" : `declared here; --growth-limit sets the bound`;
      io.stderr(renderDiagnostics([error("runtime", e.message, span, span ? [{ message: note }] : [])], sources, style()) + "\n");
      throw new Exit(EXIT.runtime);
    }
    throw e;
  };
  // With worker threads the evaluation is asynchronous; the rest follows it.
  if (workers > 1) return runParallel(runner).then(() => finish(t2), failed);
  try {
    runner.run();
  } catch (e) {
    failed(e);
  }
  finish(t2);

  function finish(t2: number): void {
    progress.clear();
    // The plans and code a run ended with replace its outputs.
    if (opts.emit) {
      io.stdout(opts.emit === "plan" ? emitPlan(checked, runner, sources) : emitCode(runner));
      return;
    }
    const t3 = performance.now();
    try {
      writeOutputs(checked, runner, { outDir: opts.outputDir, writeStdout: io.stdout });
    } catch (e) {
      io.stderr(`${style().error("error[output]")}: ${(e as Error).message}\n`);
      throw new Exit(EXIT.output);
    }
    const t4 = performance.now();
    try {
      session?.save();
    } catch (e) {
      io.stderr(`${style().error("error[output]")}: cannot write state file ${opts.state}: ${(e as Error).message}\n`);
      throw new Exit(EXIT.output);
    }
    const t5 = performance.now();
    if (profile) io.stderr(renderProfile(profile, checked, t3 - t2));
    if (opts.stats) {
      const ms = (a: number, b: number) => `${(b - a).toFixed(0)} ms`;
      const state = session?.continued ? ` (state read in ${session.restoreMs.toFixed(0)} ms)` : "";
      const saved = session ? `, save state ${session.changed ? ms(t4, t5) : "skipped (unchanged)"}` : "";
      io.stderr(
        `compile ${ms(t0, t1)}, load ${ms(t1, t2)}${state}, evaluate ${ms(t2, t3)}, write ${ms(t3, t4)}${saved}; ` +
          `peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`,
      );
    }
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Runs the CLI on `argv` (without the node and script names); returns the exit code (a promise with `run -j N`). */
export function main(argv: string[], streams: CliIO = processIO): number | Promise<number> {
  io = streams;
  const bounds = inputLimits();
  if (typeof bounds === "string") {
    io.stderr(`cairn: ${bounds}\n`);
    return EXIT.usage;
  }
  limits = bounds;
  let pending: Promise<void> | undefined;
  const program = new Command("cairn")
    .description("Cairn: Datalog with lattices, in Soufflé's dialect")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeErr: (s) => io.stderr(s), writeOut: (s) => io.stdout(s) });
  program
    .command("run")
    .description("evaluate a program: read .input facts, write .output relations")
    .argument("<program.dl>", "the program")
    .option("-F, --fact-dir <dir>", "folder of input .facts files", ".")
    .option("-D, --output-dir <dir>", "folder for output .csv files, or - for standard output", ".")
    .option("-I, --include-dir <dir>", "folder searched by #include (repeatable)", collect)
    .option("-M, --macro <name=value>", "define a preprocessor macro (repeatable)", collect)
    .addOption(
      new Option("--emit <what>", "print a stage instead of the outputs: the AST, or the plans and code the run ended with").choices([
        "ast",
        "plan",
        "code",
      ]),
    )
    .option("-w, --no-warn", "do not show warnings")
    .option("--stats", "print timings and peak memory to stderr")
    .option("--profile", "print each rule's evaluation time, runs and new tuples to stderr, the most expensive first")
    .option("--growth-limit <n>", "stop with an error once a lattice relation has taken n updates (default 50000000)")
    .option("--no-progress", "never show the progress line")
    .option("-j, --jobs <n>", 'evaluate with n worker threads ("auto": one per core); small rounds stay on one thread')
    .option("--functors <file>", "a JavaScript module whose exported functions implement the program's .functor declarations")
    .option(
      "--state <file>",
      "continue from the state an earlier run of this program saved in <file>, over facts that only grew, and save the new state there (created when absent)",
    )
    .action((file: string, o: RunOptions & { includeDir?: string[]; macro?: string[] }) => {
      pending = run(file, { ...o, include: o.includeDir, define: o.macro }) ?? undefined;
    });
  program
    .command("check")
    .description("parse and check a program without running it")
    .argument("<program.dl>", "the program")
    .option("-I, --include-dir <dir>", "folder searched by #include (repeatable)", collect)
    .option("-M, --macro <name=value>", "define a preprocessor macro (repeatable)", collect)
    .action((file: string, o: { includeDir?: string[]; macro?: string[] }) => {
      load(file, { include: o.includeDir, define: o.macro });
      io.stderr(`${file}: ok\n`);
    });
  // The CALM commands describe the program as written, not its magic-set transformation.
  const written = (f: string, o: FrontOptions) => {
    const r = load(f, o);
    return { ...r, checked: r.written };
  };
  const calm = {
    load: written,
    exit: (code: number): never => {
      throw new Exit(code);
    },
    io: () => io,
    style,
  };
  addAnalyzeCommand(program, calm);
  addGraphCommand(program, calm);
  registerKcfa(program, {
    stdout: (s) => io.stdout(s),
    stderr: (s) => io.stderr(s),
    style,
    exit: (code) => {
      throw new Exit(code);
    },
  });
  const code = (e: unknown): number => {
    if (e instanceof Exit) return e.code;
    if (e instanceof StdoutError) {
      io.stderr(`cairn: ${e.message}\n`);
      return EXIT.output;
    }
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr(`cairn: internal error: ${(e as Error).stack ?? e}\n`);
    return EXIT.internal;
  };
  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    return code(e);
  }
  // Worker threads end with the run, so the process exits as soon as it is done.
  return pending ? pending.then(() => EXIT.ok, code).finally(closeWorkers) : EXIT.ok;
}
