// The worker entry when Cairn runs from its TypeScript sources (the tests):
// registers a loader that compiles .ts files on the fly, then loads worker.ts.
// Built code (dist/) loads worker.js directly and never uses this file.

import { register } from "node:module";

register("./dev-hooks.mjs", import.meta.url);
const { default: task } = await import("./worker.ts");
export default task;
