// The magic-set transformation's report as text, for `cairn run --emit plan`:
// which relations became adorned copies, and which were computed in full and why.

import type { MagicReport } from "../model.js";

const PATTERN = { b: "bound", f: "free" } as const;

export function describeMagic(report: MagicReport): string[] {
  const lines: string[] = [];
  const copies = new Map<string, string[]>();
  for (const [name, g] of report.generated) {
    if (g.kind !== "adorned") continue;
    const cols = [...g.adornment].map((c) => PATTERN[c as "b" | "f"]).join(", ");
    copies.set(g.relation, [...(copies.get(g.relation) ?? []), `${name} (${cols})`]);
  }
  if (copies.size === 0)
    lines.push("magic sets: no relation is read with bound columns that can be restricted; the program runs as written");
  for (const [relation, names] of copies) {
    const own = report.replaced.includes(relation)
      ? `; the rules of "${relation}" itself do not run`
      : `; "${relation}" is also computed in full`;
    lines.push(`magic sets: "${relation}" is computed as ${names.join(", ")}, each seeded by its @magic relation${own}`);
  }
  for (const [relation, why] of report.refused) lines.push(`magic sets: "${relation}" is computed in full: ${why}`);
  return lines;
}
