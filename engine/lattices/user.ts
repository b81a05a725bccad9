// A user lattice from a `.lattice` declaration: its Lub term over the operands
// $1 and $2 compiled into a JavaScript join, its Bottom evaluated once (Top and
// Glb play no part in evaluation). The order is the one the join defines:
// a ⊑ b iff a ⊔ b = b. Its values are plain values of its carrier type, read
// and written as such (plain-io.ts).

import type { MTerm, UserLattice } from "../../lang/model.js";
import { compileTerm } from "../codegen/term.js";
import type { Functors } from "../eval/functors.js";
import type { SymbolTable } from "../storage/symbols.js";
import type { Lattice } from "./lattice.js";

type Binary = (a: number, b: number) => number;

function binary(term: MTerm, symbols: SymbolTable, fx: Functors): Binary {
  const vars = new Map([
    ["$1", "a"],
    ["$2", "b"],
  ]);
  const body = compileTerm(term, { symbols, vars, counter: "0" });
  return new Function("fx", `return (a, b) => ${body};`)(fx) as Binary;
}

export function userLattice(model: UserLattice, symbols: SymbolTable, fx: Functors): Lattice {
  const lub = binary(model.lub, symbols, fx);
  const bottom = binary(model.bottom, symbols, fx)(0, 0);
  return {
    name: `${model.name}<>`,
    bottom,
    join: lub,
    leq: (a, b) => lub(a, b) === b,
  };
}
