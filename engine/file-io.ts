// The file side of a run, as Soufflé does it: `.input` relations read from the
// facts folder (or stdin), `.output` relations written to the output folder
// (or stdout), `.printsize` counts. Outputs are written to temporary files and
// renamed only when every one of them is complete, so a failed run leaves no
// half-written output behind.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { CairnError, error, type Diagnostic } from "../lang/diagnostics.js";
import type { CheckedProgram } from "../lang/model.js";
import type { SourceMap } from "../lang/span.js";
import { readFacts } from "./facts-reader.js";
import { formatRows, stdoutBlock, writeRows } from "./facts-writer.js";
import type { ProgramRunner } from "./program-runner.js";

export interface FileOptions {
  /** Folder of input facts (Soufflé's -F); default ".". */
  readonly factDir?: string;
  /** Folder of outputs (Soufflé's -D), or "-" for standard output; default ".". */
  readonly outDir?: string;
  /** Reads all of standard input, for IO=stdin. */
  readonly readStdin?: () => string;
  /** Where standard-output blocks and .printsize lines go. */
  readonly writeStdout?: (s: string) => void;
}

function unescapeDelimiter(d: string | undefined): string {
  if (d === undefined || d === "") return "\t";
  return d.replace(/\\t/g, "\t").replace(/\\n/g, "\n");
}

/** Loads every `.input` relation; throws a CairnError with located diagnostics on bad input. */
export function loadInputs(program: CheckedProgram, runner: ProgramRunner, sources: SourceMap, opts: FileOptions): void {
  const factDir = opts.factDir ?? ".";
  const diagnostics: Diagnostic[] = [];
  for (const info of program.relations.values()) {
    for (const input of info.inputs) {
      const p = input.params;
      const io = p.IO ?? "file";
      let file: string;
      let text: string;
      if (io === "stdin") {
        file = "<stdin>";
        text = opts.readStdin ? opts.readStdin() : readFileSync(0, "utf8");
      } else {
        const name = p.filename ?? `${info.name}.facts`;
        file = isAbsolute(name) ? name : join(factDir, name);
        try {
          text = readFileSync(file, "utf8");
        } catch {
          diagnostics.push(error("missing-facts", `cannot open fact file ${file} for relation "${info.name}"`, input.span));
          continue;
        }
      }
      const found = readFacts(runner.relation(info.name), { file, text }, { delimiter: unescapeDelimiter(p.delimiter), headers: p.headers === "true" }, runner.symbols);
      if (found.length > 0) {
        sources.add(file, text);
        diagnostics.push(...found);
      }
    }
  }
  if (diagnostics.length > 0) throw new CairnError(diagnostics, sources);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Writes every `.output` relation and `.printsize` count. */
export function writeOutputs(program: CheckedProgram, runner: ProgramRunner, opts: FileOptions): void {
  const outDir = opts.outDir ?? ".";
  const stdout = opts.writeStdout ?? ((s: string) => process.stdout.write(s));
  const files: { path: string; tmp: string }[] = [];
  let printed = "";
  try {
    for (const info of program.relations.values()) {
      const rel = runner.relation(info.name);
      for (const out of info.outputs) {
        const p = out.params;
        const delimiter = unescapeDelimiter(p.delimiter);
        const header = p.headers === "true" ? info.columns.map((c) => c.name).join(delimiter) + "\n" : "";
        if (outDir === "-" || p.IO === "stdout") {
          printed += stdoutBlock(info.name, header + formatRows(rel, runner.symbols, delimiter));
          continue;
        }
        const name = p.filename ?? `${info.name}.csv`;
        const path = isAbsolute(name) ? name : join(outDir, name);
        if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
        const tmp = `${path}.cairn-${process.pid}.tmp`;
        files.push({ path, tmp });
        const fd = openSync(tmp, "w");
        try {
          if (header) writeSync(fd, header);
          writeRows(rel, runner.symbols, (bytes) => writeAll(fd, bytes), delimiter);
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
