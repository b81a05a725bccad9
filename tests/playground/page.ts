// Helpers for the playground's tests: the Chromium to drive (CAIRN_CHROMIUM,
// or Debian's chromium on PATH) or why there is none, the playground built
// into a scratch folder by scripts/playground.mjs, served on a free port,
// and pages of it that wait until the page has loaded its examples.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { onPath } from "../../cli/graph.js";
import { servePlayground } from "../../cli/playground.js";

export const root = join(import.meta.dirname, "../..");

/** The browser's executable, or why there is none. */
export function findChromium(): { path: string } | { why: string } {
  const given = process.env.CAIRN_CHROMIUM;
  if (given) return { path: given };
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const path = onPath(name);
    if (path) return { path };
  }
  return { why: "no Chromium found (install Debian's chromium package, or set CAIRN_CHROMIUM to a Chromium executable)" };
}

/** What a build prints and where it put the site. */
export interface Built {
  readonly dir: string;
  readonly log: string;
  readonly status: number | null;
  remove(): void;
}

export function buildPlayground(): Built {
  const dir = mkdtempSync(join(tmpdir(), "cairn-playground-"));
  const r = spawnSync(process.execPath, [join(root, "scripts/playground.mjs"), "--out", dir], { encoding: "utf8", cwd: root });
  return { dir, log: r.stdout + r.stderr, status: r.status, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Example {
  readonly id: string;
  readonly title: string;
  readonly name: string;
  readonly program: string;
  readonly facts: Record<string, string>;
}

export function examplesOf(dir: string): Example[] {
  return JSON.parse(readFileSync(join(dir, "examples.json"), "utf8")) as Example[];
}

export interface Site {
  readonly url: string;
  readonly server: Server;
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function openSite(dir: string, executablePath: string): Promise<Site> {
  const { chromium } = await import("playwright-core");
  const server = await servePlayground(dir, 0);
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    browser,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** A new page at `url`, its examples loaded; page errors are collected in `errors`. */
export async function openPage(site: Site, url = site.url): Promise<{ page: Page; errors: string[] }> {
  const page = await site.browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors };
}

/** What the page's last run ended with. */
export interface LastRun {
  readonly state: "idle" | "running" | "done" | "failed" | "stopped";
  readonly evaluateMs?: number;
  readonly loadMs?: number;
  readonly stage?: string;
}

/** Clicks Run and waits until the run ends. */
export async function runOnPage(page: Page, timeout = 60_000): Promise<LastRun> {
  await page.click("#run");
  await page.waitForFunction(
    () => {
      const s = (globalThis as unknown as { playground: { lastRun(): LastRun } }).playground.lastRun().state;
      return s !== "running" && s !== "idle";
    },
    undefined,
    { timeout },
  );
  return page.evaluate(() => (globalThis as unknown as { playground: { lastRun(): LastRun } }).playground.lastRun());
}
