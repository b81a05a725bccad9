#!/usr/bin/env node
// The `cairn` executable: runs the command line and exits with its code.

import { EXIT, main } from "./main.js";

/** What a shell reports for a process ended by SIGPIPE (128 + 13), as GNU tools and Soufflé are. */
const EXIT_PIPE = 141;

// A reader that stops early (`cairn run … -D - | head`) closes the pipe: stop quietly, like
// other Unix tools, instead of dying on an unhandled EPIPE with a stack trace. Any other
// failure to write (a full disk) ends the run as outputs that could not be written do, in
// one line, unless main() has reported it already (a write to a file fails at once).
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT_PIPE);
    if (process.exitCode === EXIT.output) return;
    if (stream === process.stdout) process.stderr.write(`cairn: cannot write standard output: ${e.message}\n`);
    process.exit(EXIT.output);
  });
}

const code = main(process.argv.slice(2));
if (typeof code === "number") process.exitCode = code;
else void code.then((c) => (process.exitCode = c));
