// `cairn run --profile`: one line per rule that ran, the most expensive first,
// with how often its versions ran and the rows it added (hand-counted here for
// the reachability example), the rule as checked and where it was written.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliSync, scratchDir } from "./cli-helpers.js";

const dir = "programs/reachability";

describe("cairn run --profile", () => {
  it("lists every rule that ran with its runs and added rows", () => {
    const out = scratchDir("cairn-profile-");
    const r = cliSync("run", join(dir, "reachability.dl"), "-F", join(dir, "facts"), "-D", out, "--profile");
    expect(r.code).toBe(0);
    const lines = r.err.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^profile: 6 rules ran, \d+ ms in rules of \d+ ms evaluating \(rounds run on worker threads are not counted per rule\)$/,
    );
    expect(lines[1]!.trim().split(/\s+/)).toEqual(["ms", "share", "runs", "added", "rule"]);
    const rows = lines.slice(2).map((l) => {
      const m = /^\s*([\d.]+)\s+([\d.]+%)\s+(\d+)\s+(\d+)\s+(.*?)\s+(\S+:\d+)$/.exec(l);
      expect(m, l).not.toBeNull();
      return { ms: Number(m![1]), runs: Number(m![3]), added: Number(m![4]), rule: m![5], at: m![6] };
    });
    // The most expensive first.
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.ms).toBeGreaterThanOrEqual(rows[i]!.ms);
    const by = Object.fromEntries(rows.map((x) => [x.at, [x.rule, x.runs, x.added]]));
    expect(by).toEqual({
      [`${dir}/reachability.dl:10`]: ["airport(a) :- flight(a, _).", 1, 6],
      [`${dir}/reachability.dl:11`]: ["airport(a) :- flight(_, a).", 1, 0],
      [`${dir}/reachability.dl:15`]: ["reachable(x, y) :- flight(x, y).", 1, 6],
      // Five rounds; 18 pairs are reachable, 6 of them by one flight.
      [`${dir}/reachability.dl:16`]: ["reachable(x, z) :- reachable(x, y), flight(y, z).", 5, 12],
      [`${dir}/reachability.dl:21`]: ["unreachable(x, y) :- airport(x), airport(y), x != y, !reachable(x, y).", 1, 14],
      [`${dir}/reachability.dl:26`]: ["destinations(a, n) :- airport(a), n = count : { reachable(a, _) }.", 1, 6],
    });
  });

  it("prints nothing of the kind without the option", () => {
    const out = scratchDir("cairn-profile-");
    const r = cliSync("run", join(dir, "reachability.dl"), "-F", join(dir, "facts"), "-D", out);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
  });
});
