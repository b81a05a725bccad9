// The lattices a worker thread can join without the coordinator's tables:
// min, max (over numbers) and the two booleans. Set, pair and user lattices
// intern values or call functors, so their heads stay on the coordinator.

import { andLattice, orLattice } from "../lattices/bool.js";
import type { Lattice } from "../lattices/lattice.js";
import { maxLattice } from "../lattices/max.js";
import { minLattice } from "../lattices/min.js";
import type { LatticeSpec } from "./messages.js";

/** The spec of a built-in scalar lattice; undefined for any other (which workers cannot join). */
export function specOf(lattice: Lattice): LatticeSpec | undefined {
  if (lattice.name === "or") return { kind: "or", elem: "number" };
  if (lattice.name === "and") return { kind: "and", elem: "number" };
  const m = /^(min|max)<(number|unsigned|float)>$/.exec(lattice.name);
  if (!m) return undefined;
  const spec: LatticeSpec = { kind: m[1] as "min" | "max", elem: m[2] as LatticeSpec["elem"] };
  const built = latticeOf(spec);
  // A user lattice cannot take a built-in's name, but check the bottom as well.
  return built.bottom === lattice.bottom ? spec : undefined;
}

export function latticeOf(spec: LatticeSpec): Lattice {
  switch (spec.kind) {
    case "min":
      return minLattice(spec.elem);
    case "max":
      return maxLattice(spec.elem);
    case "or":
      return orLattice;
    case "and":
      return andLattice;
  }
}
