// Eager release of replaced arrays (engine/memory.ts): once enough replaced
// memory has piled up, releaseReplaced() runs a full collection, so an array
// nothing references any more is finalised then instead of whenever V8 gets to it.

import { describe, expect, it } from "vitest";
import { RELEASE_BYTES, releaseMemoryEagerly, releaseReplaced, discarded } from "../engine/memory.js";

function dropArray(registry: FinalizationRegistry<string>): void {
  registry.register(new Int32Array(1 << 20), "array");
}

describe("eager release of replaced arrays", () => {
  it("collects an unreachable array once replaced memory reaches the threshold", async () => {
    expect(releaseMemoryEagerly()).toBe(true);
    const finalised: string[] = [];
    const registry = new FinalizationRegistry<string>((what) => finalised.push(what));
    dropArray(registry);
    discarded(RELEASE_BYTES);
    releaseReplaced();
    await new Promise((r) => setTimeout(r, 10));
    expect(finalised).toEqual(["array"]);
  });
});
