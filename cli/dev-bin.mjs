// The command line run from its TypeScript sources (the tests, and a local
// cluster's node processes started from them): registers the loader that
// compiles .ts files on the fly, then runs bin.ts. Built code starts
// dist/cairn.mjs instead.
//
//   node cli/dev-bin.mjs run PROG.dl ...

import { register } from "node:module";

register("../engine/parallel/dev-hooks.mjs", import.meta.url);
await import("./bin.ts");
