// What earlier runs read of each input file: its length and a SHA-256 of its
// bytes. A later run that finds the same first bytes, ending with a line
// break, knows every fact read before is still there and parses only the lines
// after them: a facts file that grew at its end costs a hash of its old part
// rather than a parse of it. Files are known by relation and by the name the
// program gives them (not the facts folder's path): only their bytes matter.

import { createHash } from "node:crypto";

export interface FileRecord {
  readonly relation: string;
  readonly path: string;
  readonly length: number;
  readonly sha256: string;
}

export class InputFiles {
  private readonly previous = new Map<string, FileRecord>();
  /** What this run read, for the next one. */
  readonly current: FileRecord[] = [];

  constructor(previous: readonly FileRecord[] = []) {
    for (const r of previous) this.previous.set(key(r.relation, r.path), r);
  }

  /**
   * How many leading bytes of `bytes`, the contents of the file `path` (as
   * the program names it) read for `relation`, an earlier run already read: the length it had then when those
   * bytes are unchanged (and end a line, unless nothing was added), undefined
   * when the file is new or changed. Records the file as it is now.
   */
  known(relation: string, path: string, bytes: Uint8Array): number | undefined {
    const prev = this.previous.get(key(relation, path));
    const hash = createHash("sha256");
    let known: number | undefined;
    if (prev && prev.length <= bytes.length && (prev.length === bytes.length || prev.length === 0 || bytes[prev.length - 1] === 10)) {
      hash.update(bytes.subarray(0, prev.length));
      if (hash.copy().digest("hex") === prev.sha256) known = prev.length;
      hash.update(bytes.subarray(prev.length));
    } else {
      hash.update(bytes);
    }
    this.current.push({ relation, path, length: bytes.length, sha256: hash.digest("hex") });
    return known;
  }
}

const key = (relation: string, path: string) => `${relation}\u0000${path}`;
