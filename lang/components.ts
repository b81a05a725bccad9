// Soufflé's components, expanded before the checks. A `.comp` is a template of
// items; `.init x = C<T…>` copies C's items, those of its bases first (less
// the clauses a `.override` replaces), with C's type parameters replaced by
// the arguments and every relation and type the instance declares named
// `x.…`; a name it does not declare refers to the nearest enclosing instance
// that declares it, else to the top level. Instances inside a component nest
// (`x.y.…`); components declared inside one, or inside its bases, are visible
// in it; a type parameter may stand for a component (`.comp C<T> : T`).
// Spans stay where the items are written, so an error in an instance points
// into the component's body.

import type {
  Atom,
  Clause,
  ComponentDecl,
  ComponentInit,
  ComponentRef,
  Item,
  Literal,
  Program,
  RelationDecl,
  Subsumption,
  Term,
  TypeRef,
} from "./ast.js";
import { mapLiteral, mapTerm } from "./check/ast-terms.js";
import { didYouMean } from "./check/util.js";
import { error, type Diagnostic } from "./diagnostics.js";
import type { Span } from "./span.js";

/** Components visible at a point: those declared there, then the enclosing scopes'. */
interface Scope {
  readonly components: ReadonlyMap<string, ComponentDecl>;
  readonly parent?: Scope;
}

/** An item of a component's body with the type arguments of the component it comes from. */
interface Member {
  readonly item: Item;
  readonly types: ReadonlyMap<string, string>;
  readonly scope: Scope;
}

function lookup(scope: Scope | undefined, name: string): ComponentDecl | undefined {
  for (let s = scope; s; s = s.parent) {
    const c = s.components.get(name);
    if (c) return c;
  }
  return undefined;
}

function scopeOf(items: readonly Item[], parent?: Scope): Scope {
  const components = new Map<string, ComponentDecl>();
  for (const it of items) if (it.kind === "component" && !components.has(it.name)) components.set(it.name, it);
  return { components, parent };
}

/** Renames relations and types in one item: `rel` and `type` map a name as written to the name it stands for. */
class Renamer {
  constructor(
    readonly rel: (name: string) => string,
    readonly type: (name: string) => string,
  ) {}

  typeRef(t: TypeRef): TypeRef {
    return { ...t, name: this.type(t.name), ...(t.args ? { args: t.args.map((a) => this.typeRef(a)) } : {}) };
  }

  atom(a: Atom): Atom {
    return { ...a, relation: this.rel(a.relation), args: a.args.map((t) => this.term(t)) };
  }

  literal(l: Literal): Literal {
    return mapLiteral(l, this.castType, this.relation);
  }

  term(t: Term): Term {
    return mapTerm(t, this.castType, this.relation);
  }

  /** A cast names a type; a branch value names its branch, renamed as types are. */
  private readonly castType = (t: Term): Term =>
    t.kind === "cast" ? { ...t, typeName: this.type(t.typeName) } : t.kind === "adt" ? { ...t, branch: this.type(t.branch) } : t;

  /** An atom, negated or not, names a relation (its terms are already renamed). */
  private readonly relation = (l: Literal): Literal => {
    if (l.kind === "atom") return { ...l, relation: this.rel(l.relation) };
    if (l.kind === "negation") return { ...l, atom: { ...l.atom, relation: this.rel(l.atom.relation) } };
    return l;
  };

  body(b: readonly (readonly Literal[])[]): Literal[][] {
    return b.map((conj) => conj.map((l) => this.literal(l)));
  }

  clause(c: Clause): Clause {
    return { ...c, heads: c.heads.map((h) => this.atom(h)), ...(c.body ? { body: this.body(c.body) } : {}) };
  }

  subsumption(s: Subsumption): Subsumption {
    return { ...s, dominated: this.atom(s.dominated), dominating: this.atom(s.dominating), body: this.body(s.body) };
  }
}

/** Names at the top level stand for themselves. */
const TOP = new Renamer(
  (n) => n,
  (n) => n,
);

/** The relation a clause or subsumption defines (for `.override`). */
function defines(item: Item): string | undefined {
  if (item.kind === "clause") return item.heads[0]?.relation;
  if (item.kind === "subsumption") return item.dominated.relation;
  return undefined;
}

class Expander {
  readonly diagnostics: Diagnostic[] = [];

