// The `cairn` command line: run a .dl program over a facts folder, or check it.
// Exit codes: 0 ok; 1 errors in the program or its input facts; 2 bad command
// line; 3 the program failed while running; 4 outputs could not be written;
// 70 an internal error (a bug in Cairn).

import { Command, CommanderError, Option } from "commander";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { CairnError, type Diagnostic, error, renderDiagnostics } from "../lang/diagnostics.js";
import type { Program } from "../lang/ast.js";
import type { SourceMap } from "../lang/span.js";
import { diagnosticsJson } from "./diagnostics-json.js";
import { profileJson } from "./profile.js";
import { frontend } from "../lang/compile.js";
import type { SourceRead } from "../lang/load.js";
import { ProgramRunner } from "../engine/eval/program-runner.js";
import { EvaluationError, type UserFunctor } from "../engine/eval/functors.js";
import { MemoryLimitError } from "../engine/storage/memory-budget.js";
import { closeWorkers, WorkerError } from "../engine/parallel/errors.js";
import { availableCores, MAX_JOBS, parseJobs } from "../engine/parallel/policy.js";
import { runParallel } from "../engine/parallel/run-async.js";
import { loadInputs, outputTargets, writeOutputs } from "../engine/io/file-io.js";
import { DEFAULT_LIMITS, InputFileError, type InputLimits, inputLimits, MAX_TEXT_BYTES, readInput } from "../engine/io/read-input.js";
import { releaseMemoryEagerly } from "../engine/storage/memory.js";
import { RuleProfile } from "../engine/eval/profile.js";
import { runtimeDiagnostic } from "../engine/eval/runtime-diagnostic.js";
import { loadFunctorModule, missingFunctors } from "./functors.js";
import { renderProfile } from "./profile.js";
import { StateFileError } from "../engine/state/state-file.js";
import { StateSession } from "../engine/state/state-session.js";
import { databaseSource, emitAst, emitCode, emitPlan } from "./emit.js";
import { addAnalyzeCommand } from "./analyze.js";
import { addExplainCommand } from "./explain.js";
import { SouffleExplain } from "./souffle-explain.js";
import { Database } from "../engine/database.js";
import { addGraphCommand } from "./graph.js";
import { addTypesCommand } from "./types.js";
import { ProgressLine, styleFor } from "./terminal.js";
import { registerKcfa } from "./kcfa.js";
import { addPlaygroundCommand } from "./playground.js";
import {
  addNodeCommand,
  type ClusterCliOptions,
  type ClusterHost,
  clusterOptions,
  renderClusterStats,
  writeClusterStats,
} from "./cluster.js";
import { ClusterError } from "../distributed/coordinator.js";
import { DialError } from "../distributed/dial.js";
import { type ClusterRunStats, runCluster } from "../distributed/run-cluster.js";
import { fromGivenFacts, recordRun } from "../distributed/cluster-state.js";
import { clusterLimits, planShards, renderShards } from "../distributed/shard-plan.js";
import type { ProgramSource } from "../distributed/wire.js";

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
let pending: Promise<void> | undefined;

const clusterHost: ClusterHost = {
  stdout: (s) => io.stdout(s),
  stderr: (s) => io.stderr(s),
  exit: (code) => {
    throw new Exit(code);
  },
  wait: (p) => {
    pending = p;
  },
};
/** The bounds on what one input may hold (read-input.ts), from the environment. */
let limits: InputLimits = DEFAULT_LIMITS;

/** `--format json`: diagnostics are collected here and printed as one document when the command ends. */
let json: { command: string; program?: string; diagnostics: Diagnostic[] } | undefined;

/** Shows diagnostics: as code frames on stderr, or into the JSON document. */
function report(diagnostics: readonly Diagnostic[], sources: SourceMap | undefined): void {
  if (diagnostics.length === 0) return;
  if (json) json.diagnostics.push(...diagnostics);
  else io.stderr(renderDiagnostics(diagnostics, sources, style()) + "\n");
}

/** A line such as "cairn: 2 errors in prog.dl", which the JSON document's counts replace. */
function summary(line: string): void {
  if (!json) io.stderr(line);
}

