// What an `.input` or `.output` directive's parameters say about the text of
// its facts: the delimiter (tab by default, comma under rfc4180=true, with \t
// and \n written as escapes), a header line, RFC 4180 quoting, and the file
// name. Shared by the facts folder (file-io.ts) and the playground's inputs.

import type { ReadOptions } from "./facts-reader.js";

type Params = Readonly<Record<string, string>>;

/** The delimiter a `delimiter=` parameter gives: tab by default, comma under rfc4180=true. */
export function unescapeDelimiter(d: string | undefined, rfc4180 = false): string {
  if (d === undefined || d === "") return rfc4180 ? "," : "\t";
  return d.replace(/\\t/g, "\t").replace(/\\n/g, "\n");
}

/** How an `.input` with `params` is read, a field being at most `maxFieldBytes` long. */
export function readOptions(params: Params, maxFieldBytes: number): ReadOptions {
  const rfc4180 = params.rfc4180 === "true";
  return { delimiter: unescapeDelimiter(params.delimiter, rfc4180), headers: params.headers === "true", rfc4180, maxFieldBytes };
}

/** The file an `.input` of `relation` with `params` reads (relative to the facts folder unless absolute). */
export function inputName(relation: string, params: Params): string {
  return params.filename ?? `${relation}.facts`;
}