  /** The items of `comp`'s body with those of its bases, each with its component's type arguments. */
  private members(comp: ComponentDecl, types: ReadonlyMap<string, string>, scope: Scope, stack: readonly ComponentDecl[]): Member[] {
    const out: Member[] = [];
    const overridden = new Set(comp.items.flatMap((it) => (it.kind === "override" ? [it.relation] : [])));
    for (const base of comp.bases) {
      // A base may be a type parameter bound to a component.
      const b = this.resolve(base, scope, stack, types);
      if (!b) continue;
      const args = base.args.map((a) => types.get(a) ?? a);
      const inherited = this.members(b, new Map(b.params.map((p, i) => [p, args[i]!])), scope, [...stack, b]);
      for (const m of inherited) {
        const rel = defines(m.item);
        if (rel !== undefined && overridden.has(rel)) continue;
        out.push(m);
      }
    }
    // The components declared in the body, then those the bases declare, are visible in the body.
    const inner = scopeOf([...comp.items, ...out.map((m) => m.item)], scope);
    for (const item of comp.items) out.push({ item, types, scope: inner });
    return out;
  }

  /**
   * The component `ref` names (or the component a type parameter of `params`
   * stands for), checked: it exists, takes as many type arguments, and is not
   * being instantiated already.
   */
  private resolve(
    ref: ComponentRef,
    scope: Scope,
    stack: readonly ComponentDecl[],
    params: ReadonlyMap<string, string>,
  ): ComponentDecl | undefined {
    const comp = lookup(scope, params.get(ref.name) ?? ref.name);
    if (!comp) {
      const visible = new Map<string, Span>();
      for (let sc: Scope | undefined = scope; sc; sc = sc.parent)
        for (const [n, c] of sc.components) if (!visible.has(n)) visible.set(n, c.span);
      this.diagnostics.push(error("unknown-component", `component "${ref.name}" is not declared`, ref.span, didYouMean(ref.name, visible)));
      return undefined;
    }
    if (comp.params.length !== ref.args.length) {
      this.diagnostics.push(
        error(
          "component-arguments",
          `component "${ref.name}" takes ${comp.params.length} type argument${comp.params.length === 1 ? "" : "s"}, not ${ref.args.length}`,
          ref.span,
          [{ message: `"${ref.name}" is declared here`, span: comp.span }],
        ),
      );
      return undefined;
    }
    if (stack.includes(comp)) {
      this.diagnostics.push(
        error("component-cycle", `component "${ref.name}" contains or inherits itself`, ref.span, [
          { message: `"${ref.name}" is declared here`, span: comp.span },
        ]),
      );
      return undefined;
    }
    return comp;
  }

  /**
   * The items of instance `init` (its name prefixed by `prefix`), written
   * where `outer` renames relations and types and `params` binds type
   * parameters. A name the instance does not declare means what it means
   * where the `.init` is written: the nearest enclosing instance that
   * declares it, else the top level.
   */
  instantiate(
    init: ComponentInit,
    scope: Scope,
    prefix: string,
    outer: Renamer,
    params: ReadonlyMap<string, string>,
    stack: readonly ComponentDecl[],
  ): Item[] {
    const comp = this.resolve(init.component, scope, stack, params);
    if (!comp) return [];
    const name = prefix ? `${prefix}.${init.instance}` : init.instance;
    const args = init.component.args.map(outer.type);
    const members = this.members(comp, new Map(comp.params.map((p, i) => [p, args[i]!])), scope, [...stack, comp]);
    // What the instance declares: its relations, types and nested instances take its name.
    const relations = new Set<string>();
    const types = new Set<string>();
    const instances = new Set<string>();
    for (const { item } of members) {
      if (item.kind === "decl") relations.add(item.name);
      else if (item.kind === "type") {
        types.add(item.name);
        // A branch of an algebraic data type takes the instance's name too: `$myB.branch(1)`.
        for (const b of item.branches ?? []) types.add(b.name);
      } else if (item.kind === "init") instances.add(item.instance);
    }
    const own = (n: string, set: ReadonlySet<string>) => set.has(n) || instances.has(n.split(".")[0]!);
    const out: Item[] = [];
    for (const m of members) {
      const r = new Renamer(
        (n) => (own(n, relations) ? `${name}.${n}` : outer.rel(n)),
        (n) => m.types.get(n) ?? (own(n, types) ? `${name}.${n}` : outer.type(n)),
      );
      out.push(...this.item(m.item, r, m, name, [...stack, comp]));
    }
    return out;
  }

