// Base-type inference for one rule: every variable and term gets one of
// number/unsigned/float/symbol. Columns, functor signatures (built-in and
// `.functor`) and literals constrain; operands of arithmetic and comparisons
// must agree; a plain integer literal takes the type its context needs, number
// by default. Set and pair values are ids, of type number.

import type { Aggregate, Atom, Literal, Term } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { BaseType, FunctorInfo } from "../model.js";
import type { Relations } from "./declarations.js";
import {
  ANY,
  FLT,
  FUNCTORS,
  NUM,
  NUMERIC,
  SYM,
  UNS,
  UNSUPPORTED_FUNCTORS,
  binaryOperands,
  describeMask,
  maskOf,
  opText,
  unaryOperands,
} from "./functors.js";
import { LatticeTyping, variableLattices } from "./lattice-typing.js";
import { cellType, latticeText } from "./lattice-types.js";
import { isMember } from "./member.js";
import type { Scoped } from "./scope.js";
import { TypeSolver } from "./solver.js";
import type { TypeEnv } from "./typeenv.js";
import { NO_RECORDS, type RecordTyping } from "./records.js";
import { closest, didYouMean, plural } from "./util.js";

export interface Typing {
  /** The base type of a term of the rule (a variable's occurrence, a literal, an expression). */
  of(t: Term): BaseType;
}

function ordinal(i: number): string {
  return `argument ${i + 1}`;
}

