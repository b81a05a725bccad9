// The frame format: what is encoded decodes to the same message, and anything
// malformed (another magic, version or type, a length that does not match the
// counts, bad MessagePack, an unknown control message, too many bytes) is refused
// with a WireError before any of it is used.

import { describe, expect, it } from "vitest";
import { compile } from "../../index.js";
import { RowWire } from "../../distributed/row-wire.js";
import { SymbolWire } from "../../distributed/symbol-wire.js";
import { pairOf } from "../../engine/lattices/pair.js";
import { setOf } from "../../engine/lattices/set.js";
import { ValueTable } from "../../engine/lattices/value-table.js";
import { ownerOfCell } from "../../engine/parallel/partition.js";
import { SymbolTable } from "../../engine/storage/symbols.js";
import { RecordTable } from "../../engine/storage/records.js";
import { RecordText } from "../../engine/storage/record-text.js";
import {
  ack,
  BUNDLE_BYTES,
  bundle,
  decode,
  encode,
  framesOf,
  linkFrame,
  MAX_FRAME_BYTES,
  numbered,
  PROTOCOL_VERSION,
  ROWS_PER_FRAME,
  rowsFrames,
  WireError,
} from "../../distributed/wire.js";

describe("frames", () => {
  it("round-trips rows and control messages", () => {
    const cells = Int32Array.from([1, -2, 2147483647, -2147483648, 0, 7]);
    const rows = decode(encode({ t: "rows", seq: 4_000_000_000, relation: 3, count: 2, arity: 3, cells }));
    expect(rows).toEqual({ t: "rows", seq: 4_000_000_000, relation: 3, count: 2, arity: 3, cells });
    const status = { t: "status", phase: 2, wave: 7, sent: 10, received: 9 } as const;
    expect(decode(encode(status))).toEqual(status);
  });

  it("lays a rows frame out as specified: CR, version, type 1, six little-endian u32s, the cells, the value words, the strings", () => {
    const values = Int32Array.from([1, -3]);
    const bytes = encode({ t: "rows", seq: 1, relation: 2, count: 1, arity: 2, cells: Int32Array.from([5, -1]), strings: ["é"], values });
    expect([...bytes]).toEqual([
      0x43,
      0x52,
      PROTOCOL_VERSION,
      1,
      1,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      5,
      0,
      0,
      0,
      255,
      255,
      255,
      255,
      1,
      0,
      0,
      0,
      253,
      255,
      255,
      255,
      2,
      0,
      0,
      0,
      0xc3,
      0xa9,
    ]);
    expect(decode(bytes)).toEqual({
      t: "rows",
      seq: 1,
      relation: 2,
      count: 1,
      arity: 2,
      cells: Int32Array.from([5, -1]),
      strings: ["é"],
      values,
    });
  });

  it("splits many rows into numbered frames of at most ROWS_PER_FRAME rows", () => {
    let seq = 10;
    const n = ROWS_PER_FRAME * 2 + 5;
    const frames = rowsFrames(
      0,
      1,
      new Int32Array(n).map((_, i) => i),
      n,
      () => seq++,
    );
    expect(frames.map((f) => [f.seq, f.count])).toEqual([
      [10, ROWS_PER_FRAME],
      [11, ROWS_PER_FRAME],
      [12, 5],
    ]);
    expect(frames[2]!.cells[4]).toBe(n - 1);
  });

  it("bundles a destination's frames into one message and splits them back", () => {
    const a = encode({ t: "status", phase: 0, wave: -1, sent: 1, received: 2 });
    const b = encode({ t: "rows", seq: 3, relation: 1, count: 1, arity: 1, cells: Int32Array.from([9]) });
    expect(bundle([a])).toEqual([a]);
    const [one, ...more] = bundle([a, b]);
    expect(more).toEqual([]);
    expect(framesOf(one!)).toEqual([a, b]);
    expect(framesOf(a)).toEqual([a]);
    // Past BUNDLE_BYTES, a new bundle starts.
    const big = new Uint8Array(BUNDLE_BYTES / 2 + 1);
    expect(bundle([big, big, big]).map((m) => framesOf(m).length)).toEqual([1, 1, 1]);
  });

  it("refuses a bundle whose parts overrun it, or that holds a bundle", () => {
    const a = encode({ t: "end" });
    const [two] = bundle([a, a]);
    expect(() => framesOf(two!.subarray(0, two!.length - 1))).toThrow(/overruns the bundle/);
    const [nested] = bundle([two!, a]);
    expect(() => framesOf(nested!)).toThrow(/bundle inside a bundle/);
  });

  const refused: [string, Uint8Array, RegExp][] = [
    ["empty", new Uint8Array(0), /not a Cairn frame/],
    ["another magic", Uint8Array.from([0x47, 0x45, 0x54, 0x20]), /not a Cairn frame/],
    [
      "another version",
      Uint8Array.from([0x43, 0x52, PROTOCOL_VERSION + 1, 2, 0x7b, 0x7d]),
      new RegExp(`protocol version ${PROTOCOL_VERSION + 1}, expected ${PROTOCOL_VERSION}`),
    ],
    ["an unknown type", Uint8Array.from([0x43, 0x52, PROTOCOL_VERSION, 9]), /unknown frame type 9/],
    ["a short rows header", Uint8Array.from([0x43, 0x52, PROTOCOL_VERSION, 1, 0, 0]), /shorter than its header/],
    [
      "rows that do not match their counts",
      (() => {
        const b = encode({ t: "rows", seq: 0, relation: 0, count: 2, arity: 2, cells: new Int32Array(4) });
        return b.subarray(0, b.length - 4);
      })(),
      /does not hold 2 rows of 2 cells/,
    ],
    [
      "a string that overruns the frame",
      encode({ t: "rows", seq: 0, relation: 0, count: 1, arity: 1, cells: Int32Array.from([-1]), strings: ["abc"] }).subarray(0, 35),
      /string 0 overruns the frame/,
    ],
    [
      "a string that is not UTF-8",
      encode({ t: "rows", seq: 0, relation: 0, count: 1, arity: 1, cells: Int32Array.from([-1]), strings: ["a"] }).map((b, i, a) =>
        i === a.length - 1 ? 0xff : b,
      ),
      /string 0 is not UTF-8/,
    ],
    // 0xc1 is the one byte MessagePack never uses; a map cut short; a map followed by more bytes.
    ["control bytes that are not MessagePack", Uint8Array.from([0x43, 0x52, PROTOCOL_VERSION, 2, 0xc1]), /not MessagePack/],
    ["a control map cut short", encode({ t: "end" }).subarray(0, 9), /not MessagePack/],
    ["a control map with bytes after it", Uint8Array.from([...encode({ t: "end" }), 0x00]), /not MessagePack/],
    ["a control message that is not a map", Uint8Array.from([0x43, 0x52, PROTOCOL_VERSION, 2, 0x05]), /unknown control message/],
    ["an unknown control message", encode({ t: "end" }).map((b, i) => (i === 10 ? 0x78 : b)), /unknown control message/],
    ["too many bytes", new Uint8Array(MAX_FRAME_BYTES + 1), /over the 16777216-byte cap/],
  ];
  for (const [what, bytes, message] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => decode(bytes)).toThrow(WireError);
      expect(() => decode(bytes)).toThrow(message);
    });
  }
});

