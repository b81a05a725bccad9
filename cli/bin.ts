#!/usr/bin/env node
// The `cairn` executable: runs the command line and exits with its code.

import { main } from "./main.js";

const code = main(process.argv.slice(2));
if (typeof code === "number") process.exitCode = code;
else void code.then((c) => (process.exitCode = c));
