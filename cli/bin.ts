#!/usr/bin/env node
// The `cairn` executable: runs the command line and exits with its code.

import { main } from "./main.js";

/** What a shell reports for a process ended by SIGPIPE (128 + 13), as GNU tools and Soufflé are. */
const EXIT_PIPE = 141;

// A reader that stops early (`cairn run … -D - | head`) closes the pipe: stop quietly, like
// other Unix tools, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT_PIPE);
    throw e;
  });
}

const code = main(process.argv.slice(2));
if (typeof code === "number") process.exitCode = code;
else void code.then((c) => (process.exitCode = c));
