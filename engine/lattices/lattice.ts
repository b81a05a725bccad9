// What a lattice is to the engine: its algebra on 32-bit cells (a bottom, the
// join of two cells, the order) and a name for messages (by which the workers
// also recognise a built-in, engine/parallel/lattice-spec.ts). Nothing about
// text or API values lives here (that is lattice-io.ts): the law checker and
// the evaluation's hot paths (Relation.join, the workers' collectors) need
// only these four members, and so does a lattice a user checks with checkLaws.

export interface Lattice {
  /** How the lattice is written in a declaration, e.g. `min<number>`. */
  readonly name: string;
  /** The least element: a derivation equal to it adds nothing. */
  readonly bottom: number;
  /** The least upper bound of two cells. */
  join(a: number, b: number): number;
  /** Whether a ⊑ b: for a lawful lattice, exactly when join(a, b) is b. */
  leq(a: number, b: number): boolean;
}
