// Semantic actions for the top level: declarations (relations with their column
// types, types, functors, lattices), directives, pragmas, facts and rules, and
// the Soufflé items Cairn does not support yet.

import type { ActionDict, Node } from "ohm-js";
import type { AdtBranch, Atom, Attribute, ComponentRef, DirectiveKind, Item, PlanEntry, Term, TypeRef } from "../ast.js";
import type { Dnf } from "./body.js";
import type { Span } from "../span.js";
import { cx } from "./context.js";
import {
  attributeNode,
  declNodes,
  directiveNodes,
  factNode,
  functorNode,
  LATTICE_OPS,
  latticeNode,
  latticeOpNode,
  pragmaNode,
  ruleNode,
  componentNode,
  initNode,
  overrideNode,
  subsumptionNode,
  typeRefNode,
  type LatticeOpNode,
} from "./nodes.js";
import { ast, list, stringValue } from "./terms.js";

function typeRef(node: Node, name = node.sourceString): TypeRef {
  return typeRefNode(name, undefined, cx().span(node));
}

function unsupportedItem(this: Node, feature: string, plural = true): Item[] {
  cx().unsupported(feature, cx().span(this), plural);
  return [];
}

/** The AST of an Item node, or nothing when the item used an unsupported feature: its diagnostic says why. */
export function supportedItems(item: Node): Item[] {
  const ctx = cx();
  const before = ctx.unsupportedCount;
  const produced = ast<Item[]>(item);
  return ctx.unsupportedCount === before ? produced : [];
}

