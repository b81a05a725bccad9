// The JavaScript names of Datalog variables in generated code. A variable
// keeps its Datalog name where JavaScript allows it (`x`, `path_len`), so the
// generated code reads like the rule; a name JavaScript reserves, one the
// generated function's own parameters use, or one bound a second time in the
// same function (an aggregate's local variable) gets a `$` suffix. The code
// generator's own temporaries start with a `$` (`$r3`), which no Datalog
// variable can, and the planner's helper variables (`$agg0`) become `t$agg0`,
// so none of them collide.

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function " +
    "if import in instanceof new null return super switch this throw true try typeof var void while with yield let static " +
    "implements interface package private protected public await arguments eval undefined NaN Infinity Math " +
    // The generated function's parameters and the globals it calls.
    "R I fx st mix finish"
  ).split(" "),
);

/** Variables in scope while code is generated, by Datalog name. */
export class VariableNames {
  private readonly scope = new Map<string, string>();
  /** Every JavaScript name handed out in this function. */
  private readonly used = new Set<string>();

  /** The JavaScript name a variable is bound to, or undefined when it is not in scope. */
  get(name: string): string | undefined {
    return this.scope.get(name);
  }

  has(name: string): boolean {
    return this.scope.has(name);
  }

  /** Brings `name` into scope under a fresh JavaScript name, returned. */
  bind(name: string): string {
    // `?` may appear in Soufflé names, `#` in the names scoping gives shadowed aggregate locals.
    const base = name.replace(/^\$/, "t$").replace(/[^A-Za-z0-9_$]/g, (c) => (c === "?" ? "Q$" : "$"));
    let js = RESERVED.has(base) ? `${base}$` : base;
    for (let n = 2; this.used.has(js); n++) js = `${base}$${n}`;
    this.used.add(js);
    this.scope.set(name, js);
    return js;
  }

  /** Binds `name` to a JavaScript name already holding its value (the aggregate's result preset as the target). */
  alias(name: string, js: string): void {
    this.scope.set(name, js);
  }

  unbind(name: string): void {
    this.scope.delete(name);
  }

  /** Takes variables out of scope for a while; restore() puts them back. */
  hide(names: Iterable<string>): [string, string][] {
    const out: [string, string][] = [];
    for (const v of names) {
      const js = this.scope.get(v);
      if (js === undefined) continue;
      out.push([v, js]);
      this.scope.delete(v);
    }
    return out;
  }

  restore(hidden: readonly [string, string][]): void {
    for (const [v, js] of hidden) this.scope.set(v, js);
  }

  /** The names in scope, as a read-only view for term compilation. */
  view(): ReadonlyMap<string, string> {
    return this.scope;
  }

  names(): string[] {
    return [...this.scope.keys()];
  }
}
