// Where a run spends its time, rule by rule: each rule version run on the
// calling thread adds its time, and the rows it added to its head relation
// (new tuples, or grown lattice values), to its rule's line. `cairn run
// --profile` prints the result; the API's runner takes a RuleProfile as its
// `profile` option. Rounds run on worker threads (-j N) are not attributed to
// rules; their time is the run's, not any line's.

export interface RuleCost {
  /** Index of the rule in CheckedProgram.rules. */
  readonly rule: number;
  /** Milliseconds spent running the rule's versions. */
  ms: number;
  /** How many times one of its versions ran (each round, each version). */
  runs: number;
  /** Rows it added to its head relation: new tuples, or grown lattice values. */
  added: number;
}

export class RuleProfile {
  private readonly costs = new Map<number, RuleCost>();

  record(rule: number, ms: number, added: number): void {
    let c = this.costs.get(rule);
    if (!c) this.costs.set(rule, (c = { rule, ms: 0, runs: 0, added: 0 }));
    c.ms += ms;
    c.runs++;
    c.added += added;
  }

  /** Every rule that ran, the most expensive first. */
  rules(): RuleCost[] {
    return [...this.costs.values()].sort((a, b) => b.ms - a.ms || a.rule - b.rule);
  }
}