/** An output that could not be written (exit 4). */
function outputError(message: string): void {
  if (json) json.diagnostics.push(error("output", message));
  else io.stderr(`${style().error("error[output]")}: ${message}\n`);
}

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
  const text = readSource(programPath);
  if (typeof text !== "string") {
    io.stderr(`cairn: cannot read ${programPath}${text ? `: it ${text.unreadable}` : ""}\n`);
    throw new Exit(EXIT.usage);
  }
  // The program is read once (it may be a pipe); every file read is kept, so that cluster nodes
  // compile exactly this program.
  const files = new Map<string, string>([[programPath, text]]);
  const read = (path: string) => {
    if (path === programPath) return text;
    const other = readSource(path);
    if (typeof other === "string") files.set(path, other);
    return other;
  };
  const result = frontend(programPath, read, { includeDirs: opts.include ?? [], defines });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const warnings = result.diagnostics.length - errors.length;
  // With errors present, only the errors are shown; otherwise warnings, unless -w.
  const shown = errors.length > 0 ? errors : opts.warn === false ? [] : result.diagnostics;
  report(shown, result.sources);
  if (!result.checked || errors.length > 0) {
    const n = errors.length;
    const hidden = warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"} not shown)` : "";
    summary(`cairn: ${n} error${n === 1 ? "" : "s"} in ${programPath}${hidden}\n`);
    throw new Exit(EXIT.programError);
  }
  const source: ProgramSource = { entry: programPath, files: [...files], includeDirs: opts.include ?? [], defines };
  return { checked: result.checked, written: result.written ?? result.checked, sources: result.sources, ast: result.ast!, source };
}

/** The mode `.pragma "provenance" "explain"` asks for, as Soufflé's `-t explain` does. */
function provenancePragma(ast: Program): string | undefined {
  let mode: string | undefined;
  for (const item of ast.items) if (item.kind === "pragma" && item.key === "provenance") mode = item.value;
  return mode;
}

/** The commands of Soufflé's explain interface: standard input's text (a file, a pipe or a socket). */
function explainCommands(): string {
  try {
    return readFileSync(0, "utf8");
  } catch (e) {
    io.stderr(`cairn: cannot read the explain commands from standard input: ${(e as Error).message}\n`);
    throw new Exit(EXIT.usage);
  }
}

/** Reads facts through `read`; bad facts are shown located and end the command (exit 1). */
function loadFacts(read: () => void, sources: SourceMap): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof CairnError)) throw e;
    io.stderr(renderDiagnostics(e.diagnostics, e.sources ?? sources, style()) + "\n");
    throw new Exit(EXIT.programError);
  }
}

