// Runtime helpers that generated rule code calls for operations that are not
// single JavaScript operators: Soufflé's integer division and power, float
// arithmetic on float32 bits, string functors over the symbol table (match
// through the linear-time matcher of regex.ts).

import type { Span } from "../../lang/span.js";
import type { SymbolTable } from "../storage/symbols.js";
import type { ValueTable } from "../lattices/value-table.js";
import { RecordTable } from "../storage/records.js";
import { rangePlan } from "./range.js";
import { bitsOfFloat, floatOfBits } from "../storage/values.js";
import { compilePattern, type Matcher, UnsupportedPattern } from "./regex.js";

/** A run-time failure of a program (division by zero, a bad to_number), reported with the rule's location. */
export class EvaluationError extends Error {
  constructor(
    message: string,
    /** The rule that was being evaluated, once known. */
    readonly span?: Span,
  ) {
    super(message);
    this.name = "EvaluationError";
  }
}

export type Functors = ReturnType<typeof makeFunctors>;

function parseInteger(s: string): number | undefined {
  const t = s.trim();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return t.startsWith("-") ? -Number(t.slice(1)) : Number(t.replace(/^\+/, ""));
  if (/^[+-]?0b[01]+$/i.test(t)) return t.startsWith("-") ? -Number(t.slice(1)) : Number(t.replace(/^\+/, ""));
  return undefined;
}

/** std::regex's POSIX bracket classes ([[:digit:]]) in JavaScript's terms. */
const POSIX_CLASSES: Record<string, string> = {
  digit: "\\d",
  alpha: "a-zA-Z",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: "\\s",
  xdigit: "0-9a-fA-F",
  word: "\\w",
  w: "\\w",
  d: "\\d",
  s: "\\s",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  cntrl: "\\x00-\\x1f\\x7f",
  print: "\\x20-\\x7e",
  graph: "\\x21-\\x7e",
};

function posixClasses(pattern: string): string {
  return pattern.replace(/\[:(\w+):\]/g, (m, name: string) => POSIX_CLASSES[name] ?? m);
}

/** A user functor's implementation, given through the API: plain values in, a plain value out. */
export type UserFunctor = (...args: (number | string)[]) => number | string;

/** Symbol ids below this pair up into one exact JavaScript number (cat2's memo key). */
const PAIR_LIMIT = 1 << 26;