describe("link frames", () => {
  it("lay a numbered message out as CR, version, type 4, a little-endian u32, the message; an ack as type 5 and a u32", () => {
    const m = Uint8Array.of(9, 8, 7);
    expect([...numbered(0x01020304, m)]).toEqual([0x43, 0x52, PROTOCOL_VERSION, 4, 4, 3, 2, 1, 9, 8, 7]);
    expect([...ack(258)]).toEqual([0x43, 0x52, PROTOCOL_VERSION, 5, 2, 1, 0, 0]);
    expect(linkFrame(numbered(7, m))).toEqual({ t: "numbered", seq: 7, message: m });
    expect(linkFrame(ack(3))).toEqual({ t: "ack", next: 3 });
  });

  const refused: [string, Uint8Array, RegExp][] = [
    ["a frame shorter than a link header", Uint8Array.of(0x43, 0x52, PROTOCOL_VERSION, 4, 0, 0, 0), /not a Cairn link frame/],
    ["another version", Uint8Array.of(0x43, 0x52, PROTOCOL_VERSION + 1, 4, 0, 0, 0, 0), /protocol version/],
    ["a frame of another type", encode({ t: "end" }), /unknown frame type 2/],
    ["an ack with more bytes", Uint8Array.of(...ack(1), 0), /ack frame of the wrong length/],
  ];
  for (const [what, bytes, message] of refused) it(`refuse ${what}`, () => expect(() => linkFrame(bytes)).toThrow(message));
});

