// A parsed CPS program with what the analyses need: its calls and lambdas by
// label, each lambda's free variables, each variable's binding lambda and
// depth. Building it checks that the program is closed and binds each name once.

import { type Diagnostic, errorDiagnostic } from "../../index.js";
import { Source } from "./sexp.js";
import { parseCps, type Atom, type Call, type Lambda, type Var } from "./syntax.js";

export interface Binding {
  /** The lambda whose parameter this is. */
  readonly lambda: Lambda;
  /** Its position among the parameters, from 1. */
  readonly index: number;
  /** How many lambdas enclose the binding lambda (0 for the outermost ones). */
  readonly depth: number;
  readonly var: Var;
}

export interface CpsProgram {
  readonly root: Call;
  /** Calls and lambdas in label order. */
  readonly calls: readonly Call[];
  readonly lambdas: readonly Lambda[];
  /** Every variable by name. */
  readonly bindings: ReadonlyMap<string, Binding>;
  /** The free variables of each lambda, by lambda label. */
  readonly freeVars: ReadonlyMap<number, readonly string[]>;
  /** The greatest label used. */
  readonly maxLabel: number;
  /** The program text, for spans of its nodes. */
  readonly source: Source;
}

/** Indexes `root` and checks scoping; every error found is reported at once (a CairnError). */
export function indexProgram(root: Call, source: Source): CpsProgram {
  const calls: Call[] = [];
  const lambdas: Lambda[] = [];
  const bindings = new Map<string, Binding>();
  const freeVars = new Map<number, string[]>();
  const diagnostics: Diagnostic[] = [];
  const enclosing: Lambda[] = [];
  const freeSets: Set<string>[] = [];
  /** Names reported as bound twice: their uses are not reported again. */
  const duplicated = new Set<string>();

  const use = (v: Var): void => {
    const b = bindings.get(v.name);
    const inScope = b !== undefined && enclosing[b.depth] === b.lambda;
    if (!inScope) {
      if (duplicated.has(v.name)) return;
      const notes = b
        ? [{ message: `"${v.name}" is bound here, but that lambda does not enclose this use`, span: source.span(b.var) }]
        : [];
      diagnostics.push(
        errorDiagnostic("unbound-variable", `variable "${v.name}" is not bound here: programs must be closed`, source.span(v), notes),
      );
      return;
    }
    // Free in every lambda between the binder and the use; a lambda that already has it
    // free lies inside all the outer ones, which have it too.
    for (let d = enclosing.length - 1; d > b.depth; d--) {
      const set = freeSets[d]!;
      if (set.has(v.name)) break;
      set.add(v.name);
      freeVars.get(enclosing[d]!.label)!.push(v.name);
    }
  };
  // An explicit stack (deep programs would overflow the JavaScript stack): calls and
  // lambdas in preorder, and a marker to leave each lambda after its body.
  const work: (Call | Lambda | "leave")[] = [root];
  const pushAtom = (a: Atom): void => {
    if (a.kind === "lambda") work.push(a);
  };
  const visitCall = (c: Call): void => {
    calls.push(c);
    const atoms = [c.fn, ...c.args];
    for (const a of atoms) if (a.kind === "var") use(a);
    for (let i = atoms.length - 1; i >= 0; i--) pushAtom(atoms[i]!);
  };
  const enter = (l: Lambda): void => {
    lambdas.push(l);
    const depth = enclosing.length;
    l.params.forEach((p, i) => {
      const prev = bindings.get(p.name);
      if (prev) {
        duplicated.add(p.name);
        diagnostics.push(
          errorDiagnostic("duplicate-binding", `"${p.name}" is bound twice: each name must be bound once`, source.span(p), [
            { message: "first bound here", span: source.span(prev.var) },
          ]),
        );
        return;
      }
      bindings.set(p.name, { lambda: l, index: i + 1, depth, var: p });
    });
    freeVars.set(l.label, []);
    enclosing.push(l);
    freeSets.push(new Set());
    work.push("leave", l.body);
  };
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if (item === "leave") {
      enclosing.pop();
      freeSets.pop();
    } else if (item.kind === "call") visitCall(item);
    else enter(item);
  }
  if (diagnostics.length > 0) throw source.error(diagnostics.sort((a, b) => a.span!.start.offset - b.span!.start.offset));
  calls.sort((a, b) => a.label - b.label);
  lambdas.sort((a, b) => a.label - b.label);
  const maxLabel = Math.max(calls[calls.length - 1]!.label, lambdas.length > 0 ? lambdas[lambdas.length - 1]!.label : 0);
  return { root, calls, lambdas, bindings, freeVars, maxLabel, source };
}

/** Parses, labels and checks a CPS program; throws a CairnError with located diagnostics. */
export function loadCps(text: string, file = "<input>"): CpsProgram {
  const source = new Source(file, text);
  return indexProgram(parseCps(source), source);
}
