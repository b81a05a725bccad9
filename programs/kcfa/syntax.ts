// The CPS language's abstract syntax, built from s-expressions: `let` desugared
// to an applied lambda; calls and lambdas labelled from 1 in preorder (a call,
// its operator, its operands; a lambda before its body). Label 0 is `halt`.

import { readSExp, type Source, type Extent, type SExp } from "./sexp.js";

export interface Var extends Extent {
  readonly kind: "var";
  readonly name: string;
}

export interface Lambda extends Extent {
  readonly kind: "lambda";
  readonly label: number;
  readonly params: readonly Var[];
  readonly body: Call;
}

export interface Halt extends Extent {
  readonly kind: "halt";
}

export type Atom = Var | Lambda | Halt;

export interface Call extends Extent {
  readonly kind: "call";
  readonly label: number;
  /** The operator, then the operands. */
  readonly fn: Atom;
  readonly args: readonly Atom[];
}

const KEYWORDS = new Set(["lambda", "λ", "let", "halt"]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Slot<T> = (node: T) => void;

/** A pending piece of work: build a call or an atom from `e` and hand it to `put`. */
type Task =
  | { readonly kind: "call"; readonly e: SExp; readonly put: Slot<Call> }
  | { readonly kind: "atom"; readonly e: SExp; readonly put: Slot<Atom> }
  | {
      readonly kind: "let";
      readonly e: SExp & { kind: "list" };
      readonly bindings: readonly (SExp & { kind: "list" })[];
      readonly i: number;
      readonly put: Slot<Call>;
    };

/**
 * Builds the tree with an explicit stack (deeply nested programs would overflow
 * the JavaScript stack). Tasks run in preorder, so a node's label is taken
 * when it is created.
 */
class Builder {
  private next = 1;
  private readonly stack: Task[] = [];
  constructor(private readonly src: Source) {}

  private err(message: string, at: Extent, notes: { message: string }[] = []): never {
    return this.src.fail("cps-syntax", message, at, notes);
  }

  private binder(e: SExp, what: string): Var {
    if (e.kind !== "symbol") return this.err(`expected a variable name as ${what}, found a list`, e);
    if (KEYWORDS.has(e.name)) return this.err(`"${e.name}" is a keyword and cannot be bound as ${what}`, e);
    return { kind: "var", name: e.name, start: e.start, end: e.end };
  }

  build(e: SExp): Call {
    let root: Call | undefined;
    this.stack.push({ kind: "call", e, put: (c) => (root = c) });
    for (let t = this.stack.pop(); t; t = this.stack.pop()) {
      if (t.kind === "call") this.call(t.e, t.put);
      else if (t.kind === "atom") this.atom(t.e, t.put);
      else this.letStep(t.e, t.bindings, t.i, t.put);
    }
    return root!;
  }

  /** Pushes tasks so that they run in the order given. */
  private schedule(tasks: Task[]): void {
    for (let i = tasks.length - 1; i >= 0; i--) this.stack.push(tasks[i]!);
  }

  private call(e: SExp, put: Slot<Call>): void {
    if (e.kind === "symbol") {
      return this.err(`expected a call such as (f x), found "${e.name}"`, e, [
        { message: "every expression in tail position is a call; end the program with (halt v)" },
      ]);
    }
    const head = e.items[0];
    if (!head) return this.err("empty call: a call needs an operator", e);
    if (head.kind === "symbol" && head.name === "let") return this.letCall(e, put);
    if (head.kind === "symbol" && (head.name === "lambda" || head.name === "λ")) {
      return this.err("expected a call, found a lambda: a lambda is a value and must be applied", e);
    }
    const node: Mutable<Call> = { kind: "call", label: this.next++, fn: undefined!, args: [], start: e.start, end: e.end };
    const args: Atom[] = new Array(e.items.length - 1);
    node.args = args;
    put(node);
    this.schedule([
      { kind: "atom", e: head, put: (a) => (node.fn = a) },
      ...e.items.slice(1).map((a, i): Task => ({ kind: "atom", e: a, put: (x) => (args[i] = x) })),
    ]);
  }

  /** `(let ((x a) more…) body)` → `((lambda (x) (let (more…) body)) a)`. */
  private letCall(e: SExp & { kind: "list" }, put: Slot<Call>): void {
    const [, bindings, body, ...extra] = e.items;
    if (bindings?.kind !== "list") return this.err("expected the bindings of let: (let ((x a) …) call)", bindings ?? e);
    if (bindings.items.length === 0) return this.err("let needs at least one binding", bindings);
    if (!body) return this.err("let needs a body call: (let ((x a) …) call)", e);
    if (extra.length > 0) return this.err("let has one body call; found more after it", extra[0]!);
    for (const b of bindings.items) {
      if (b.kind !== "list" || b.items.length !== 2) return this.err("expected a binding (var atom)", b);
    }
    this.letStep(e, bindings.items as (SExp & { kind: "list" })[], 0, put);
  }

  /** The call for binding `i` of a let: the lambda binding it, its body (the later bindings), then the value. */
  private letStep(e: SExp & { kind: "list" }, bindings: readonly (SExp & { kind: "list" })[], i: number, put: Slot<Call>): void {
    const b = bindings[i]!;
    const at = i === 0 ? e : b;
    const node: Mutable<Call> = { kind: "call", label: this.next++, fn: undefined!, args: [], start: at.start, end: at.end };
    const lam: Mutable<Lambda> = {
      kind: "lambda",
      label: this.next++,
      params: [this.binder(b.items[0]!, "a let variable")],
      body: undefined!,
      start: b.start,
      end: b.end,
    };
    node.fn = lam;
    put(node);
    const setBody = (c: Call) => (lam.body = c);
    const rest: Task =
      i + 1 < bindings.length ? { kind: "let", e, bindings, i: i + 1, put: setBody } : { kind: "call", e: e.items[2]!, put: setBody };
    this.schedule([rest, { kind: "atom", e: b.items[1]!, put: (a) => (node.args = [a]) }]);
  }

  private atom(e: SExp, put: Slot<Atom>): void {
    if (e.kind === "symbol") {
      if (e.name === "halt") return put({ kind: "halt", start: e.start, end: e.end });
      if (KEYWORDS.has(e.name)) return this.err(`"${e.name}" is a keyword and cannot be used as a value`, e);
      return put({ kind: "var", name: e.name, start: e.start, end: e.end });
    }
    const head = e.items[0];
    if (head?.kind === "symbol" && (head.name === "lambda" || head.name === "λ")) {
      const [, params, body, ...extra] = e.items;
      if (params?.kind !== "list") return this.err("expected a parameter list: (lambda (x …) call)", params ?? e);
      if (!body) return this.err("lambda needs a body call: (lambda (x …) call)", e);
      if (extra.length > 0) return this.err("lambda has one body call; found more after it", extra[0]!);
      const label = this.next++;
      const lam: Mutable<Lambda> = {
        kind: "lambda",
        label,
        params: params.items.map((p) => this.binder(p, "a parameter")),
        body: undefined!,
        start: e.start,
        end: e.end,
      };
      put(lam);
      this.stack.push({ kind: "call", e: body, put: (c) => (lam.body = c) });
      return;
    }
    if (head?.kind === "symbol" && head.name === "let")
      return this.err("expected an atom, found let: let is a call, allowed only in tail position", e);
    return this.err("expected an atom (a variable, a lambda or halt), found a call: every call is a tail call", e, [
      { message: "bind the result through a continuation instead: (f x (lambda (r) …))" },
    ]);
  }
}

/** Parses a CPS program, desugared and labelled; throws a CairnError with a located diagnostic. */
export function parseCps(src: Source): Call {
  return new Builder(src).build(readSExp(src));
}
