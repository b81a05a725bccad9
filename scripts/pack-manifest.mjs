// `npm pack` and `npm publish` (prepack, postpack): the package a user
// installs carries no `prepare` script (it builds dist/ in a clone, where the
// sources are; an installed package has dist/ already, and npm would flag the
// script as one to approve). `strip` saves package.json beside itself and
// removes the script; `restore` puts the saved file back.

import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = `${root}package.json`;
const saved = `${root}package.json.packing`;

if (process.argv[2] === "strip") {
  const text = readFileSync(manifest, "utf8");
  writeFileSync(saved, text);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  delete pkg.scripts.prepack;
  delete pkg.scripts.postpack;
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (process.argv[2] === "restore") {
  if (existsSync(saved)) renameSync(saved, manifest);
} else {
  console.error("usage: node scripts/pack-manifest.mjs strip|restore");
  process.exit(2);
}
