// Where a run spends its time, rule by rule: each rule version run on the
// calling thread adds its time, and the rows it added to its head relation
// (new tuples, or grown lattice values), to its rule's line and to the line
// of the version under it. `cairn run
// --profile` prints the result; the API's runner takes a RuleProfile as its
// `profile` option. Rounds run on worker threads (-j N) are not attributed to
// rules; their time is the run's, not any line's.

/** The time, runs and rows of one rule or one of its versions. */
export interface Cost {
  /** Milliseconds spent running. */
  ms: number;
  /** How many times it ran (each round, each version). */
  runs: number;
  /** Rows added to the head relation: new tuples, or grown lattice values. */
  added: number;
}

export interface RuleCost extends Cost {
  /** Index of the rule in CheckedProgram.rules. */
  readonly rule: number;
  /** The same, by version ("base", "delta 0", …), in the order they first ran. */
  readonly versions: Map<string, Cost>;
}

export class RuleProfile {
  private readonly costs = new Map<number, RuleCost>();

  record(rule: number, version: string, ms: number, added: number): void {
    let c = this.costs.get(rule);
    if (!c) this.costs.set(rule, (c = { rule, ms: 0, runs: 0, added: 0, versions: new Map() }));
    let v = c.versions.get(version);
    if (!v) c.versions.set(version, (v = { ms: 0, runs: 0, added: 0 }));
    for (const x of [c, v]) {
      x.ms += ms;
      x.runs++;
      x.added += added;
    }
  }

  /** Every rule that ran, the most expensive first. */
  rules(): RuleCost[] {
    return [...this.costs.values()].sort((a, b) => b.ms - a.ms || a.rule - b.rule);
  }
}
