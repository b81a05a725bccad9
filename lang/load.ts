// loadProgram(): an entry file and everything it includes, preprocessed and
// parsed file by file (so spans point into the file they came from), merged
// into one Program with the included items where the include stood.

import type { Item, Program } from "./ast.js";
import { error, type Diagnostic } from "./diagnostics.js";
import { parse } from "./parse/parse.js";
import { dirname, join, normalize } from "./posix-path.js";
import { preprocess, type IncludeRequest } from "./preprocess/preprocess.js";
import { parseDefine, type MacroTable } from "./preprocess/macros.js";
import { mapSpans, spanMapper } from "./preprocess/map.js";
import { SourceMap } from "./span.js";

export interface LoadOptions {
  /** Directories searched for includes after the including file's own directory. */
  readonly includeDirs?: readonly string[];
  /** Predefined macros, as with `-D`: `{ N: "10" }`, or `{ "F(x)": "x + 1" }`. */
  readonly defines?: Readonly<Record<string, string>>;
}

/**
 * What reading a file gives: its text; undefined where there is no such file;
 * or why it cannot be read (`unreadable` completes "the file …": "is not a
 * regular file (it is a character device)").
 */
export type SourceRead = string | undefined | { readonly unreadable: string };

export interface LoadResult {
  readonly program: Program;
  readonly sources: SourceMap;
  readonly diagnostics: Diagnostic[];
}

export function loadProgram(entry: string, readFile: (path: string) => SourceRead, options: LoadOptions = {}): LoadResult {
  const sources = new SourceMap();
  const diagnostics: Diagnostic[] = [];
  const macros: MacroTable = new Map();
  // As Soufflé predefines it: the width of a cell in bits (Cairn's cells are 32-bit).
  macros.set("RAM_DOMAIN_SIZE", parseDefine("RAM_DOMAIN_SIZE 32")!.macro);
  for (const [key, value] of Object.entries(options.defines ?? {})) {
    const def = parseDefine(`${key} ${value}`);
    if (def) macros.set(def.name, def.macro);
    else diagnostics.push(error("preprocessor", `malformed macro definition \`${key}\``));
  }
  const includeDirs = options.includeDirs ?? [];
  const active: string[] = [];
  const once = new Set<string>();

  /** The first candidate for `req` that exists: its text, or why it cannot be read. */
  const resolve = (req: IncludeRequest, from: string): { path: string; text: string } | { unreadable: string } | undefined => {
    const candidates = req.target.startsWith("/")
      ? [normalize(req.target)]
      : [join(dirname(from), req.target), ...includeDirs.map((d) => join(d, req.target))];
    for (const path of candidates) {
      const text = readFile(path);
      if (typeof text === "string") return { path, text };
      if (text !== undefined) return text;
    }
    return undefined;
  };

  const loadFile = (path: string, text: string): Item[] => {
    sources.add(path, text);
    active.push(path);
    const included: { offset: number; items: Item[] }[] = [];
    const pp = preprocess(text, path, {
      macros,
      diagnostics,
      pragmaOnce: () => once.add(path),
      include(req) {
        const found = resolve(req, path);
        if (!found) {
          diagnostics.push(error("include-not-found", `cannot find include file "${req.target}"`, req.span));
          return;
        }
        if ("unreadable" in found) {
          diagnostics.push(error("include-unreadable", `cannot include "${req.target}": it ${found.unreadable}`, req.span));
          return;
        }
        if (once.has(found.path)) return;
        if (active.includes(found.path)) {
          diagnostics.push(error("include-cycle", `"${req.target}" includes itself (include cycle)`, req.span));
          return;
        }
        included.push({ offset: req.outOffset, items: loadFile(found.path, found.text) });
      },
    });
    const parsed = parse(pp.text, path);
    const items = parsed.program.items;
    let parseDiagnostics = parsed.diagnostics;
    // Order this file's items and the included ones by offset in the preprocessed text.
    const merged: Item[] = [];
    let next = 0;
    const remap = pp.expansions.length > 0 ? spanMapper(path, text, pp.expansions) : undefined;
    for (const inc of included) {
      while (next < items.length && items[next]!.span.start.offset < inc.offset) merged.push(remapOne(items[next++]!));
      merged.push(...inc.items);
    }
    while (next < items.length) merged.push(remapOne(items[next++]!));
    function remapOne(item: Item): Item {
      return remap ? mapSpans(item, remap) : item;
    }
    if (remap) parseDiagnostics = mapSpans(parseDiagnostics, remap);
    diagnostics.push(...parseDiagnostics);
    active.pop();
    return merged;
  };

  const text = readFile(entry);
  if (typeof text !== "string") {
    const why = text === undefined ? "" : `: it ${text.unreadable}`;
    diagnostics.push(error(text === undefined ? "include-not-found" : "include-unreadable", `cannot read file "${entry}"${why}`));
    return { program: { items: [] }, sources, diagnostics };
  }
  return { program: { items: loadFile(entry, text) }, sources, diagnostics };
}
