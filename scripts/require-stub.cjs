// What require("cairn-datalog") loads (the package's "require" export; copied
// to dist/require.cjs by copy-assets.mjs). Cairn is an ES module whose
// modules use top-level await, which require() cannot load on any Node
// version: this says what to do instead.
throw new Error(
  'cairn-datalog is an ES module and cannot be loaded with require(): use `import { compile } from "cairn-datalog"`, or from CommonJS `const { compile } = await import("cairn-datalog")`',
);
