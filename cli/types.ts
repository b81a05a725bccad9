// `cairn types PROG.dl [-o FILE.d.ts]`: writes the TypeScript declaration of
// the program's relations (lang/dts.ts) for compile<Schema>(): by default
// beside the program, PROG.d.ts; `-o -` prints it.

import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { programDeclarations } from "../lang/dts.js";
import { type CalmCli, type FrontFlags, frontOptions } from "./analyze.js";

/** Where `cairn types` writes by default: the program's path with .dl replaced by .d.ts. */
export function declarationPath(program: string): string {
  return `${program.replace(/\.dl$/, "")}.d.ts`;
}

export function addTypesCommand(program: Command, cli: CalmCli): void {
  frontOptions(
    program
      .command("types")
      .description("write the TypeScript types of the program's relations, for compile<Schema>()")
      .argument("<program.dl>", "the program")
      .option("-o, --output <file>", "the declaration file to write, or - for standard output (default: PROG.d.ts beside the program)"),
  ).action((file: string, o: FrontFlags & { output?: string }) => {
    const { checked } = cli.load(file, { include: o.includeDir, define: o.macro, warn: o.warn });
    const text = programDeclarations(checked, file);
    const out = o.output ?? declarationPath(file);
    if (out === "-") {
      cli.io().stdout(text);
      return;
    }
    try {
      writeFileSync(out, text);
    } catch (e) {
      cli.io().stderr(`error[output]: cannot write ${out}: ${(e as Error).message}\n`);
      cli.exit(4);
    }
    cli.io().stderr(`${file}: wrote ${out}\n`);
  });
}