export const itemActions: ActionDict<unknown> = {
  Program(items, _end) {
    return { items: items.children.flatMap(supportedItems) };
  },

  RelationDecl_relations(_kw, names, _l, attrs, _r, qualifiers, choice) {
    const attributes = list<Attribute>(attrs);
    const quals = qualifiers.children.map((q) => q.sourceString);
    const named = names.asIteration().children.map((n) => ({ name: n.sourceString, span: cx().span(n) }));
    const decls = declNodes(named, attributes, quals, cx().span(this));
    if (choice.numChildren === 0) return decls;
    const choiceDomain = ast<{ columns: string[]; span: Span }[]>(choice.children[0]!);
    return decls.map((d) => ({ ...d, choiceDomain }));
  },
  ChoiceDomain(_kw, deps) {
    return list<{ columns: string[]; span: Span }>(deps);
  },
  Dependency_single(name) {
    return { columns: [name.sourceString], span: cx().span(this) };
  },
  Dependency_several(_l, names, _r) {
    return { columns: names.asIteration().children.map((n) => n.sourceString), span: cx().span(this) };
  },
  RelationDecl_debugDelta(_kw, _name, _eq, _dd, _l, _of, _r, _quals) {
    return unsupportedItem.call(this, "debug_delta relations");
  },
  Attribute(name, _colon, type): Attribute {
    return attributeNode(name.sourceString, ast<TypeRef>(type), cx().span(this));
  },
  AttrType_lattice(name, _lt, args, _gt): TypeRef {
    return typeRefNode(name.sourceString, list<TypeRef>(args), cx().span(this));
  },
  AttrType_plain(name): TypeRef {
    return typeRef(name);
  },

  TypeDecl_subtype(_kw, name, _op, of) {
    return [{ kind: "type", name: name.sourceString, form: "subtype", of: [typeRef(of)], span: cx().span(this) }];
  },
  TypeDecl_record(_kw, name, _eq, record) {
    return [{ kind: "type", name: name.sourceString, form: "record", of: [], fields: ast<Attribute[]>(record), span: cx().span(this) }];
  },
  RecordType(_l, fields, _r): Attribute[] {
    return list<Attribute>(fields);
  },
  TypeDecl_adt(_kw, name, _eq, branches) {
    return [{ kind: "type", name: name.sourceString, form: "adt", of: [], branches: list<AdtBranch>(branches), span: cx().span(this) }];
  },
  AdtBranch(name, _l, fields, _r): AdtBranch {
    return { name: name.sourceString, fields: list<Attribute>(fields), span: cx().span(this) };
  },
  TypeDecl_union(_kw, name, _eq, alternatives) {
    const of = alternatives.asIteration().children.map((n) => typeRef(n));
    const form = of.length === 1 ? "equivalence" : "union";
    return [{ kind: "type", name: name.sourceString, form, of, span: cx().span(this) }];
  },
  TypeDecl_bare(_kw, name) {
    // `.type A` is the old spelling of `.type A <: symbol`.
    return [{ kind: "type", name: name.sourceString, form: "subtype", of: [typeRef(name, "symbol")], span: cx().span(this) }];
  },
  TypeDecl_number(kw, name) {
    return [{ kind: "type", name: name.sourceString, form: "subtype", of: [typeRef(kw, "number")], span: cx().span(this) }];
  },
  TypeDecl_symbol(kw, name) {
    return [{ kind: "type", name: name.sourceString, form: "subtype", of: [typeRef(kw, "symbol")], span: cx().span(this) }];
  },

  IODirective(kw, names, paramsOpt) {
    const directive = kw.sourceString.slice(1) as DirectiveKind;
    const pairs = paramsOpt.children.flatMap((p) => ast<[string, string][]>(p));
    const named = names.asIteration().children.map((n) => ({ name: n.sourceString, span: cx().span(n) }));
    return directiveNodes(directive, named, pairs, cx().span(this));
  },
  IOParams(_l, pairs, _r) {
    return list<[string, string]>(pairs);
  },
  KeyValue(key, _eq, value) {
    return [key.sourceString, ast<string>(value)];
  },
  paramValue(value) {
    return value.ctorName === "stringLit" ? stringValue(value) : value.sourceString;
  },

  Pragma(_kw, key, valueOpt) {
    const value = valueOpt.children[0];
    const keyText = stringValue(key);
    return [pragmaNode(keyText, value ? stringValue(value) : undefined, cx().span(this))];
  },

  ComponentDecl(_kw, type, _seps, bases, _l, items, _r) {
    const body = items.children.flatMap((i) => ast<Item[]>(i));
    return [
      componentNode(
        ast<ComponentRef>(type),
        bases.children.map((b) => ast<ComponentRef>(b)),
        body,
        cx().span(this),
      ),
    ];
  },
  ComponentType(name, params): ComponentRef {
    const args = params.children.flatMap((p) => p.children[1]!.asIteration().children.map((a) => a.sourceString));
    return { name: name.sourceString, args, span: cx().span(this) };
  },
  ComponentInit(_kw, name, _eq, type) {
    return [initNode(name.sourceString, ast<ComponentRef>(type), cx().span(this))];
  },
  Override(_kw, name) {
    return [overrideNode(name.sourceString, cx().span(this))];
  },
  FunctorDecl(_kw, name, _l, params, _r, _colon, result, qualifiers) {
    const quals = qualifiers.children.map((q) => q.sourceString);
    return [functorNode(name.sourceString, list<Attribute>(params), typeRef(result), quals, cx().span(this))];
  },
  FunctorParam_named(name, _colon, type): Attribute {
    return attributeNode(name.sourceString, typeRef(type), cx().span(this));
  },
  FunctorParam_bare(type): Attribute {
    return attributeNode("", typeRef(type), cx().span(this));
  },
  LatticeDecl(_kw, name, _lt, _gt, _l, ops, _r) {
    const read = ops.asIteration().children.map((o) => ast<LatticeOpNode | undefined>(o));
    return [
      latticeNode(
        name.sourceString,
        read.filter((o): o is LatticeOpNode => o !== undefined),
        cx().span(this),
      ),
    ];
  },
  LatticeOp(name, _arrow, term): LatticeOpNode | undefined {
    const op = name.sourceString;
    const value = ast<Term>(term);
    if (!LATTICE_OPS.has(op)) {
      cx().syntax(`unknown lattice operator "${op}" (expected Bottom, Top, Lub or Glb)`, cx().span(name));
      return undefined;
    }
    return latticeOpNode(op as LatticeOpNode["op"], value, cx().span(this));
  },

  Fact(atom, _dot) {
    return [factNode(ast<Atom>(atom), cx().span(this))];
  },
  Rule(heads, _if, body, dot, plan) {
    const entries = plan.children.length > 0 ? ast<PlanEntry[]>(plan.children[0]!) : undefined;
    return [ruleNode(list<Atom>(heads), ast<Dnf>(body), cx().spanFrom(this, dot), entries)];
  },
  QueryPlan(_kw, entries): PlanEntry[] {
    return list<PlanEntry>(entries);
  },
  PlanEntry(version, _colon, _l, order, _r): PlanEntry {
    return {
      version: Number(version.sourceString),
      order: order.asIteration().children.map((d) => Number(d.sourceString)),
      span: cx().span(this),
    };
  },
  Subsumption(dominated, _le, dominating, _if, body, dot, _plan) {
    return [subsumptionNode(ast<Atom>(dominated), ast<Atom>(dominating), ast<Dnf>(body), cx().spanFrom(this, dot))];
  },
};
