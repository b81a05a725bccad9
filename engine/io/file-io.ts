// The file side of a run, as Soufflé does it: `.input` relations read from the
// facts folder (or stdin), `.output` relations written to the output folder
// (or stdout), `.printsize` counts. Outputs are written to temporary files and
// renamed only when every one of them is complete, so a failed run leaves no
// half-written output behind. A run that continues from a saved state reads
// only what was added to a facts file that grew at its end. Inputs are read
// within read-input.ts's bounds; a bad fact keeps only a piece of its line.

import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { CairnError, error, type Diagnostic } from "../../lang/diagnostics.js";
import type { CheckedProgram } from "../../lang/model.js";
import type { SourceMap, Span } from "../../lang/span.js";
import { readFacts, type ReadOptions } from "./facts-reader.js";
import { inputName, readOptions, unescapeDelimiter } from "./io-params.js";
import { removeStaleTemps, tempPath } from "./temp-files.js";
import { DEFAULT_LIMITS, InputFileError, type InputLimits, kindOf, MAX_TEXT_BYTES, readInput, tooLarge } from "./read-input.js";
import type { InputFiles } from "./input-files.js";
import { formatRows, stdoutBlock, writeRows } from "./facts-writer.js";
import { sortedRows } from "./sorted-rows.js";
import { discarded } from "../storage/memory.js";
import { MemoryLimitError } from "../storage/memory-budget.js";
import type { ProgramRunner } from "../eval/program-runner.js";
import type { Relation } from "../storage/relation.js";

export interface FileOptions {
  /** Folder of input facts (Soufflé's -F); default ".". */
  readonly factDir?: string;
  /** Folder of outputs (Soufflé's -D), or "-" for standard output; default ".". */
  readonly outDir?: string;
  /** Reads all of standard input, for IO=stdin (default: read-input.ts's reader, within `limits`). */
  readonly readStdin?: () => Buffer;
  /** The most bytes read from one input and from one field (default: the most Node holds). */
  readonly limits?: InputLimits;
  /** Where standard-output blocks and .printsize lines go. */
  readonly writeStdout?: (s: string) => void;
  /**
   * The relation the facts of each input relation are read into (default: the
   * runner's own; see engine/io/input-merge.ts); `onlyNew` when only the lines
   * added to its files since the last run are read.
   */
  readonly into?: (relation: string, onlyNew: boolean) => Relation;
  /** The input files earlier runs read: a file that only grew is read from where they stopped. */
  readonly files?: InputFiles;
  /** Write every output sorted (engine/io/sorted-rows.ts), as `.output r(sort=true)` asks for one. */
  readonly sort?: boolean;
}

interface InputSource {
  readonly file: string;
  readonly format: ReadOptions;
  /** The file's bytes, or standard input's. */
  readonly bytes: Buffer;
  /** How many leading bytes of the file an earlier run read (see engine/io/input-files.ts). */
  readonly known?: number;
}

/** Loads every `.input` relation; throws a CairnError with located diagnostics on bad input. */
export function loadInputs(program: CheckedProgram, runner: ProgramRunner, sources: SourceMap, opts: FileOptions): void {
  const factDir = opts.factDir ?? ".";
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const diagnostics: Diagnostic[] = [];
  for (const info of program.relations.values()) {
    const read: InputSource[] = [];
    for (const input of info.inputs) {
      const p = input.params;
      const format = readOptions(p, limits.fieldBytes);
      const rfc4180 = format.rfc4180;
      const stdin = (p.IO ?? "file") === "stdin";
      const name = inputName(info.name, p);
      const file = stdin ? "<stdin>" : isAbsolute(name) ? name : join(factDir, name);
      const what = stdin ? `standard input for relation "${info.name}"` : `fact file ${file} for relation "${info.name}"`;
      // The rfc4180 reader reads the decoded text, which must fit in one string.
      const most = rfc4180 ? Math.min(limits.fileBytes, MAX_TEXT_BYTES) : limits.fileBytes;
      let bytes: Buffer;
      try {
        bytes = stdin && opts.readStdin ? opts.readStdin() : readInput(stdin ? 0 : file, most);
        // Standard input read once for every run of a session, within the larger bound.
        if (bytes.length > most) throw tooLarge(most, bytes.length);
      } catch (e) {
        if (e instanceof InputFileError) diagnostics.push(error("bad-input", `${what} ${e.message}`, input.span));
        else diagnostics.push(error("missing-facts", `cannot open ${what}`, input.span));
        continue;
      }
      if (stdin) {
        read.push({ file, format, bytes });
        continue;
      }
      // A gzip-compressed facts file (as Soufflé reads them) is read uncompressed.
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
          bytes = gunzipSync(bytes);
        } catch (e) {
          diagnostics.push(
            error("bad-fact", `fact file ${file} of relation "${info.name}" is not valid gzip: ${(e as Error).message}`, input.span),
          );
          continue;
        }
      }
      read.push({ file, format, bytes, known: opts.files?.known(info.name, name, bytes) });
    }
    if (read.length === 0) continue;
    // When every file of the relation only grew since the last run, only the lines added are read.
    const onlyNew = opts.into !== undefined && opts.files !== undefined && read.every((s) => s.known !== undefined);
    const target = opts.into ? opts.into(info.name, onlyNew) : runner.relation(info.name);
    for (const s of read) {
      const from = onlyNew ? s.known! : 0;
      const format = from > 0 ? { ...s.format, headers: false } : s.format;
      try {
        diagnostics.push(...readFacts(target, { file: s.file, bytes: s.bytes, from }, format, runner.symbols, sources));
      } catch (e) {
        // A new symbol past the memory budget: the relation it was read for.
        if (e instanceof MemoryLimitError) throw e.of(info.name, target.size);
        throw e;
      }
      // The file's bytes are garbage from here on (engine/storage/memory.ts).
      discarded(s.bytes.length);
    }
  }
  if (diagnostics.length > 0) throw new CairnError(diagnostics, sources);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Where an `.output` writes a file. */
