// The temporary file a write goes to beside its target (the output files, the
// state file) before it is renamed over it, named after the process writing
// it; and the removal of those that runs killed before they could remove
// their own left behind: a process that no longer exists wrote them.

import { readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const SUFFIX = /^\.cairn-(\d+)\.tmp$/;

/** Where this process writes `path` before renaming it into place. */
export function tempPath(path: string): string {
  return `${path}.cairn-${process.pid}.tmp`;
}

/** Whether a process with id `pid` exists (one of another user's counts). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the temporary files of `path` whose writer no longer exists. */
export function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(name)) continue;
    const m = SUFFIX.exec(entry.slice(name.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !alive(pid)) rmSync(join(dir, entry), { force: true });
  }
}
