// The table `cairn run --profile` prints on standard error: each rule's time,
// how often its versions ran and what it added, the most expensive first,
// with the rule as the checked program holds it and where it was written;
// under a rule with several versions, the same for each version.

import { printRule } from "../lang/calm/print.js";
import type { CheckedProgram } from "../lang/model.js";
import type { RuleProfile } from "../engine/eval/profile.js";

/** Rules listed; the rest are summed up in one line. */
const SHOWN = 20;
/** Rule text longer than this is cut. */
const WIDTH = 72;

export function renderProfile(profile: RuleProfile, program: CheckedProgram, evaluateMs: number): string {
  const rules = profile.rules();
  const total = rules.reduce((n, r) => n + r.ms, 0);
  const num = (n: number) => n.toLocaleString("en-US");
  const lines = [
    `profile: ${rules.length} rule${rules.length === 1 ? "" : "s"} ran, ${num(Math.round(total))} ms in rules of ${num(Math.round(evaluateMs))} ms evaluating (rounds run on worker threads are not counted per rule)`,
    `${"ms".padStart(10)} ${"share".padStart(6)} ${"runs".padStart(7)} ${"added".padStart(11)}  rule`,
  ];
  for (const r of rules.slice(0, SHOWN)) {
    const rule = program.rules[r.rule]!;
    let text = printRule(rule);
    if (text.length > WIDTH) text = `${text.slice(0, WIDTH - 1)}…`;
    const share = total > 0 ? `${((100 * r.ms) / total).toFixed(1)}%` : "-";
    lines.push(
      `${r.ms.toFixed(1).padStart(10)} ${share.padStart(6)} ${num(r.runs).padStart(7)} ${num(r.added).padStart(11)}  ${text}  ${rule.span.file}:${rule.span.start.line}`,
    );
    // A recursive rule's versions, each reading the delta of another atom, can cost very differently.
    if (r.versions.size > 1) {
      for (const [version, v] of r.versions) {
        lines.push(
          `${v.ms.toFixed(1).padStart(10)} ${"".padStart(6)} ${num(v.runs).padStart(7)} ${num(v.added).padStart(11)}    ${version}`,
        );
      }
    }
  }
  const rest = rules.slice(SHOWN);
  if (rest.length > 0)
    lines.push(
      `${rest
        .reduce((n, r) => n + r.ms, 0)
        .toFixed(1)
        .padStart(10)} ${"".padStart(6)} ${"".padStart(7)} ${"".padStart(11)}  (${rest.length} more rules)`,
    );
  return lines.join("\n") + "\n";
}

/**
 * The profile `cairn run -p FILE` writes (schema cairn.profile/1): every rule
 * that ran, the most expensive first, with its time, runs and tuples added,
 * and the same per version.
 */
export function profileJson(profile: RuleProfile, program: CheckedProgram, evaluateMs: number): string {
  const rules = profile.rules().map((r) => {
    const rule = program.rules[r.rule]!;
    return {
      rule: printRule(rule),
      file: rule.span.file,
      line: rule.span.start.line,
      ms: r.ms,
      runs: r.runs,
      added: r.added,
      versions: [...r.versions].map(([version, v]) => ({ version, ms: v.ms, runs: v.runs, added: v.added })),
    };
  });
  return `${JSON.stringify({ schema: "cairn.profile/1", evaluateMs, rules }, null, 2)}\n`;
}
