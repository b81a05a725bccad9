// Eager release of discarded memory (engine/storage/memory.ts): once enough discarded
// memory has piled up, releaseDiscarded() runs a full collection, so an array
// nothing references any more is finalised then instead of whenever V8 gets to it.

import { describe, expect, it } from "vitest";
import { RELEASE_BYTES, releaseMemoryEagerly, releaseDiscarded, discarded } from "../engine/storage/memory.js";

function dropArray(registry: FinalizationRegistry<string>): void {
  registry.register(new Int32Array(1 << 20), "array");
}

describe("eager release of discarded memory", () => {
  it("collects an unreachable array once discarded memory reaches the threshold", async () => {
    expect(releaseMemoryEagerly()).toBe(true);
    const finalised: string[] = [];
    const registry = new FinalizationRegistry<string>((what) => finalised.push(what));
    dropArray(registry);
    discarded(RELEASE_BYTES);
    releaseDiscarded();
    await new Promise((r) => setTimeout(r, 10));
    expect(finalised).toEqual(["array"]);
  });
});