/** Infers the types of a rule's terms; reports clashes, unknown functors, bad aggregates. */
export function inferTypes(
  head: Atom,
  body: readonly Literal[],
  scoped: Scoped,
  relations: Relations,
  env: TypeEnv,
  functors: ReadonlyMap<string, FunctorInfo>,
  diagnostics: Diagnostic[],
  records: RecordTyping = NO_RECORDS,
): Typing {
  const solver = new TypeSolver(diagnostics);
  const nodes = new Map<Term, number>();
  const vars = new Map<string, number>();
  const lattices = new LatticeTyping(
    solver,
    (t) => nodes.get(t),
    scoped,
    body,
    relations,
    variableLattices(head, body, scoped, relations),
    diagnostics,
  );

  const term = (t: Term): number => {
    const n = build(t);
    nodes.set(t, n);
    return n;
  };

  const build = (t: Term): number => {
    switch (t.kind) {
      case "number": {
        const mask = t.numType === "float" ? FLT : t.numType === "unsigned" ? UNS : NUMERIC;
        const kind = t.numType === "float" ? "a float literal" : t.numType === "unsigned" ? "an unsigned literal" : "a number literal";
        return solver.node(t.text, t.span, mask, `it is ${kind}`);
      }
      case "string":
        return solver.node(JSON.stringify(t.value), t.span, SYM, "it is a string");
      case "wildcard":
        return solver.node(`"_"`, t.span);
      case "var": {
        const name = scoped.names.get(t) ?? t.name;
        const subject = `variable "${t.name}"`;
        let v = vars.get(name);
        if (v === undefined) {
          v = solver.node(subject, t.span);
          vars.set(name, v);
        }
        const occ = solver.node(subject, t.span);
        solver.unify(v, occ, t.span);
        return occ;
      }
      case "binary": {
        const l = term(t.left);
        const r = term(t.right);
        const op = opText(t.op);
        const allowed = binaryOperands(t.op);
        const because = `the operands of "${op}" must be ${describeMask(allowed)}`;
        const ok = solver.restrict(l, allowed, because) && solver.restrict(r, allowed, because);
        if (ok) solver.unify(l, r, t.span, (a, b) => `the operands of "${op}" have different types: ${a} and ${b}`);
        const n = solver.node(`the result of "${op}"`, t.span);
        solver.unify(n, l, t.span);
        return n;
      }
      case "unary": {
        const o = term(t.operand);
        const allowed = unaryOperands(t.op);
        solver.restrict(o, allowed, `the operand of "${opText(t.op)}" must be ${describeMask(allowed)}`);
        const n = solver.node(`the result of "${opText(t.op)}"`, t.span);
        solver.unify(n, o, t.span);
        return n;
      }
      case "call":
        return call(t);
      case "cast": {
        const inner = term(t.term);
        const base = env.base(t.typeName);
        if (!env.has(t.typeName)) {
          diagnostics.push(error("unknown-type", `type "${t.typeName}" is not declared`, t.span, suggestType(t.typeName, env)));
        }
        const mask = base ? maskOf(base) : ANY;
        if (base && (t.term.kind === "number" || t.term.kind === "string")) {
          solver.restrict(inner, mask, `it is cast to ${t.typeName}`);
        }
        return solver.node(`as(…, ${t.typeName})`, t.span, mask, `it is cast to ${t.typeName}`);
      }
      case "aggregate":
        return aggregate(t);
      case "nil":
      case "record":
      case "adt":
        return structured(t);
    }
  };

  /** A record, nil or branch value: an id, of type number; each field of the base type its declaration gives. */
  const structured = (t: Extract<Term, { kind: "nil" | "record" | "adt" }>): number => {
    const args = t.kind === "nil" ? [] : t.args.map(term);
    const type = records.of(t);
    const fields = t.kind === "adt" ? env.branch(t.branch)?.branch.fields : type === undefined ? undefined : env.recordFields(type);
    if (fields && fields.length === args.length) {
      args.forEach((a, i) => {
        const f = fields[i]!;
        const base = env.base(f.type.name);
        if (base)
          solver.restrict(a, maskOf(base), `field "${f.name}" of ${t.kind === "adt" ? `$${t.branch}` : type} has type ${f.type.name}`);
      });
    }
    const what = t.kind === "nil" ? "nil" : t.kind === "adt" ? `$${t.branch}(…)` : "the record";
    return solver.node(what, t.span, NUM, `it is a ${t.kind === "adt" ? "branch value" : "record"}`);
  };

  const arity = (t: Extract<Term, { kind: "call" }>, wanted: string): void => {
    diagnostics.push(error("functor-arity", `${t.name} takes ${wanted}, but is given ${t.args.length}`, t.span));
  };

  /** A call of a `.functor`: arguments and result typed by its declaration. */
  const userCall = (t: Extract<Term, { kind: "call" }>, args: number[]): number => {
    const f = functors.get(t.name.slice(1));
    if (!f) {
      const known = new Map([...functors.values()].map((g) => [`@${g.name}`, g.span] as const));
      diagnostics.push(
        error("unknown-functor", `functor ${t.name} is not declared`, t.span, [
          ...didYouMean(t.name, known),
          { message: `declare it with .functor ${t.name.slice(1)}(…): T, and pass its implementation in the functors option of compile()` },
        ]),
      );
      return solver.node(`the result of ${t.name}`, t.span);
    }
    if (args.length !== f.params.length) {
      diagnostics.push(
        error("functor-arity", `${t.name} takes ${plural(f.params.length, "argument")}, but is given ${args.length}`, t.span, [
          { message: `${t.name} is declared here`, span: f.span },
        ]),
      );
    }
    args.forEach((a, i) => {
      const p = f.params[i];
      if (p !== undefined) solver.restrict(a, maskOf(p), `${ordinal(i)} of ${t.name} is declared ${p}`);
    });
    return solver.node(`the result of ${t.name}`, t.span, maskOf(f.result), `${t.name} is declared to return ${f.result}`);
  };

  const call = (t: Extract<Term, { kind: "call" }>): number => {
    const args = t.args.map(term);
    if (t.name.startsWith("@")) return userCall(t, args);
    const sig = FUNCTORS.get(t.name);
    if (t.name === "size" && t.args.length === 1) lattices.argument(t.args[0]!, "set", "size(…)");
    if (sig?.kind === "component") {
      if (args.length !== 1) arity(t, "1 argument");
      if (t.args[0]) lattices.argument(t.args[0], "pair", `${t.name}(…)`);
      if (args[0] !== undefined) solver.restrict(args[0], NUM, `the argument of ${t.name} is a pair`);
      const part = t.args[0] && lattices.pairOf(t.args[0])?.args?.[sig.index];
      if (!part) return solver.node(`the result of ${t.name}`, t.span);
      const base = cellType(part);
      return solver.node(`the result of ${t.name}`, t.span, maskOf(base), `${t.name} reads a ${latticeText(part)} value`);
    }
    if (!sig) {
      const why = UNSUPPORTED_FUNCTORS.get(t.name);
      if (why) diagnostics.push(error("unsupported", `functor ${t.name} is not supported: ${why}`, t.span));
      else {
        const best = closest(t.name, FUNCTORS.keys());
        diagnostics.push(
          error("unknown-functor", `unknown functor "${t.name}"`, t.span, best ? [{ message: `did you mean ${best}?` }] : []),
        );
      }
      return solver.node(`the result of ${t.name}`, t.span);
    }
    const subject = `the result of ${t.name}`;
    const expected = sig.kind === "fixed" ? sig.params.length : sig.min;
    const tooFew = args.length < expected;
    const tooMany = sig.kind === "fixed" ? args.length > sig.params.length : args.length > sig.max;
    if (tooFew || tooMany)
      arity(
        t,
        sig.kind === "fixed" || sig.min === sig.max
          ? plural(expected, "argument")
          : sig.max === sig.min + 1
            ? `${sig.min} or ${plural(sig.max, "argument")}`
            : `at least ${plural(sig.min, "argument")}`,
      );
    if (sig.kind === "fixed") {
      args.forEach((a, i) => {
        const m = sig.params[i];
        if (m !== undefined && m !== ANY) solver.restrict(a, m, `${ordinal(i)} of ${t.name} must be ${describeMask(m)}`);
      });
      return solver.node(subject, t.span, maskOf(sig.result), `${t.name} returns ${sig.result}`);
    }
    const n = solver.node(subject, t.span, sig.allowed, sig.allowed === ANY ? undefined : `${t.name} returns ${describeMask(sig.allowed)}`);
    const ok = args.every(
      (a, i) => sig.allowed === ANY || solver.restrict(a, sig.allowed, `${ordinal(i)} of ${t.name} must be ${describeMask(sig.allowed)}`),
    );
    if (ok) {
      for (const a of args) {
        if (!solver.unify(n, a, t.span, (x, y) => `the arguments of ${t.name} have different types: ${x} and ${y}`)) break;
      }
    }
    return n;
  };

  const aggregate = (t: Aggregate): number => {
    literals(t.body);
    const target = t.target ? term(t.target) : undefined;
    if (t.fn === "count") {
      if (t.target) diagnostics.push(error("bad-aggregate", `count takes no target expression`, t.target.span));
      return solver.node("the result of count", t.span, NUM, "count returns number");
    }
    if (target === undefined) {
      diagnostics.push(error("bad-aggregate", `${t.fn} needs a target expression, as in "${t.fn} x : { … }"`, t.span));
      return solver.node(`the result of ${t.fn}`, t.span, t.fn === "mean" ? FLT : NUMERIC);
    }
    if (t.fn === "mean") {
      solver.restrict(target, FLT, `the target of mean must be float`);
      return solver.node("the result of mean", t.span, FLT, "mean returns float");
    }
    const n = solver.node(`the result of ${t.fn}`, t.span, NUMERIC);
    if (solver.restrict(target, NUMERIC, `the target of ${t.fn} must be numeric`)) solver.unify(n, target, t.span);
    return n;
  };

  const atom = (a: Atom): void => {
    const rel = relations.resolveAtom(a, diagnostics);
    a.args.forEach((arg, i) => {
      const n = term(arg);
      const col = rel?.columns[i];
      if (col?.base) {
        const declared = col.display === col.base ? col.base : `${col.display} (${col.base})`;
        solver.restrict(n, maskOf(col.base), `column "${col.name}" of "${a.relation}" has type ${declared}`);
        lattices.column(arg, col, a.relation);
      }
    });
  };

  /** member(x, s): s is a set (an id); x is of its element type, when s is a set variable. */
  const member = (args: readonly Term[]): void => {
    const [x, set] = args.map(term);
    lattices.argument(args[1]!, "set", "member(…)");
    solver.restrict(set!, NUM, `the second argument of member must be a set`);
    const l = lattices.latticeOf(args[1]!);
    if (l?.name === "set") solver.restrict(x!, maskOf(l.elem), `the elements of "${(args[1] as { name: string }).name}" are ${l.elem}`);
  };

  const literals = (ls: readonly Literal[]): void => {
    for (const l of ls) {
      switch (l.kind) {
        case "atom":
          atom(l);
          break;
        case "negation":
          atom(l.atom);
          break;
        case "compare": {
          const left = term(l.left);
          const right = term(l.right);
          solver.unify(left, right, l.span, (a, b) => `cannot compare ${a} with ${b}`);
          break;
        }
        case "test":
          if (isMember(l)) member(l.args);
          else l.args.forEach((a, i) => solver.restrict(term(a), SYM, `${ordinal(i)} of ${l.name} must be symbol`));
          break;
      }
    }
  };

  // The body first: a clash in the head then points at the head, with a note at the body's source of the type.
  literals(body);
  atom(head);
  // A witness of a nested aggregate is a variable of the rule and a local of the aggregate: one type.
  for (const w of scoped.witnesses) {
    const outer = vars.get(w.name);
    const inner = vars.get(w.inner);
    if (w.problem || outer === undefined || inner === undefined || outer === inner) continue;
    solver.unify(outer, inner, w.at, (a, b) => `the witness "${w.occurrence.name}" is ${b} inside its aggregate, but ${a} here`);
  }

  return {
    of(t: Term): BaseType {
      const n = nodes.get(t);
      return n === undefined ? "number" : solver.type(n);
    },
  };
}

function suggestType(name: string, env: TypeEnv) {
  const best = closest(name, env.names().keys());
  return best ? [{ message: `did you mean "${best}"?`, span: env.names().get(best) }] : [];
}
