// Post-build step (`npm run build`): re-embeds the grammar and keeps dist/ in
// step with it, and puts the package's require() entry in dist/. Safe to run
// any time; does nothing when everything is current.

import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { embedGrammar, generatedPath } from "./embed-grammar.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

const changed = embedGrammar();
// The generated module is plain JavaScript too, so a stale compiled copy can be
// refreshed without running tsc again.
const distCopy = `${root}dist/lang/parse/grammar.generated.js`;
if (changed) {
  console.log("copy-assets: lang/parse/grammar.generated.ts was stale and has been rewritten");
  if (existsSync(`${root}dist/lang/parse`)) writeFileSync(distCopy, readFileSync(generatedPath, "utf8"));
}
// require("cairn-datalog") (see scripts/require-stub.cjs).
if (existsSync(`${root}dist`)) copyFileSync(`${root}scripts/require-stub.cjs`, `${root}dist/require.cjs`);
