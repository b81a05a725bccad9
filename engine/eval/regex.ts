// The regular expressions of `match`, run in time linear in the text: a
// pattern is parsed (ECMAScript syntax, as Soufflé's std::regex reads it) into
// a Thompson automaton, which is run over the text's code points keeping the
// set of states reachable so far, so that no pattern can backtrack its way into
// exponential time ("(a+)+$" over "aaaa…!"). What a backtracking engine alone
// could do — backreferences, lookaround, word boundaries, Unicode properties —
// is refused with UnsupportedPattern, and so is a pattern whose automaton
// would exceed MAX_STATES; a match that would visit more than MAX_STEPS
// states stops with UnsupportedPattern as well.

/** States an automaton may have (a counted repetition is unrolled: `a{1,1000}` takes about 2,000). */
export const MAX_STATES = 20_000;
/** States one match may visit, summed over the text's characters (at most the text's length times the automaton's size). */
export const MAX_STEPS = 100_000_000;
/** Groups nested in groups a pattern may have. */
const MAX_DEPTH = 500;
const MAX_CODE_POINT = 0x10ffff;

/** A pattern match cannot run in linear time, or would take too much work: the reason is the message. */
export class UnsupportedPattern extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedPattern";
  }
}

/** A set of code points: sorted, disjoint, non-adjacent inclusive ranges [lo0, hi0, lo1, hi1, …]. */
type CodePoints = readonly number[];

type Node =
  | { readonly k: "set"; readonly set: CodePoints }
  | { readonly k: "cat"; readonly items: readonly Node[] }
  | { readonly k: "alt"; readonly items: readonly Node[] }
  | { readonly k: "rep"; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly k: "start" }
  | { readonly k: "end" };

