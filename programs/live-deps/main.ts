// An application embedding Cairn through its typed API: a dependency graph
// kept live while facts arrive. It loads the packages' dependencies from
// facts/, then takes events (a new dependency, a package found broken), runs
// after each, and answers as it goes: a handler reports each package newly
// affected by a broken one, a threshold read waits for a dependency to
// appear, lookups find who needs a package through an index, and queries
// ask rule bodies. The relations are typed by live-deps.d.ts (`cairn types
// live-deps.dl`): a misspelt relation or a column of the wrong type does not
// compile. Run it with `npm run build && node dist/programs/live-deps/main.js`.

import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { compile } from "../../index.js";
import type { Schema } from "./live-deps.js";

/** The folder holding live-deps.dl and facts/: next to this module in the sources, or the package's programs/live-deps from dist/. */
function here(): string {
  const dir = dirname(fileURLToPath(import.meta.url));
  for (const d of [dir, resolve(dir, "../../../programs/live-deps")]) if (existsSync(join(d, "live-deps.dl"))) return d;
  throw new Error(`cannot find live-deps.dl near ${dir}`);
}

/** One thing that happens to the graph. */
export type DepsEvent =
  | { readonly kind: "depends"; readonly pkg: string; readonly dep: string }
  | { readonly kind: "broken"; readonly pkg: string };

/** Runs the application over the bundled facts and `events`, writing what it learns to `log`. */
export async function liveDeps(events: readonly DepsEvent[], log: (line: string) => void): Promise<void> {
  const dir = here();
  const program = compile<Schema>(readFileSync(join(dir, "live-deps.dl"), "utf8"), { file: "live-deps.dl" });
  const db = program.database();
  db.load(join(dir, "facts"));
  await db.run();
  log(`loaded: ${db.size("depends")} dependencies, app needs ${db.lookup("needs", ["app", undefined]).length} packages`);

  // Each package newly affected by a broken one, as runs find it.
  db.on("affected", ([pkg]) => log(`affected: ${pkg}`));
  // A threshold read: resolves once app needs left-pad, however that comes about.
  void db.when("needs", { pkg: "app", dep: "left-pad" }).then(() => log("app now needs left-pad"));

  for (const event of events) {
    if (event.kind === "depends") db.insert("depends", [{ pkg: event.pkg, dep: event.dep }]);
    else db.insert("broken", [[event.pkg]]);
    await db.run();
    await Promise.resolve(); // lets the threshold read's callback run before the answers below
    const who = db
      .lookup("needs", { dep: event.kind === "depends" ? event.dep : event.pkg })
      .map(([pkg]) => pkg)
      .sort();
    log(`${event.kind} ${event.kind === "depends" ? `${event.pkg} -> ${event.dep}` : event.pkg}: needed by ${who.join(", ") || "nobody"}`);
  }
  const healthy = db
    .query('needs("app", d), !affected(d)')
    .map((b) => String(b.d))
    .sort();
  log(`app's healthy dependencies: ${healthy.join(", ")}`);
  const most = db.rows("users").sort((a, b) => b.n - a.n || (a.dep < b.dep ? -1 : 1))[0];
  log(`most needed: ${most?.dep} (${most?.n} packages)`);
}

/** The events the command line replays. */
export const DEMO_EVENTS: readonly DepsEvent[] = [
  { kind: "depends", pkg: "parse", dep: "left-pad" },
  { kind: "depends", pkg: "log", dep: "color" },
  { kind: "broken", pkg: "left-pad" },
];

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await liveDeps(DEMO_EVENTS, (line) => console.log(line));
}
