// `.input`, `.output`, `.printsize`, `.limitsize` and the old-style decl
// qualifiers input/output/printsize: checked parameters, collected per relation.

import type { Directive } from "../ast.js";
import { error, warning, type Diagnostic } from "../diagnostics.js";
import type { IOSpec } from "../model.js";
import type { Span } from "../span.js";
import { type Relations, undeclared } from "./declarations.js";
import { closest } from "./util.js";
import { normalize } from "../posix-path.js";

export interface RelationIO {
  readonly inputs: IOSpec[];
  readonly outputs: IOSpec[];
  printsize: boolean;
  /** Where printsize was first asked for (a directive, or the declaration's qualifier). */
  printsizeAt?: Span;
  /** `.limitsize r(n=N)`: the stratum of r stops its rounds once r holds N tuples. */
  limitsize?: number;
}

const SUPPORTED_IO = ["file", "stdin", "stdout"];
/** IO systems Soufflé has that Cairn does not. */
const OTHER_IO = ["sqlite", "json", "jsonfile", "stdoutprintsize", "gzip"];
const KNOWN_PARAMS = [
  "IO",
  "filename",
  "delimiter",
  "headers",
  "rfc4180",
  "columns",
  "name",
  "attributeNames",
  "fact-dir",
  "output-dir",
  "no-warn",
  "compress",
  "sort",
  "dbname",
  "params",
];
const BOOLEAN_PARAMS = ["headers", "rfc4180", "no-warn", "compress", "sort"];

function checkParams(d: Directive, diagnostics: Diagnostic[]): boolean {
  let ok = true;
  const bad = (message: string, code = "bad-directive"): void => {
    diagnostics.push(error(code, message, d.span));
    ok = false;
  };
  const io = d.params["IO"];
  if (io !== undefined) {
    if (OTHER_IO.includes(io)) bad(`IO=${io} is not supported; Cairn reads and writes IO=file, IO=stdin and IO=stdout`, "unsupported");
    else if (!SUPPORTED_IO.includes(io)) bad(`unknown IO type "${io}" (expected file, stdin or stdout)`);
    else if (d.directive === "input" && io === "stdout") bad(`an input cannot be read from IO=stdout`);
    else if (d.directive === "output" && io === "stdin") bad(`an output cannot be written to IO=stdin`);
  }
  for (const [key, value] of Object.entries(d.params)) {
    if (BOOLEAN_PARAMS.includes(key) && value !== "true" && value !== "false") {
      bad(`parameter ${key} must be true or false, not "${value}"`);
    } else if (key === "delimiter" && value.length === 0) {
      bad(`parameter delimiter must not be empty`);
    } else if (key === "dbname") {
      bad(`parameter ${key} is not supported`, "unsupported");
    } else if (!KNOWN_PARAMS.includes(key)) {
      const best = closest(key, KNOWN_PARAMS);
      diagnostics.push(
        warning(
          "unknown-io-param",
          `unknown IO parameter "${key}" is ignored`,
          d.span,
          best ? [{ message: `did you mean "${best}"?` }] : [],
        ),
      );
    }
  }
  return ok;
}

/**
 * The files `.output`s write (by the name given, in the output folder):
 * two that write one file would share its temporary file, and one would win.
 */
class OutputFiles {
  private readonly first = new Map<string, { relation: string; span: Span }>();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  add(relation: string, params: Readonly<Record<string, string>>, span: Span): void {
    if (params["IO"] === "stdout") return;
    const file = normalize(params["filename"] ?? `${relation}.csv`);
    const first = this.first.get(file);
    if (!first) {
      this.first.set(file, { relation, span });
      return;
    }
    const message =
      first.relation === relation
        ? `relation "${relation}" is already written to "${file}"`
        : `relation "${relation}" is written to "${file}", as relation "${first.relation}" is`;
    this.diagnostics.push(error("duplicate-output", message, span, [{ message: "written there first", span: first.span }]));
  }
}

/** Collects the IO of every declared relation; reports bad directives. */
export function collectIO(directives: readonly Directive[], relations: Relations, diagnostics: Diagnostic[]): Map<string, RelationIO> {
  const io = new Map<string, RelationIO>();
  const files = new OutputFiles(diagnostics);
  for (const r of relations.byName.values()) {
    const entry: RelationIO = { inputs: [], outputs: [], printsize: false };
    const q = r.decl.qualifiers;
    if (q.includes("input")) entry.inputs.push({ params: {}, span: r.decl.span });
    if (q.includes("output")) {
      entry.outputs.push({ params: {}, span: r.decl.span });
      files.add(r.name, {}, r.decl.span);
    }
    if (q.includes("printsize")) {
      entry.printsize = true;
      entry.printsizeAt = r.decl.nameSpan;
    }
    io.set(r.name, entry);
  }
  for (const d of directives) {
    const entry = io.get(d.relation);
    if (!entry) {
      diagnostics.push(undeclared(d.relation, d.relationSpan, relations));
      continue;
    }
    switch (d.directive) {
      case "input":
      case "output":
        if (checkParams(d, diagnostics)) {
          (d.directive === "input" ? entry.inputs : entry.outputs).push({ params: { ...d.params }, span: d.span });
          if (d.directive === "output") files.add(d.relation, d.params, d.span);
        }
        break;
      case "printsize":
        if (entry.printsizeAt) {
          diagnostics.push(
            error("duplicate-directive", `printsize is already requested for relation "${d.relation}"`, d.relationSpan, [
              { message: `first requested here`, span: entry.printsizeAt },
            ]),
          );
        }
        entry.printsize = true;
        entry.printsizeAt ??= d.relationSpan;
        break;
      case "limitsize": {
        const n = Number(d.params["n"]);
        const others = Object.keys(d.params).filter((k) => k !== "n");
        if (!(Number.isInteger(n) && n > 0) || others.length > 0) {
          diagnostics.push(
            error(
              "bad-directive",
              `.limitsize takes one parameter, n, a positive whole number of tuples: .limitsize ${d.relation}(n=100)`,
              d.span,
            ),
          );
        } else entry.limitsize = Math.min(n, entry.limitsize ?? n);
        break;
      }
    }
  }
  return io;
}
