// The entry of a local cluster's node processes when Cairn runs from its
// TypeScript sources (the tests): registers the loader that compiles .ts files
// on the fly, then runs the command line. Built code starts dist/cairn.mjs.

import { register } from "node:module";

register("../engine/parallel/dev-hooks.mjs", import.meta.url);
await import("../cli/bin.ts");