export interface OutputTarget {
  readonly relation: string;
  readonly path: string;
  /** The directive (or declaration) that asks for it. */
  readonly span: Span;
}

/** The file an `.output` of `relation` with parameters `params` writes under `outDir`. */
function outputPath(relation: string, params: Readonly<Record<string, string>>, outDir: string): string {
  const name = params.filename ?? `${relation}.csv`;
  return isAbsolute(name) ? name : join(outDir, name);
}

/** The files the `.output`s of `program` write under `outDir` (none with "-", standard output). */
export function outputTargets(program: CheckedProgram, outDir: string): OutputTarget[] {
  const targets: OutputTarget[] = [];
  if (outDir === "-") return targets;
  for (const info of program.relations.values()) {
    for (const out of info.outputs) {
      if (out.params.IO !== "stdout")
        targets.push({ relation: info.name, path: outputPath(info.name, out.params, outDir), span: out.span });
    }
  }
  return targets;
}

/** Where `span` is, for a message. */
const where = (span: Span) => `${span.file}:${span.start.line}:${span.start.col}`;

/**
 * Throws unless every target can be replaced: no two write one file (they
 * would share its temporary file), and none is there as a directory or other
 * non-file, found before anything is written rather than after some outputs were
 * replaced. Removes the temporary files killed runs left beside the targets.
 */
function checkTargets(targets: readonly OutputTarget[]): void {
  const seen = new Map<string, OutputTarget>();
  for (const t of targets) {
    const key = resolve(t.path);
    const first = seen.get(key);
    if (first) {
      throw new Error(
        `${where(t.span)}: relation "${t.relation}" is written to ${t.path}, as relation "${first.relation}" is (${where(first.span)}); nothing was written`,
      );
    }
    seen.set(key, t);
    const st = statSync(t.path, { throwIfNoEntry: false });
    if (st && !st.isFile())
      throw new Error(`cannot write ${t.path} for relation "${t.relation}": it is ${kindOf(st)}; nothing was written`);
    removeStaleTemps(t.path);
  }
}

/** Writes every `.output` relation and `.printsize` count. */
export function writeOutputs(program: CheckedProgram, runner: ProgramRunner, opts: FileOptions): void {
  const outDir = opts.outDir ?? ".";
  const stdout = opts.writeStdout ?? ((s: string) => process.stdout.write(s));
  const files: { path: string; tmp: string }[] = [];
  let printed = "";
  checkTargets(outputTargets(program, outDir));
  try {
    for (const info of program.relations.values()) {
      const rel = runner.relation(info.name);
      for (const out of info.outputs) {
        const p = out.params;
        const rfc4180 = p.rfc4180 === "true";
        const delimiter = unescapeDelimiter(p.delimiter, rfc4180);
        const names = info.columns.map((c) => c.name).join(delimiter) + "\n";
        const header = p.headers === "true" ? names : "";
        const order = opts.sort || p.sort === "true" ? sortedRows(rel, runner.symbols) : undefined;
        // As in Soufflé, -D - prints every output with its column names.
        if (outDir === "-" || p.IO === "stdout") {
          printed += stdoutBlock(info.name, outDir === "-" ? names : header, formatRows(rel, runner.symbols, delimiter, rfc4180, order));
          continue;
        }
        const path = outputPath(info.name, p, outDir);
        if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
        const tmp = tempPath(path);
        files.push({ path, tmp });
        const fd = openSync(tmp, "w");
        try {
          if (p.compress === "true") {
            // compress=true: the file is gzip-compressed, as Soufflé writes it (and reads it back).
            const parts: Buffer[] = [Buffer.from(header)];
            writeRows(rel, runner.symbols, (bytes) => parts.push(Buffer.from(bytes)), delimiter, rfc4180, order);
            writeAll(fd, gzipSync(Buffer.concat(parts)));
          } else {
            if (header) writeSync(fd, header);
            writeRows(rel, runner.symbols, (bytes) => writeAll(fd, bytes), delimiter, rfc4180, order);
          }
        } finally {
          closeSync(fd);
        }
      }
      if (info.printsize) printed += `${info.name}\t${rel.live}\n`;
    }
    for (const f of files) renameSync(f.tmp, f.path);
  } catch (e) {
    for (const f of files) rmSync(f.tmp, { force: true });
    throw e;
  }
  if (printed) stdout(printed);
}
