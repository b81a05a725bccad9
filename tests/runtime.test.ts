// engine/runtime.ts (Node) and engine/runtime.browser.ts (the playground's):
// one signature, and the same answers where both can give them.

import { describe, expect, it } from "vitest";
import { constants } from "node:buffer";
import * as node from "../engine/runtime.js";
import * as browser from "../engine/runtime.browser.js";

// The page's module must stand in for Node's wherever the engine imports it.
const standIn: typeof node = browser;

describe("runtime", () => {
  it("exports the same names", () => {
    expect(Object.keys(standIn).sort()).toEqual(Object.keys(node).sort());
  });

  it("decodes and encodes UTF-8 alike, by byte range", () => {
    const text = "a\tβ\u{1F600}x\nzé";
    const bytes = node.utf8Bytes(text);
    expect([...browser.utf8Bytes(text)]).toEqual([...bytes]);
    const n = node.utf8Slicer(bytes);
    const b = browser.utf8Slicer(new Uint8Array(bytes));
    for (let from = 0; from <= bytes.length; from++) for (let to = from; to <= bytes.length; to++) expect(b(from, to)).toBe(n(from, to));
    expect(n(0, bytes.length)).toBe(text);
  });

  it("gives V8's largest buffer and string", () => {
    expect(browser.MAX_BUFFER_BYTES).toBe(constants.MAX_LENGTH);
    expect(browser.MAX_STRING_LENGTH).toBe(constants.MAX_STRING_LENGTH);
    expect(node.MAX_BUFFER_BYTES).toBe(constants.MAX_LENGTH);
  });

  it("a page has no collection on demand; its memory is its heap", () => {
    expect(browser.allowFullCollection()).toBe(false);
    expect(browser.fullCollection()).toBeNull();
    expect(browser.machineMemory()).toBe(browser.heapLimit());
    expect(browser.heapLimit()).toBeGreaterThan(0);
  });
});