describe("the owner of a value", () => {
  // The specification in docs/distributed.md, written out independently.
  const spec = (cell: number, n: number) => {
    let h = Math.imul(0x2545f491 ^ cell, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    return Math.floor(((h >>> 0) / 2 ** 32) * n);
  };

  it("is the specified hash spread over the nodes, for any cell and node count", () => {
    for (const n of [1, 2, 3, 7, 32])
      for (const cell of [0, 1, -1, 42, 2147483647, -2147483648, 123456789])
        expect(ownerOfCell(cell, n), `${cell} of ${n}`).toBe(spec(cell, n));
  });

  it("has fixed values, whatever process or machine computes them", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((c) => ownerOfCell(c, 3))).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((c) => spec(c, 3)));
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((c) => ownerOfCell(c, 3))).toMatchInlineSnapshot(`
      [
        1,
        2,
        2,
        2,
        2,
        2,
        2,
        1,
      ]
    `);
  });
});

/** A program's rows wire between a sender and a receiver that took over the sender's first `base` symbols. */
function wires(text: string, base: string[]) {
  const program = compile(text, { file: "p.dl" }).checked;
  const sender = { symbols: new SymbolTable(), values: new ValueTable(), records: new RecordTable() };
  for (const s of base) sender.symbols.intern(s);
  const receiver = { symbols: new SymbolTable(), values: new ValueTable(), records: new RecordTable() };
  receiver.symbols.restore(sender.symbols.all());
  receiver.symbols.intern("other");
  receiver.values.intern(Int32Array.of(9, 9, 9));
  // The receiver's tables hold records of their own: the same value gets another id there.
  for (let i = 0; i < 5; i++) receiver.records.pack2(100 + i, i);
  receiver.records.pack1(77);
  const wire = (side: typeof sender) => new RowWire(program, new SymbolWire(side.symbols, base.length, 3), side.values, side.records);
  const recordText = (side: typeof sender) => new RecordText(program.structured ?? new Map(), side.records, side.symbols);
  return {
    program,
    sender,
    receiver,
    text: recordText,
    out: wire(sender),
    in: wire(receiver),
    symbols: (side: typeof sender) => new SymbolWire(side.symbols, base.length, 3),
  };
}