function normalise(ranges: number[]): CodePoints {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i]!, ranges[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    if (out.length > 0 && lo <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(set: CodePoints): CodePoints {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i]! > next) out.push(next, set[i]! - 1);
    next = set[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

const DIGIT: CodePoints = [0x30, 0x39];
const WORD: CodePoints = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
/** What `\s` matches in ECMAScript: white space and line terminators. */
const SPACE: CodePoints = normalise([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000,
  0xfeff, 0xfeff,
]);
const ANY: CodePoints = [0, MAX_CODE_POINT];

const CLASS_ESCAPES: Record<string, CodePoints> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};

const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

/** Parses a pattern that JavaScript's own parser accepted in Unicode mode. */
class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly p: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.p.length) throw new UnsupportedPattern(`unexpected "${this.p[this.i]}" at ${this.i + 1}`);
    return node;
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.p[this.i] === "|") {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { k: "alt", items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.p.length && this.p[this.i] !== "|" && this.p[this.i] !== ")") items.push(this.quantified(this.atom()));
    return { k: "cat", items };
  }

  private quantified(node: Node): Node {
    for (;;) {
      const c = this.p[this.i];
      let min: number;
      let max: number;
      if (c === "*") [min, max] = [0, Infinity];
      else if (c === "+") [min, max] = [1, Infinity];
      else if (c === "?") [min, max] = [0, 1];
      else if (c === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
        if (!m) return node;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      // A lazy quantifier matches the same whole strings as a greedy one.
      if (this.p[this.i] === "?") this.i++;
      node = { k: "rep", node, min, max };
    }
  }

  private atom(): Node {
    const p = this.p;
    const c = p[this.i]!;
    if (c === "(") {
      this.i++;
      if (p.startsWith("?:", this.i)) this.i += 2;
      else if (/^\?<[A-Za-z_$]/.test(p.slice(this.i, this.i + 3))) this.i = p.indexOf(">", this.i) + 1;
      else if (p[this.i] === "?") throw new UnsupportedPattern("lookahead and lookbehind are not supported");
      if (++this.depth > MAX_DEPTH) throw new UnsupportedPattern(`groups are nested more than ${MAX_DEPTH} deep`);
      const inner = this.alternation();
      this.depth--;
      this.i++; // the ")"
      return inner;
    }
    this.i++;
    if (c === ".") return { k: "set", set: ANY };
    if (c === "^") return { k: "start" };
    if (c === "$") return { k: "end" };
    if (c === "[") return { k: "set", set: this.bracket() };
    if (c === "\\") return { k: "set", set: this.escape(false) };
    this.i--;
    return { k: "set", set: this.single(this.codePoint()) };
  }

  private codePoint(): number {
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private single(cp: number): CodePoints {
    return [cp, cp];
  }

  /** A class `[…]` (its "[" read): its code points. */
  private bracket(): CodePoints {
    const p = this.p;
    const negated = p[this.i] === "^";
    if (negated) this.i++;
    const ranges: number[] = [];
    while (p[this.i] !== "]") {
      const lo = p[this.i] === "\\" ? (this.i++, this.escape(true)) : this.single(this.codePoint());
      if (p[this.i] === "-" && p[this.i + 1] !== "]" && lo.length === 2 && lo[0] === lo[1]) {
        this.i++;
        const hi = p[this.i] === "\\" ? (this.i++, this.escape(true)) : this.single(this.codePoint());
        ranges.push(lo[0]!, hi[0]!);
      } else ranges.push(...lo);
    }
    this.i++;
    const set = normalise(ranges);
    return negated ? complement(set) : set;
  }

  /** An escape (its "\" read), in a class or not: its code points. */
  private escape(inClass: boolean): CodePoints {
    const p = this.p;
    const c = p[this.i]!;
    this.i++;
    const cls = CLASS_ESCAPES[c];
    if (cls) return cls;
    const control = CONTROL_ESCAPES[c];
    if (control !== undefined) return this.single(control);
    if (c === "b" && inClass) return this.single(8);
    if (c === "b" || c === "B") throw new UnsupportedPattern("word boundaries (\\b, \\B) are not supported");
    if (c === "p" || c === "P") throw new UnsupportedPattern("Unicode property escapes (\\p{…}) are not supported");
    if (c === "k" || (c >= "1" && c <= "9")) throw new UnsupportedPattern("backreferences are not supported");
    if (c === "0") return this.single(0);
    if (c === "c") return this.single(p.charCodeAt(this.i++) % 32);
    if (c === "x") {
      this.i += 2;
      return this.single(Number.parseInt(p.slice(this.i - 2, this.i), 16));
    }
    if (c === "u") {
      if (p[this.i] === "{") {
        const close = p.indexOf("}", this.i);
        const cp = Number.parseInt(p.slice(this.i + 1, close), 16);
        this.i = close + 1;
        return this.single(cp);
      }
      const unit = Number.parseInt(p.slice(this.i, this.i + 4), 16);
      this.i += 4;
      // A surrogate pair written as two escapes is one code point.
      const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(p.slice(this.i));
      if (unit >= 0xd800 && unit <= 0xdbff && low) {
        this.i += 6;
        return this.single(0x10000 + ((unit - 0xd800) << 10) + (Number.parseInt(low[1]!, 16) - 0xdc00));
      }
      return this.single(unit);
    }
    // An identity escape of a syntax character (`\.`, `\*`, `\-`, …).
    this.i--;
    return this.single(this.codePoint());
  }
}

/** The automaton's state kinds. */
const SET = 0;
const SPLIT = 1;
const START = 2;
const END = 3;
const MATCH = 4;

/** A Thompson automaton under construction: states with up to two successors. */
class Builder {
  readonly kind: number[] = [];
  readonly out: number[] = [];
  readonly alt: number[] = [];
  readonly sets: (CodePoints | undefined)[] = [];

  state(kind: number, set?: CodePoints): number {
    if (this.kind.length >= MAX_STATES) throw new UnsupportedPattern(`the pattern needs more than ${MAX_STATES} states`);
    this.kind.push(kind);
    this.out.push(-1);
    this.alt.push(-1);
    this.sets.push(set);
    return this.kind.length - 1;
  }

  /** Builds `node` so that it continues to state `next`; returns its entry state. */
  build(node: Node, next: number): number {
    switch (node.k) {
      case "set": {
        const s = this.state(SET, node.set);
        this.out[s] = next;
        return s;
      }
      case "start":
      case "end": {
        const s = this.state(node.k === "start" ? START : END);
        this.out[s] = next;
        return s;
      }
      case "cat": {
        let entry = next;
        for (let i = node.items.length - 1; i >= 0; i--) entry = this.build(node.items[i]!, entry);
        return entry;
      }
      case "alt": {
        let entry = this.build(node.items[node.items.length - 1]!, next);
        for (let i = node.items.length - 2; i >= 0; i--) {
          const s = this.state(SPLIT);
          this.out[s] = this.build(node.items[i]!, next);
          this.alt[s] = entry;
          entry = s;
        }
        return entry;
      }
      case "rep": {
        let entry = next;
        if (node.max === Infinity) {
          // A loop: the split either enters the body, which comes back to it, or leaves.
          const loop = this.state(SPLIT);
          this.out[loop] = this.build(node.node, loop);
          this.alt[loop] = next;
          entry = loop;
        } else {
          for (let i = node.min; i < node.max; i++) {
            const s = this.state(SPLIT);
            this.out[s] = this.build(node.node, entry);
            this.alt[s] = next;
            entry = s;
          }
        }
        for (let i = 0; i < node.min; i++) entry = this.build(node.node, entry);
        return entry;
      }
    }
  }
}

/** A compiled pattern: test() says whether it matches the whole of a string. */
export class Matcher {
  private readonly kind: Int8Array;
  private readonly out: Int32Array;
  private readonly alt: Int32Array;
  private readonly sets: readonly (CodePoints | undefined)[];
  private readonly entry: number;
  /** The state lists of one match and the marks that keep a state from entering a list twice. */
  private current: Int32Array;
  private next: Int32Array;
  private readonly mark: Int32Array;
  private readonly stack: Int32Array;
  private generation = 0;

  constructor(root: Node) {
    const b = new Builder();
    const match = b.state(MATCH);
    this.entry = b.build(root, match);
    const n = b.kind.length;
    this.kind = Int8Array.from(b.kind);
    this.out = Int32Array.from(b.out);
    this.alt = Int32Array.from(b.alt);
    this.sets = b.sets;
    this.current = new Int32Array(n);
    this.next = new Int32Array(n);
    this.mark = new Int32Array(n);
    this.stack = new Int32Array(2 * n + 2);
  }

  /** Adds state `s` and what it reaches without reading (at text position `at` of `length`) to `list` of `size` states; returns the new size. */
  private add(list: Int32Array, size: number, s: number, at: number, length: number): number {
    const { kind, out, alt, mark, stack } = this;
    const gen = this.generation;
    let top = 0;
    stack[top++] = s;
    while (top > 0) {
      const t = stack[--top]!;
      if (t < 0 || mark[t] === gen) continue;
      mark[t] = gen;
      switch (kind[t]) {
        case SPLIT:
          stack[top++] = alt[t]!;
          stack[top++] = out[t]!;
          break;
        case START:
          if (at === 0) stack[top++] = out[t]!;
          break;
        case END:
          if (at === length) stack[top++] = out[t]!;
          break;
        default:
          list[size++] = t;
      }
    }
    return size;
  }

  /** Whether the pattern matches all of `text`; throws UnsupportedPattern once more than `maxSteps` states were visited. */
  test(text: string, maxSteps = MAX_STEPS): boolean {
    const length = text.length;
    const { out, sets, kind } = this;
    this.generation++;
    let size = this.add(this.current, 0, this.entry, 0, length);
    let steps = 0;
    for (let at = 0; at < length && size > 0; ) {
      steps += size;
      if (steps > maxSteps) {
        throw new UnsupportedPattern(`matching a string of ${length} characters took more than ${maxSteps} steps`);
      }
      const cp = text.codePointAt(at)!;
      at += cp > 0xffff ? 2 : 1;
      this.generation++;
      let nextSize = 0;
      for (let k = 0; k < size; k++) {
        const s = this.current[k]!;
        if (kind[s] === SET && contains(sets[s]!, cp)) nextSize = this.add(this.next, nextSize, out[s]!, at, length);
      }
      [this.current, this.next] = [this.next, this.current];
      size = nextSize;
    }
    for (let k = 0; k < size; k++) if (kind[this.current[k]!] === MATCH) return true;
    return false;
  }
}

function contains(set: CodePoints, cp: number): boolean {
  let lo = 0;
  let hi = (set.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < set[2 * mid]!) hi = mid - 1;
    else if (cp > set[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * The matcher of `pattern` (matching whole strings), or null when the pattern
 * is not a valid regular expression; throws UnsupportedPattern for a valid one
 * that needs backtracking or is too large.
 */
export function compilePattern(pattern: string): Matcher | null {
  try {
    // JavaScript's parser decides what is valid; Unicode mode rejects the lenient syntax (a lone `{x}`) that std::regex rejects too.
    new RegExp(pattern, "u");
  } catch {
    return null;
  }
  return new Matcher(new Parser(pattern).parse());
}
