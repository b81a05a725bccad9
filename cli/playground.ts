// `cairn playground [--port N]`: serves the browser playground (the static
// folder `npm run playground` builds, dist/playground) on 127.0.0.1 and prints
// its address; it runs until interrupted. Only files inside the folder are
// served, read-only, with their content types.

import type { Command } from "commander";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClusterHost } from "./cluster.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** The built playground: beside the bundled command line (dist/cairn.mjs), or dist/ from the sources. */
export function playgroundDir(): string | undefined {
  const candidates = [new URL("./playground/", import.meta.url), new URL("../dist/playground/", import.meta.url)];
  for (const c of candidates) {
    const dir = fileURLToPath(c);
    if (existsSync(join(dir, "index.html"))) return dir;
  }
  return undefined;
}

/** Serves `dir` on 127.0.0.1:`port` (0: any free port); resolves once listening. */
export function servePlayground(dir: string, port: number): Promise<Server> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const file = resolve(root, `.${path.endsWith("/") ? `${path}index.html` : path}`);
    const inside = file === root || file.startsWith(root + sep);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (!inside || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-cache",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok(server));
  });
}

export function addPlaygroundCommand(program: Command, host: ClusterHost): void {
  program
    .command("playground")
    .description("serve the browser playground on 127.0.0.1 and print its address (built by `npm run playground`)")
    .option("--port <n>", "the port to listen on (0: any free port)", "8177")
    .option("--dir <folder>", "serve this build of the playground instead of the one installed with Cairn")
    .action((o: { port: string; dir?: string }) => {
      const port = Number(o.port);
      if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
        host.stderr(`cairn: --port takes a port number from 0 to 65535, got "${o.port}"\n`);
        host.exit(2);
      }
      const dir = o.dir ?? playgroundDir();
      if (dir === undefined || !existsSync(join(dir, "index.html"))) {
        host.stderr(
          `cairn: ${o.dir === undefined ? "the playground is not built" : `${o.dir} holds no built playground (no index.html)`}: run \`npm run playground\` first\n`,
        );
        host.exit(2);
      }
      host.wait(
        servePlayground(dir, port).then(
          (server) =>
            new Promise<void>((done) => {
              const address = server.address();
              const actual = typeof address === "object" && address ? address.port : port;
              host.stdout(`Cairn playground: http://127.0.0.1:${actual}/\n`);
              const close = () => {
                server.closeAllConnections();
                server.close(() => done());
              };
              process.once("SIGINT", close);
              process.once("SIGTERM", close);
            }),
          (e: NodeJS.ErrnoException) => {
            const why = e.code === "EADDRINUSE" ? `port ${port} is in use; choose another with --port` : e.message;
            host.stderr(`cairn: cannot serve the playground: ${why}\n`);
            host.exit(2);
          },
        ),
      );
    });
}