export function makeFunctors(symbols: SymbolTable, values: ValueTable, records: RecordTable = new RecordTable()) {
  const regexCache = new Map<number, Matcher | null | UnsupportedPattern>();
  const catMemo = new Map<number, number>();
  const regexOf = (id: number): Matcher | null => {
    let re = regexCache.get(id);
    if (re === undefined) {
      try {
        re = compilePattern(posixClasses(symbols.text(id)));
      } catch (e) {
        if (!(e instanceof UnsupportedPattern)) throw e;
        re = e;
      }
      regexCache.set(id, re);
    }
    if (re instanceof UnsupportedPattern) throw unsupported(id, re);
    return re;
  };
  const unsupported = (id: number, e: UnsupportedPattern) => new EvaluationError(`match: pattern ${shownText(id)}: ${e.message}`);
  const shownText = (id: number) => {
    const t = symbols.text(id);
    return JSON.stringify(t.length > 60 ? `${t.slice(0, 60)}…` : t);
  };
  const text = (id: number) => symbols.text(id);
  const fv = floatOfBits;
  const fb = bitsOfFloat;
  return {
    /** User functors by name, wrapped to take and return cells (filled in by the runner). */
    user: {} as Record<string, (...cells: number[]) => number>,
    fv,
    fb,
    range: rangePlan,
    // Records (engine/storage/records.ts): packing fields into an id, reading one back.
    pack1: (a: number) => records.pack1(a),
    pack2: (a: number, b: number) => records.pack2(a, b),
    pack3: (a: number, b: number, c: number) => records.pack3(a, b, c),
    pack4: (a: number, b: number, c: number, d: number) => records.pack4(a, b, c, d),
    packv: (fields: readonly number[]) => records.pack(fields.length, fields),
    field: (id: number, arity: number, i: number) => records.field(id, arity, i),
    idiv(a: number, b: number): number {
      if (b === 0) throw new EvaluationError("division by zero");
      return (a / b) | 0;
    },
    imod(a: number, b: number): number {
      if (b === 0) throw new EvaluationError("modulo by zero");
      return (a % b) | 0;
    },
    udiv(a: number, b: number): number {
      if (b === 0) throw new EvaluationError("division by zero");
      return ((a >>> 0) / (b >>> 0)) | 0;
    },
    umod(a: number, b: number): number {
      if (b === 0) throw new EvaluationError("modulo by zero");
      return ((a >>> 0) % (b >>> 0)) | 0;
    },
    ipow(a: number, b: number): number {
      if (b < 0) return Math.trunc(a ** b) | 0;
      let r = 1;
      let base = a | 0;
      let e = b;
      while (e > 0) {
        if (e & 1) r = Math.imul(r, base);
        base = Math.imul(base, base);
        e >>>= 1;
      }
      return r;
    },
    upow(a: number, b: number): number {
      let r = 1;
      let base = a | 0;
      let e = b >>> 0;
      while (e > 0) {
        if (e & 1) r = Math.imul(r, base);
        base = Math.imul(base, base);
        e >>>= 1;
      }
      return r;
    },
    fpow: (a: number, b: number) => fb(fv(a) ** fv(b)),
    cat: (...ids: number[]) => symbols.intern(ids.map(text).join("")),
    /**
     * cat of two symbols, remembered by their ids: rules that build names
     * (contexts, paths) derive the same pair again and again, and a hit skips
     * building and hashing the string.
     */
    cat2(a: number, b: number): number {
      if (a >= PAIR_LIMIT || b >= PAIR_LIMIT) return symbols.intern(text(a) + text(b));
      const key = a * PAIR_LIMIT + b;
      let id = catMemo.get(key);
      if (id === undefined) {
        id = symbols.intern(text(a) + text(b));
        catMemo.set(key, id);
      }
      return id;
    },
    strlen: (a: number) => text(a).length,
    // As std::string::substr: a start outside the string gives "" (Soufflé warns), a negative length is huge.
    substr(s: number, start: number, len: number): number {
      const t = text(s);
      if (start < 0 || start > t.length) return symbols.intern("");
      return symbols.intern(len < 0 ? t.slice(start) : t.substr(start, len));
    },
    ord: (a: number) => a,
    toNumber(a: number): number {
      const n = parseInteger(text(a));
      if (n === undefined) throw new EvaluationError(`to_number: "${text(a)}" is not a number`);
      if (n < -2147483648 || n > 2147483647) {
        throw new EvaluationError(`to_number: "${text(a)}" is out of range for number (-2147483648 to 2147483647)`);
      }
      return n | 0;
    },
    /** A negative number wraps around (as Soufflé's conversion does); a magnitude beyond 32 bits is an error. */
    toUnsigned(a: number): number {
      const n = parseInteger(text(a));
      if (n === undefined) throw new EvaluationError(`to_unsigned: "${text(a)}" is not a number`);
      if (n < -2147483648 || n > 4294967295) {
        throw new EvaluationError(`to_unsigned: "${text(a)}" is out of range for unsigned (0 to 4294967295)`);
      }
      return n | 0;
    },
    toFloatOfSymbol(a: number): number {
      const n = Number(text(a).trim());
      if (Number.isNaN(n)) throw new EvaluationError(`to_float: "${text(a)}" is not a number`);
      return fb(n);
    },
    numberToString: (a: number) => symbols.intern(String(a)),
    unsignedToString: (a: number) => symbols.intern(String(a >>> 0)),
    // Soufflé converts with std::to_string, which prints six decimals.
    floatToString: (a: number) => symbols.intern(fv(a).toFixed(6)),
    contains: (sub: number, s: number) => text(s).includes(text(sub)),
    /** 1 when `s` matches the pattern, 0 when not, -1 when the pattern is invalid. */
    match(re: number, s: number): number {
      const r = regexOf(re);
      if (r === null) return -1;
      try {
        return r.test(text(s)) ? 1 : 0;
      } catch (e) {
        if (e instanceof UnsupportedPattern) throw unsupported(re, e);
        throw e;
      }
    },
    /** The set {cell}. */
    singleton: (cell: number) => values.intern(Int32Array.of(cell)),
    /** The pair (a, b) of two lattice values. */
    pair: (a: number, b: number) => values.intern(Int32Array.of(a, b)),
    first: (p: number) => values.get(p)[0]!,
    second: (p: number) => values.get(p)[1]!,
    /** The number of elements of a set value. */
    setSize: (id: number) => values.get(id).length,
    /** Whether a set value holds `cell`. */
    member(cell: number, id: number): boolean {
      const v = values.get(id);
      let lo = 0,
        hi = v.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (v[mid] === cell) return true;
        if (v[mid]! < cell) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    },
    scmp(a: number, b: number): number {
      if (a === b) return 0;
      const x = text(a);
      const y = text(b);
      return x < y ? -1 : x > y ? 1 : 0;
    },
    smin: (a: number, b: number) => (text(a) <= text(b) ? a : b),
    smax: (a: number, b: number) => (text(a) >= text(b) ? a : b),
    fmin: (a: number, b: number) => (fv(a) <= fv(b) ? a : b),
    fmax: (a: number, b: number) => (fv(a) >= fv(b) ? a : b),
    umin: (a: number, b: number) => (a >>> 0 <= b >>> 0 ? a : b),
    umax: (a: number, b: number) => (a >>> 0 >= b >>> 0 ? a : b),
  };
}
