/**
 * The package's declarations as a TypeScript app sees them: the packed
 * package installed by name, and a file using its public API type-checked
 * under both module resolutions apps use (bundler and nodenext), with
 * skipLibCheck off so the declarations themselves are checked too.
 * (No browser: this test only runs tsc.)
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test, expect } from "@playwright/test";
import { installPacked } from "./fixtures/packed-app";
import { ROOT } from "./fixtures/server";

const APP = `
import { io, diagnostics, Manager, type Socket } from "socket.io-shared";
import defaultIo from "socket.io-shared";
import { io as coreIo, Manager as CoreManager } from "socket.io-shared/core";

interface ServerToClient { news: (n: number) => void }
interface ClientToServer { hello: (name: string, ack: (reply: string) => void) => void }

const socket: Socket<ServerToClient, ClientToServer> = io("https://example.com", { worker: "/w.js" });
socket.on("news", (n) => n.toFixed());
socket.emit("hello", "world", (reply) => reply.toUpperCase());
defaultIo.connect("https://example.com/admin");
void diagnostics().then((report) => report.mode);
new Manager("https://example.com").socket("/chat").connect();

const core = coreIo("https://example.com", { transports: ["websocket"], ackTimeout: 1000 });
core.timeout(500).emit("ping", (err: Error | null) => err?.message);
new CoreManager("https://example.com", { reconnectionDelay: 100 });
`;

/** Must not compile: an event the typed socket does not declare. */
const BAD_APP = `
import { io, type Socket } from "socket.io-shared";
interface ClientToServer { hello: (name: string) => void }
const socket: Socket<{}, ClientToServer> = io();
socket.emit("hello", 42);
`;

test("the packed package type-checks in an app, under bundler and nodenext resolution", async () => {
  test.setTimeout(120_000);
  const project = installPacked({ "app.ts": APP, "bad.ts": BAD_APP });
  try {
    /** tsc's diagnostics for `file` ("" when it compiles). */
    const tsc = (file: string, module: string, resolution: string) =>
      spawnSync(
        process.execPath,
        [
          path.join(ROOT, "node_modules/typescript/bin/tsc"),
          "--noEmit",
          "--strict",
          "--skipLibCheck",
          "false",
          "--target",
          "es2022",
          "--lib",
          "es2022,dom",
          "--module",
          module,
          "--moduleResolution",
          resolution,
          file,
        ],
        { cwd: project.appDir, encoding: "utf8" },
      ).stdout.trim();
    for (const [module, resolution] of [
      ["esnext", "bundler"],
      ["nodenext", "nodenext"],
    ]) {
      expect(tsc("app.ts", module, resolution), `${resolution}: app.ts`).toBe("");
      expect(tsc("bad.ts", module, resolution), `${resolution}: bad.ts must not compile`).toMatch(/bad\.ts.*TS2345/);
    }
  } finally {
    project.remove();
  }
});