interface RunOptions extends FrontOptions, ClusterCliOptions {
  factDir: string;
  /** --stats-json: a cluster run's statistics as JSON. */
  statsJson?: string;
  outputDir: string;
  emit?: string;
  stats?: boolean;
  profile?: boolean;
  growthLimit?: string;
  memoryLimit?: string;
  progress: boolean;
  jobs?: string;
  /** The state file to continue from and save to (--state). */
  state?: string;
  /** -t explain: after the run, Soufflé's explain commands from standard input. */
  provenance?: string;
  /** A JavaScript module implementing the program's `.functor` declarations (--functors). */
  functors?: string;
  /** -p FILE: the profile as JSON, to FILE. */
  profileFile?: string;
  /** --sort: outputs written sorted. */
  sort?: boolean;
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
  const asked = parseJobs(opts.jobs ?? "1");
  if (asked === undefined) {
    io.stderr(`cairn: -j takes a number of threads from 1 to ${MAX_JOBS}, or "auto", got "${opts.jobs}"\n`);
    throw new Exit(EXIT.usage);
  }
  // More threads than cores only cost memory (each thread loads Cairn).
  const workers = Math.min(asked, availableCores());
  if (workers < asked)
    io.stderr(`cairn: ${style().note("note")}: -j ${asked} is more than the ${workers} cores available: running ${workers} threads\n`);
  const growthLimit = opts.growthLimit === undefined ? undefined : Number(opts.growthLimit);
  if (growthLimit !== undefined && !(Number.isInteger(growthLimit) && growthLimit > 0)) {
    io.stderr(`cairn: --growth-limit takes a positive whole number of updates, got "${opts.growthLimit}"\n`);
    throw new Exit(EXIT.usage);
  }
  const memoryMiB = opts.memoryLimit === undefined ? undefined : Number(opts.memoryLimit);
  if (memoryMiB !== undefined && !(Number.isInteger(memoryMiB) && memoryMiB > 0)) {
    io.stderr(`cairn: --memory-limit takes a positive whole number of MiB, got "${opts.memoryLimit}"\n`);
    throw new Exit(EXIT.usage);
  }
  const memoryLimit = memoryMiB === undefined ? undefined : memoryMiB * 2 ** 20;
  const cluster = clusterOptions(clusterHost, opts);
  if (cluster && workers > 1) {
    io.stderr("cairn: a cluster run does not take -j yet\n");
    throw new Exit(EXIT.usage);
  }
  if (opts.statsJson !== undefined && !cluster) {
    io.stderr("cairn: --stats-json describes a cluster run: add --cluster or --local-cluster\n");
    throw new Exit(EXIT.usage);
  }
  const { checked, sources, ast, source } = load(programPath, opts);
  const missing = missingFunctors(checked, functors, opts.functors);
  if (missing.length > 0) {
    report(missing, sources);
    summary(`cairn: ${missing.length} error${missing.length === 1 ? "" : "s"} in ${programPath}\n`);
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
  const profile = opts.profile || opts.profileFile !== undefined ? new RuleProfile() : undefined;
  const newRunner = () => new ProgramRunner(checked, { workers, profile, growthLimit, memoryLimit, functors });
  let runner = newRunner();
  if (opts.emit === "ast") {
    io.stdout(emitAst(ast));
    return;
  }
  const t1 = performance.now();
  /** A failure of the run itself: shown located where it can be (a rule, or the declaration of a relation that grew too much), exit 3. */
  const runtimeError = (e: EvaluationError | RangeError | WorkerError): never => {
    report([runtimeDiagnostic(e, checked, { memory: "--memory-limit sets the budget", growth: "--growth-limit sets the bound" })], sources);
    throw new Exit(EXIT.runtime);
  };
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
      report(e.diagnostics, e.sources ?? sources);
      throw new Exit(EXIT.programError);
    }
    if (e instanceof MemoryLimitError) runtimeError(e);
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
    if (e instanceof EvaluationError || e instanceof RangeError || e instanceof WorkerError) runtimeError(e);
    throw e;
  };
  if (opts.emit === "shards" || cluster) {
    const limits = clusterLimits(checked, { functors: opts.functors !== undefined });
    if (limits.length > 0) {
      report(limits, sources);
      summary(`cairn: ${limits.length} error${limits.length === 1 ? "" : "s"} in ${programPath}\n`);
      throw new Exit(EXIT.programError);
    }
  }
  if (opts.emit === "shards") {
    const nodes = cluster === undefined ? 2 : typeof cluster.nodes === "number" ? cluster.nodes : cluster.nodes.length;
    io.stdout(renderShards(checked, planShards(checked, runner, nodes)));
    return;
  }
  if (cluster) {
    const lost = (e: unknown): never => {
      if (e instanceof ClusterError || e instanceof DialError || (e instanceof Error && /local node/.test(e.message))) {
        progress.clear();
        io.stderr(`cairn: cluster run failed: ${e.message}\n`);
        throw new Exit(EXIT.runtime);
      }
      return failed(e);
    };
    const note = (s: string) => {
      progress.clear();
      io.stderr(`cairn: ${style().note("note")}: ${s}\n`);
    };
    // With a state file the nodes start from the given facts, and every relation comes back to be saved (distributed/cluster-state.ts).
    if (session) fromGivenFacts(runner);
    const collect = session ? [...checked.relations.keys()] : undefined;
    // The nodes load the functors module too: its text goes with the run (distributed/functor-module.ts).
    return runCluster(checked, source, runner, { ...cluster, note, functorsModule: opts.functors, collect }).then((stats) => {
      if (session) recordRun(runner);
      finish(t2, stats);
    }, lost);
  }
  // With worker threads the evaluation is asynchronous; the rest follows it.
  if (workers > 1) return runParallel(runner).then(() => finish(t2), failed);
  try {
    runner.run();
  } catch (e) {
    failed(e);
  }
  finish(t2);

  function finish(t2: number, clusterStats?: ClusterRunStats): void {
    progress.clear();
    // The plans and code a run ended with replace its outputs.
    if (opts.emit) {
      io.stdout(opts.emit === "plan" ? emitPlan(checked, runner, sources) : emitCode(runner));
      return;
    }
    const t3 = performance.now();
    try {
      writeOutputs(checked, runner, { outDir: opts.outputDir, writeStdout: io.stdout, sort: opts.sort });
    } catch (e) {
      outputError((e as Error).message);
      throw new Exit(EXIT.output);
    }
    const t4 = performance.now();
    try {
      session?.save();
    } catch (e) {
      outputError(`cannot write state file ${opts.state}: ${(e as Error).message}`);
      throw new Exit(EXIT.output);
    }
    const t5 = performance.now();
    if (clusterStats && opts.statsJson !== undefined) {
      try {
        writeClusterStats(opts.statsJson, clusterStats);
      } catch (e) {
        outputError(`cannot write ${opts.statsJson}: ${(e as Error).message}`);
        throw new Exit(EXIT.output);
      }
    }
    if (clusterStats && opts.stats) io.stderr(renderClusterStats(clusterStats));
    if (opts.provenance === "explain" || provenancePragma(ast) === "explain") {
      const db = new Database(checked, { functors, growthLimit, memoryLimit }, databaseSource(ast, sources));
      loadFacts(() => loadInputs(checked, db.runner, sources, { factDir: opts.factDir, limits }), sources);
      io.stdout(new SouffleExplain(db, io.stderr).run(explainCommands()));
    }
    if (profile && opts.profile) io.stderr(renderProfile(profile, checked, t3 - t2));
    if (profile && opts.profileFile !== undefined) {
      try {
        writeFileSync(opts.profileFile, profileJson(profile, checked, t3 - t2));
      } catch (e) {
        outputError(`cannot write profile ${opts.profileFile}: ${(e as Error).message}`);
        throw new Exit(EXIT.output);
      }
    }
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

/** `--format text|json`: how diagnostics are shown (see cli/diagnostics-json.ts). */
function diagnosticsFormat(): Option {
  return new Option(
    "--format <format>",
    "diagnostics as code frames for people, or as one JSON document for tools (schema cairn.diagnostics/1)",
  )
    .choices(["text", "json"])
    .default("text");
}

const COMMANDS = ["run", "check", "analyze", "graph", "types", "node", "kcfa", "help"];

/** Soufflé's habit, `cairn prog.dl -F facts -D out` (or options first): a command line without a command runs the program. */
function withCommand(argv: readonly string[]): string[] {
  const first = argv[0];
  if (first === undefined || COMMANDS.includes(first) || ["-h", "--help", "-V", "--version"].includes(first)) return [...argv];
  // A word that names no file (a mistyped command) is left to the "unknown command" message.
  return first.startsWith("-") || /[./\\]/.test(first) ? ["run", ...argv] : [...argv];
}

/** Runs the CLI on `argv` (without the node and script names); returns the exit code (a promise with `run -j N`). */
export function main(argv: string[], streams: CliIO = processIO): number | Promise<number> {
  io = streams;
  pending = undefined;
  const bounds = inputLimits();
  if (typeof bounds === "string") {
    io.stderr(`cairn: ${bounds}\n`);
    return EXIT.usage;
  }
  limits = bounds;
  json = undefined;
  const program = new Command("cairn")
    .description("Cairn: Datalog with lattices, in Soufflé's dialect (as with souffle, `cairn PROG.dl -F FACTS -D OUT` runs a program)")
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
        "shards",
      ]),
    )
    .option("-w, --no-warn", "do not show warnings")
    .option("--stats", "print timings and peak memory to stderr")
    .option("--profile", "print each rule's evaluation time, runs and new tuples to stderr, the most expensive first")
    .option(
      "-p, --profile-file <file>",
      "write the same profile to <file> as JSON (schema cairn.profile/1), as Soufflé's -p writes its profile",
    )
    .option("--sort", "write every output relation sorted by its values, column by column (for diffing; .output r(sort=true) sorts one)")
    .addOption(diagnosticsFormat())
    .option("--growth-limit <n>", "stop with an error once a lattice relation has taken n updates (default 50000000)")
    .option(
      "--memory-limit <MiB>",
      "stop with an error once the relations' rows and indexes and the symbols would take more than this (default: half the machine's memory)",
    )
    .option("--no-progress", "never show the progress line")
    .option(
      "-j, --jobs <n>",
      `evaluate with n worker threads, 1 to ${MAX_JOBS}, at most one per core ("auto": one per core); small rounds stay on one thread`,
    )
    .option("--functors <file>", "a JavaScript module whose exported functions implement the program's .functor declarations")
    .addOption(
      new Option("-t, --provenance <mode>", "after the run, read Soufflé's explain commands from standard input").choices(["explain"]),
    )
    .option(
      "--state <file>",
      "continue from the state an earlier run of this program saved in <file>, over facts that only grew, and save the new state there (created when absent)",
    )
    .option("--cluster <host:port,...>", "run across these nodes (`cairn node`); this process reads the facts and writes the outputs")
    .option("--local-cluster <n>", "start n nodes on loopback for this run (with a fresh token), run across them, stop them")
    .option("--token-file <file>", "the cluster's shared token (first line of the file)")
    .option("--tls-ca <file>", "dial the nodes over wss://, trusting these certificates (PEM)")
    .option("--heartbeat-ms <ms>", "a node that has not answered for this long is lost (default 10000)")
    .option("--stats-json <file>", "with a cluster: write the per-node statistics as JSON")
    .action((file: string, o: RunOptions & { includeDir?: string[]; macro?: string[] }) => {
      pending = run(file, { ...o, include: o.includeDir, define: o.macro }) ?? undefined;
    });
  program
    .command("check")
    .description("parse and check a program without running it")
    .argument("<program.dl>", "the program")
    .addOption(diagnosticsFormat())
    .option("-I, --include-dir <dir>", "folder searched by #include (repeatable)", collect)
    .option("-M, --macro <name=value>", "define a preprocessor macro (repeatable)", collect)
    .action((file: string, o: { includeDir?: string[]; macro?: string[] }) => {
      load(file, { include: o.includeDir, define: o.macro });
      summary(`${file}: ok\n`);
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
    report,
    summary,
  };
  addAnalyzeCommand(program, calm);
  addExplainCommand(program, {
    ...calm,
    load: (f, o) => load(f, o),
    loadInputs: (checked, runner, sources, factDir) => loadFacts(() => loadInputs(checked, runner, sources, { factDir, limits }), sources),
    stdin: explainCommands,
  });
  addGraphCommand(program, calm);
  addTypesCommand(program, calm);
  addNodeCommand(program, clusterHost);
  addPlaygroundCommand(program, clusterHost);
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
  // --format json (on check, run and analyze) collects the diagnostics of the command into one document.
  program.hook("preAction", (_, action) => {
    if (action.opts().format === "json" && ["run", "check", "analyze"].includes(action.name()))
      json = { command: action.name(), program: action.args[0], diagnostics: [] };
  });
  const done = (rc: number): number => {
    if (json) io.stderr(diagnosticsJson(json.command, json.program, json.diagnostics, rc));
    json = undefined;
    return rc;
  };
  try {
    program.parse(withCommand(argv), { from: "user" });
  } catch (e) {
    return done(code(e));
  }
  // Worker threads end with the run, so the process exits as soon as it is done.
  // The run action and `node` hand over their promise through closures, which narrowing does not see.
  const waiting = pending as Promise<void> | undefined;
  return waiting
    ? waiting
        .then(() => EXIT.ok, code)
        .finally(closeWorkers)
        .then(done)
    : done(EXIT.ok);
}
