// The example application programs/live-deps (Cairn embedded through the
// typed API): its log over the bundled facts and events, worked out by hand
// from the dependency graph (app -> web -> http -> parse, app -> log, then
// parse -> left-pad, log -> color, and left-pad broken).

import { describe, expect, it } from "vitest";
import { DEMO_EVENTS, liveDeps } from "../programs/live-deps/main.js";

describe("programs/live-deps", () => {
  it("answers lookups, queries, handlers and threshold reads as the facts arrive", async () => {
    const lines: string[] = [];
    await liveDeps(DEMO_EVENTS, (l) => lines.push(l));
    const affected = lines.filter((l) => l.startsWith("affected: "));
    expect(affected.sort()).toEqual(["affected: app", "affected: http", "affected: left-pad", "affected: parse", "affected: web"]);
    expect(lines.filter((l) => !l.startsWith("affected: "))).toEqual([
      "loaded: 4 dependencies, app needs 4 packages",
      "app now needs left-pad",
      "depends parse -> left-pad: needed by app, http, parse, web",
      "depends log -> color: needed by app, log",
      "broken left-pad: needed by app, http, parse, web",
      "app's healthy dependencies: color, log",
      "most needed: left-pad (4 packages)",
    ]);
    // The handler's lines come with the run that found them: after the second event's answer, before the third's.
    expect(lines.indexOf("affected: left-pad")).toBeGreaterThan(lines.indexOf("depends log -> color: needed by app, log"));
    expect(lines.indexOf("affected: left-pad")).toBeLessThan(lines.indexOf("broken left-pad: needed by app, http, parse, web"));
  });
});
