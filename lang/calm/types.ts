// The CALM analysis as data: the class of every rule and relation with its
// reasons, the freeze points, the strata and the boundaries that need a barrier.
// Plain JSON-able objects; `cairn analyze --format json` prints exactly this.

import type { Diagnostic } from "../diagnostics.js";
import type { Span } from "../span.js";

/** From the strongest guarantee to the weakest. */
export type CalmClass = "monotone" | "threshold" | "lattice-monotone" | "non-monotone";

export const CLASS_ORDER: readonly CalmClass[] = ["monotone", "threshold", "lattice-monotone", "non-monotone"];

/** The weaker of two classes (the one later in CLASS_ORDER). */
export function weaker(a: CalmClass, b: CalmClass): CalmClass {
  return CLASS_ORDER.indexOf(a) >= CLASS_ORDER.indexOf(b) ? a : b;
}

export function rank(c: CalmClass): number {
  return CLASS_ORDER.indexOf(c);
}

export interface Reason {
  readonly message: string;
  readonly span?: Span;
}

/** Why a relation must be complete (frozen) before a rule may read it. */
export type FreezeKind = "negation" | "aggregate" | "exact-read" | "functor";

export interface FreezePoint {
  /** The relation that must be frozen. */
  readonly relation: string;
  /** The id of the rule that reads it non-monotonically. */
  readonly rule: number;
  readonly kind: FreezeKind;
  readonly reason: string;
  /** Where the rule reads the relation. */
  readonly span: Span;
  /** Where the value is used in a way that needs it exact, when that is elsewhere than `span`. */
  readonly use?: Span;
  /** A lattice rewrite that would remove this freeze point, when there is one. */
  readonly fix?: string;
}

/** How a rule reads a relation: monotonically, through a threshold test, or only once it is frozen. */
export type ReadMode = "monotone" | "threshold" | "freeze";

export interface RuleRead {
  readonly relation: string;
  readonly mode: ReadMode;
  readonly span: Span;
}

export interface RuleAnalysis {
  readonly id: number;
  readonly span: Span;
  readonly head: string;
  readonly class: CalmClass;
  readonly reasons: readonly Reason[];
  readonly stratum: number;
  /** Every relation the body reads (negated and aggregated ones included), in source order. */
  readonly reads: readonly RuleRead[];
}

export interface RelationAnalysis {
  readonly name: string;
  readonly span: Span;
  readonly class: CalmClass;
  readonly reasons: readonly Reason[];
  /** The lattice of the last column, as written (`min<number>`), if any. */
  readonly lattice?: string;
  readonly input: boolean;
  readonly output: boolean;
  readonly stratum: number;
  /** Whether the relation can be computed without coordination: its class is not non-monotone. */
  readonly coordinationFree: boolean;
}

export interface OutputAnalysis {
  readonly relation: string;
  readonly class: CalmClass;
  readonly coordinationFree: boolean;
  /** What the class means for this output, in a sentence. */
  readonly verdict: string;
  /** Indexes into `freezePoints` of those the output depends on (its own rules' and upstream). */
  readonly freezePoints: readonly number[];
}

export interface StratumAnalysis {
  readonly index: number;
  readonly relations: readonly string[];
  readonly rules: readonly number[];
  readonly recursive: boolean;
  /** True when a barrier must precede this stratum: one of its rules reads a frozen relation. */
  readonly barrier: boolean;
  /** Indexes into `freezePoints` of the freeze points whose rule is in this stratum. */
  readonly freezePoints: readonly number[];
}

/** An edge of a cycle through a freeze point: `to` reads `from` in rule `rule`, at `span`. */
export interface CycleEdge {
  readonly from: string;
  readonly to: string;
  readonly rule: number;
  readonly freeze: boolean;
  readonly span: Span;
}

export interface FreezeCycle {
  /** Index into `freezePoints`. */
  readonly freezePoint: number;
  readonly edges: readonly CycleEdge[];
}

export interface Analysis {
  readonly schema: "cairn.analysis/1";
  readonly relations: readonly RelationAnalysis[];
  readonly rules: readonly RuleAnalysis[];
  readonly outputs: readonly OutputAnalysis[];
  readonly freezePoints: readonly FreezePoint[];
  /** The relations of each stratum, in evaluation order. */
  readonly strata: readonly (readonly string[])[];
  readonly strataInfo: readonly StratumAnalysis[];
  /** Freeze points inside recursion: each makes the program impossible to evaluate. */
  readonly cycles: readonly FreezeCycle[];
  /** Errors for the cycles (code `freeze-in-recursion`), with the cycle as notes. */
  readonly diagnostics: readonly Diagnostic[];
}