describe("symbols made during a run, on the wire", () => {
  it("travel as text and come back as the receiver's own ids; a table symbol keeps its id", () => {
    const w = wires(".decl r(s: symbol, n: number)", ["a", "b"]);
    const made = w.sender.symbols.intern("made");
    const out = w.out.out(0, Int32Array.from([made, 7, 1, 7, made, 8]), 2);
    expect([...out.cells]).toEqual([-1, 7, 1, 7, -1, 8]);
    expect(out.strings).toEqual(["made"]);
    expect(out.values).toBeUndefined();
    w.in.in(0, out.cells, 2, out.strings, out.values);
    expect(w.receiver.symbols.text(out.cells[0]!)).toBe("made");
    expect(out.cells[0]).not.toBe(made);
    expect(out.cells[2]).toBe(1);
    // Owners agree whatever the id: by the text for a made symbol, by the id for a table symbol.
    expect(w.symbols(w.receiver).owner(out.cells[0]!)).toBe(w.symbols(w.sender).owner(made));
    expect(w.symbols(w.receiver).owner(1)).toBe(ownerOfCell(1, 3));
  });

  it("refuses a cell naming no string of the frame, or an id beyond the run's table", () => {
    const w = wires(".decl r(s: symbol)", []);
    expect(() => w.in.in(0, Int32Array.from([-2]), 1, ["x"])).toThrow(/names no string of the frame/);
    expect(() => w.in.in(0, Int32Array.from([5]), 1, [])).toThrow(/symbol id 5 is not in the run's table/);
  });
});

describe("set and pair values, on the wire", () => {
  const text = `.decl s(x: number, v: set<symbol>)
.decl p(x: symbol, v: pair<min<number>, pair<set<number>, max<number>>>)`;

  it("travel as their structure and come back as the receiver's own values, made symbols inside them as text", () => {
    const w = wires(text, ["a", "b"]);
    const made = w.sender.symbols.intern("made");
    const set = setOf(w.sender.values, [made, 1, 0]);
    const empty = setOf(w.sender.values, []);
    const out = w.out.out(0, Int32Array.from([4, set, 5, empty, 6, set]), 2);
    // Each value once per frame: the second row names the same words as the first.
    expect([...out.cells]).toEqual([4, -1, 5, -5, 6, -1]);
    expect([...out.values!]).toEqual([3, 0, 1, -1, 0]);
    expect(out.strings).toEqual(["made"]);
    const cells = Int32Array.from(out.cells);
    w.in.in(0, cells, 2, out.strings, out.values);
    const got = [...w.receiver.values.get(cells[1]!)].map((c) => w.receiver.symbols.text(c)).sort();
    expect(got).toEqual(["a", "b", "made"]);
    // Sorted by the receiver's ids again, so equal sets are equal cells there.
    expect(cells[1]).toBe(setOf(w.receiver.values, [w.receiver.symbols.intern("made"), 0, 1]));
    expect(cells[3]).toBe(setOf(w.receiver.values, []));
    expect(cells[5]).toBe(cells[1]);
  });

  it("writes a pair's components in place, a component set or pair included", () => {
    const w = wires(text, ["a"]);
    const made = w.sender.symbols.intern("k");
    const inner = pairOf(w.sender.values, setOf(w.sender.values, [30, 10]), -7);
    const value = pairOf(w.sender.values, 3, inner);
    const out = w.out.out(1, Int32Array.from([made, value]), 2);
    expect([...out.cells]).toEqual([-1, -1]);
    expect([...out.values!]).toEqual([3, 2, 10, 30, -7]);
    w.in.in(1, out.cells, 2, out.strings, out.values);
    const [first, second] = w.receiver.values.get(out.cells[1]!);
    expect(first).toBe(3);
    const [set, max] = w.receiver.values.get(second!);
    expect([...w.receiver.values.get(set!)]).toEqual([10, 30]);
    expect(max).toBe(-7);
    expect(w.receiver.symbols.text(out.cells[0]!)).toBe("k");
  });

  it("refuses a value cell naming no value of the frame, or a value that overruns the words", () => {
    const w = wires(text, ["a"]);
    expect(() => w.in.in(0, Int32Array.from([1, 3]), 2, [], Int32Array.of(0))).toThrow(/names no value of the frame/);
    expect(() => w.in.in(0, Int32Array.from([1, -2]), 2, [], Int32Array.of(0))).toThrow(/names no value of the frame/);
    expect(() => w.in.in(0, Int32Array.from([1, -1]), 2, [], Int32Array.of(4, 1, 2))).toThrow(/a set of 4 elements overruns/);
    expect(() => w.in.in(1, Int32Array.from([0, -1]), 2, [], Int32Array.of(1, 0))).toThrow(/overruns the frame's values/);
  });
});

describe("record and ADT values, on the wire", () => {
  const text = `.type L = [head: symbol, tail: L]
.type E = Num {n: number} | Add {a: E, b: E} | Name {s: symbol} | Zero {}
.type Day = Mon {} | Tue {}
.decl r(l: L, n: number, e: E, d: Day)`;

  it("travel as their parts, nested values first and each once per frame, and come back as the receiver's own ids", () => {
    const w = wires(text, ["a", "b"]);
    const st = w.text(w.sender);
    const list = st.column("L").parse("[a, [made, [a, nil]]]") as number;
    const shorter = st.column("L").parse("[made, [a, nil]]") as number;
    const e = st.column("E").parse("$Add($Num(7), $Add($Name(made), $Zero))") as number;
    const out = w.out.out(0, Int32Array.from([list, 1, e, 1, shorter, 2, e, 0, 0, 3, e, 1]), 4);
    // The first row's list is four entries: nil, [a, nil], [made, ·], [a, ·]; the second row's list is the third.
    expect(out.strings).toEqual(["made"]);
    expect([...out.values!]).toEqual([
      // nil, [a, nil] (a: id 0), [made, ·] (made: string 0), [a, ·]
      0, 1, 0, 0, 1, -1, 1, 1, 0, 4,
      // $Num(7), $Name(made), $Zero, $Add($Name, $Zero), $Add($Num, ·): branches numbered by name (Add 0, Name 1, Num 2, Zero 3)
      2, 7, 1, -1, 3, 0, 12, 14, 0, 10, 15,
    ]);
    // nil is an entry too (word 0), so every cell of the column names one.
    expect([...out.cells]).toEqual([-8, 1, -19, 1, -5, 2, -19, 0, -1, 3, -19, 1]);
    const cells = Int32Array.from(out.cells);
    w.in.in(0, cells, 4, out.strings, out.values);
    const rt = w.text(w.receiver);
    expect(rt.column("L").format(cells[0]!)).toBe("[a, [made, [a, nil]]]");
    expect(rt.column("L").format(cells[4]!)).toBe("[made, [a, nil]]");
    expect(rt.column("E").format(cells[2]!)).toBe("$Add($Num(7), $Add($Name(made), $Zero))");
    expect(cells[8]).toBe(0);
    // An enumeration is its branch number, as it is; equal values are equal cells.
    expect([cells[3], cells[7], cells[11]]).toEqual([1, 0, 1]);
    expect(cells[6]).toBe(cells[2]);
    expect(cells[0]).not.toBe(list);
    expect(cells[0]).toBe(rt.column("L").parse("[a, [made, [a, nil]]]"));
  });

  it("are owned by their structure: sender and receiver agree whatever ids their tables gave them", () => {
    const w = wires(text, ["a", "b"]);
    const values = ["[a, [made, [a, nil]]]", "[b, nil]", "nil", "[a, [a, [a, [a, nil]]]]"];
    const sent = values.map((v) => w.text(w.sender).column("L").parse(v) as number);
    const got = values.map((v) => w.text(w.receiver).column("L").parse(v) as number);
    expect(got).not.toEqual(sent);
    for (const nodes of [2, 3, 7]) {
      const owners = (side: typeof w.sender, cells: number[]) => {
        const rw = new RowWire(w.program, new SymbolWire(side.symbols, 2, nodes), side.values, side.records);
        return cells.map((c) => rw.records.owner("L", c, nodes));
      };
      expect(owners(w.receiver, got)).toEqual(owners(w.sender, sent));
    }
    // Over many values, the owners spread over the nodes.
    const many = Array.from({ length: 60 }, (_, i) => w.text(w.sender).column("L").parse(`[a, [made${i}, nil]]`) as number);
    const rw = new RowWire(w.program, new SymbolWire(w.sender.symbols, 2, 3), w.sender.values, w.sender.records);
    expect(new Set(many.map((c) => rw.records.owner("L", c, 3))).size).toBe(3);
  });

  it("carry a list far deeper than the call stack: written, built and owned without recursion", () => {
    const w = wires(".type L = [head: number, tail: L]\n.decl r(l: L)", []);
    let list = 0;
    for (let i = 0; i < 50_000; i++) list = w.sender.records.pack2(i, list);
    const out = w.out.out(0, Int32Array.of(list), 1);
    expect(out.values).toHaveLength(1 + 3 * 50_000);
    const cells = Int32Array.from(out.cells);
    w.in.in(0, cells, 1, out.strings, out.values);
    const heads: number[] = [];
    for (let at = cells[0]!; at !== 0; at = w.receiver.records.field(at, 2, 1)) heads.push(w.receiver.records.field(at, 2, 0));
    expect(heads).toEqual(Array.from({ length: 50_000 }, (_, i) => 49_999 - i));
    expect(w.in.records.owner("L", cells[0]!, 3)).toBe(w.out.records.owner("L", list, 3));
  });

  it("refuses an entry naming a word at or after itself, a tag that is no branch, or fields overrunning the words", () => {
    const w = wires(text, ["a"]);
    const row = (l: number) => Int32Array.from([l, 0, 0, 0]);
    // [a, ·] whose tail names its own entry: a cycle.
    expect(() => w.in.in(0, row(-1), 4, [], Int32Array.of(1, 0, 0))).toThrow(/names word 0, not an entry before word 0/);
    expect(() => w.in.in(0, row(-1), 4, [], Int32Array.of(1, 0, 3, 0))).toThrow(/not an entry before/);
    expect(() => w.in.in(0, row(-1), 4, [], Int32Array.of(2))).toThrow(/2 is no branch of L/);
    expect(() => w.in.in(0, Int32Array.from([-1, 0, -2, 0]), 4, [], Int32Array.of(0, 9))).toThrow(/9 is no branch of E/);
    expect(() => w.in.in(0, row(-1), 4, [], Int32Array.of(1, 0))).toThrow(/overruns the frame's values/);
    expect(() => w.in.in(0, row(-3), 4, [], Int32Array.of(0))).toThrow(/names word 2, past the frame's values/);
    expect(() => w.in.in(0, row(4), 4, [], Int32Array.of(0))).toThrow(/record cell 4 names no value/);
  });
});
