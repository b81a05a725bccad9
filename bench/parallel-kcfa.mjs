// Input facts for bench/parallel-kcfa.dl: the CPS program of Van Horn and
// Mairson's k-CFA lower bound, n nested functions each called twice, whose
// analysis with per-variable environments needs 2^n environments (k = 1).
// Labels follow programs/kcfa: calls and lambdas from 1 in preorder (a call,
// its operator, its operands; a lambda before its body), `let` desugared to an
// applied lambda, label 0 for halt.
//
//   node bench/parallel-kcfa.mjs N DIR      writes DIR/*.facts

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const v = (name) => ({ kind: "var", name });
const lam = (params, body) => ({ kind: "lambda", params, body });
const call = (fn, ...args) => ({ kind: "call", fn, args });
const halt = { kind: "halt" };
const let1 = (x, value, body) => call(lam([x], body), value);

/** The program with n levels: f_i (x_i, k_i) runs level i + 1, and is called twice, with two different lambdas. */
export function program(n) {
  const level = (i, k) => {
    if (i > n) {
      const ys = Array.from({ length: n }, (_, j) => `y${j + 1}`);
      return call(lam(ys, call(k, v("y1"))), ...Array.from({ length: n }, (_, j) => v(`x${j + 1}`)));
    }
    const f = v(`f${i}`);
    const second = call(f, lam([`b${i}`, `d${i}`], call(v(`d${i}`), v(`b${i}`))), lam([`v${i}`], call(k, v(`v${i}`))));
    const first = call(f, lam([`a${i}`, `c${i}`], call(v(`c${i}`), v(`a${i}`))), lam([`u${i}`], second));
    return let1(`f${i}`, lam([`x${i}`, `k${i}`], level(i + 1, v(`k${i}`))), first);
  };
  return level(1, halt);
}

export function facts(root, k) {
  const f = {
    start: [],
    arity: [],
    argVar: [],
    argLam: [],
    argHalt: [],
    lamArity: [],
    param: [],
    body: [],
    freeVar: [],
    bindDepth: [],
    k: [[k]],
  };
  let next = 1;
  const label = (node) => (node.label = next++);
  const free = (node, bound) => {
    if (node.kind === "var") return bound.has(node.name) ? [] : [node.name];
    if (node.kind === "halt") return [];
    if (node.kind === "lambda") return free(node.body, new Set([...bound, ...node.params]));
    return [node.fn, ...node.args].flatMap((a) => free(a, bound));
  };
  const visit = (node, depth) => {
    if (node.kind === "call") {
      label(node);
      f.arity.push([node.label, node.args.length]);
      [node.fn, ...node.args].forEach((a) => visit(a, depth));
      [node.fn, ...node.args].forEach((a, i) => {
        if (a.kind === "var") f.argVar.push([node.label, i, a.name]);
        else if (a.kind === "lambda") f.argLam.push([node.label, i, a.label]);
        else f.argHalt.push([node.label, i]);
      });
    } else if (node.kind === "lambda") {
      label(node);
      f.lamArity.push([node.label, node.params.length]);
      node.params.forEach((p, i) => {
        f.param.push([node.label, i + 1, p]);
        f.bindDepth.push([p, depth]);
      });
      visit(node.body, depth + 1);
      f.body.push([node.label, node.body.label]);
      for (const x of new Set(free(node, new Set()))) f.freeVar.push([node.label, x]);
    }
  };
  visit(root, 0);
  f.start.push([root.label]);
  return f;
}

export function writeFacts(n, dir, k = 1) {
  mkdirSync(dir, { recursive: true });
  for (const [rel, rows] of Object.entries(facts(program(n), k))) {
    writeFileSync(join(dir, `${rel}.facts`), rows.map((r) => r.join("\t")).join("\n") + (rows.length ? "\n" : ""));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) writeFacts(Number(process.argv[2]), process.argv[3]);