  /** One item of an instance, renamed; a nested `.init` expands in place. */
  private item(item: Item, r: Renamer, { scope, types }: Member, prefix: string, stack: readonly ComponentDecl[]): Item[] {
    switch (item.kind) {
      case "decl":
        return [{ ...item, name: r.rel(item.name), attributes: item.attributes.map((a) => ({ ...a, type: r.typeRef(a.type) })) }];
      case "type":
        return [
          {
            ...item,
            name: r.type(item.name),
            of: item.of.map((t) => r.typeRef(t)),
            ...(item.fields ? { fields: item.fields.map((a) => ({ ...a, type: r.typeRef(a.type) })) } : {}),
            ...(item.branches
              ? {
                  branches: item.branches.map((b) => ({
                    ...b,
                    name: r.type(b.name),
                    fields: b.fields.map((a) => ({ ...a, type: r.typeRef(a.type) })),
                  })),
                }
              : {}),
          },
        ];
      case "directive":
        return [{ ...item, relation: r.rel(item.relation) }];
      case "clause":
        return [r.clause(item)];
      case "subsumption":
        return [r.subsumption(item)];
      case "init":
        return this.instantiate(item, scope, prefix, r, types, stack);
      case "component":
      case "override":
        return [];
      case "pragma":
        return [item];
      case "functor":
      case "lattice":
        this.diagnostics.push(
          error("unsupported", `a .${item.kind} inside a component is not supported: declare it at the top level`, item.span),
        );
        return [];
    }
  }

  /**
   * The declaration of relation `name` that `comp` inherits, searching its
   * bases depth first; "unknown" when a base cannot be looked up here (not
   * declared, or a type parameter).
   */
  private inherited(comp: ComponentDecl, name: string, scope: Scope, seen: Set<ComponentDecl>): RelationDecl | "unknown" | undefined {
    for (const ref of comp.bases) {
      const base = comp.params.includes(ref.name) ? undefined : lookup(scope, ref.name);
      if (!base) return "unknown";
      if (seen.has(base)) continue;
      seen.add(base);
      const own = base.items.find((it): it is RelationDecl => it.kind === "decl" && it.name === name);
      const found = own ?? this.inherited(base, name, scope, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** `.override r` needs `r` declared `overridable` in a base: checked for every component, instantiated or not. */
  private checkOverrides(comp: ComponentDecl, scope: Scope): void {
    const inner = scopeOf(comp.items, scope);
    for (const it of comp.items) {
      if (it.kind === "component") this.checkOverrides(it, inner);
      if (it.kind !== "override") continue;
      const decl = this.inherited(comp, it.relation, scope, new Set([comp]));
      if (decl === "unknown") continue;
      if (!decl) {
        this.diagnostics.push(
          error("bad-override", `component "${comp.name}" overrides "${it.relation}", which none of its bases declares`, it.span),
        );
      } else if (!decl.qualifiers.includes("overridable")) {
        this.diagnostics.push(
          error(
            "bad-override",
            `"${it.relation}" cannot be overridden in component "${comp.name}": its declaration is not marked overridable`,
            it.span,
            [{ message: `"${it.relation}" is declared here`, span: decl.nameSpan }],
          ),
        );
      }
    }
  }

  /** The program with every top-level `.init` expanded and component declarations removed. */
  program(p: Program): Program {
    const scope = scopeOf(p.items);
    for (const item of p.items) if (item.kind === "component") this.checkOverrides(item, scope);
    const items: Item[] = [];
    for (const item of p.items) {
      if (item.kind === "component") continue;
      if (item.kind === "init") items.push(...this.instantiate(item, scope, "", TOP, new Map(), []));
      else if (item.kind === "override")
        this.diagnostics.push(error("bad-override", ".override is only meaningful inside a component", item.span));
      else items.push(item);
    }
    return { items };
  }
}

/** Expands the program's component instances (a program without components is returned as it is). */
export function expandComponents(program: Program): { program: Program; diagnostics: Diagnostic[] } {
  if (!program.items.some((i) => i.kind === "component" || i.kind === "init" || i.kind === "override")) return { program, diagnostics: [] };
  const e = new Expander();
  const expanded = e.program(program);
  return { program: expanded, diagnostics: e.diagnostics };
}
