/**
 * A custom `parser` (socket.io-msgpack-parser) with the shared entry, as an
 * app does it: the package installed from a packed tarball, a page and the
 * app's own worker script (`startHub()` from "socket.io-shared/hub", which
 * registers the codec) bundled by Vite, the worker passed with the `worker`
 * option. And the same codec asked of the library's own worker, which does
 * not have it: a loud `connect_error`, never another codec.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { build } from "vite";
import * as msgpackParser from "socket.io-msgpack-parser";
import type { ServerOptions } from "socket.io";
import { test, expect } from "./fixtures/test";
import { ROOT } from "./fixtures/server";
import { installPacked, type PackedProject } from "./fixtures/packed-app";

const MAIN = `
import * as lib from "socket.io-shared";
import msgpackParser from "socket.io-msgpack-parser";
import workerUrl from "./my-worker.js?worker&url";
import { install } from "./harness.js";

// Every socket of this app uses msgpack, through the app's own worker.
const io = (url, opts = {}) => lib.io(url, { parser: msgpackParser, worker: workerUrl, ...opts });
const diagnostics = (opts = {}) => lib.diagnostics({ worker: workerUrl, ...opts });
window.codecApp = { lib, msgpackParser, workerUrl };
install({ ...lib, io, diagnostics }, "codec app");
`;

const WORKER = `
import { startHub } from "socket.io-shared/hub";
import msgpackParser from "socket.io-msgpack-parser";

startHub({ parsers: { msgpack: msgpackParser } });
`;

interface CodecApp {
  codecApp: {
    lib: { io(url: string, opts: object): { on(ev: string, fn: (arg?: { message: string }) => void): void } };
    msgpackParser: object;
    workerUrl: string;
  };
}

test.describe("socket.io-msgpack-parser through the app's own worker", () => {
  test.describe.configure({ mode: "default" });
  test.use({ serverOptions: { io: { parser: msgpackParser } as Partial<ServerOptions> } });
  let project: PackedProject;
  let siteDir: string;
  let files: string[];

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    project = installPacked({
      "index.html": `<!doctype html><title>codec app</title><script type="module" src="./main.js"></script>`,
      "main.js": MAIN,
      "my-worker.js": WORKER,
      "harness.js": readFileSync(path.join(ROOT, "e2e/pages/harness.js"), "utf8"),
    });
    siteDir = path.join(project.appDir, "dist");
    const output = await build({
      root: project.appDir,
      base: "/app/",
      configFile: false,
      logLevel: "warn",
      publicDir: false,
      envDir: false,
      // The app would `npm install socket.io-msgpack-parser`; this repository has it already.
      resolve: { alias: { "socket.io-msgpack-parser": path.join(ROOT, "node_modules/socket.io-msgpack-parser") } },
      build: { outDir: siteDir, emptyOutDir: true, minify: false },
    });
    const results = Array.isArray(output) ? output : [output];
    files = results.flatMap((result) => ("output" in result ? result.output.map((item) => item.fileName) : []));
  });
  test.afterAll(() => project?.remove());

  test("tabs share one connection that speaks msgpack: events, acks, binary", async ({ server, openTabs }) => {
    server.mount("/app/", siteDir);
    server.io.on("connection", (socket) => {
      socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
    });
    const workerFile = files.find((file) => /my-worker.*\.js$/.test(file));
    expect(workerFile).toBeDefined();

    const tabs = await openTabs(2, "/app/");
    await expect(tabs[0]!).toHaveTitle("codec app ready");
    const ids: string[] = [];
    for (const tab of tabs) ids.push(await tab.evaluate((url) => window.harness.connect("main", url), server.url));
    expect(new Set(ids).size).toBe(1);
    expect(server.engineConnectionsAccepted()).toBe(1);
    expect(server.staticRequests).toContain(`/app/${workerFile}`);
    expect((await tabs[0]!.evaluate(() => window.lib.diagnostics())).mode).toBe("SharedWorker");

    // Server → tabs, decoded by msgpack in the worker.
    for (const tab of tabs) await tab.evaluate(() => window.harness.listen("main", "news"));
    server.io.emit("news", { n: 1, tags: ["a", "b"] });
    for (const tab of tabs) {
      await expect.poll(() => tab.evaluate(() => window.harness.received("main", "news"))).toEqual([[{ n: 1, tags: ["a", "b"] }]]);
    }
    // Tab → server and back, with binary.
    const echoed = await tabs[1]!.evaluate(async () => {
      const socket = window.harness.sockets.get("main") as unknown as {
        emitWithAck(ev: string, ...args: unknown[]): Promise<{ text: string; bytes: unknown }>;
      };
      // msgpack (notepack.io) sends an ArrayBuffer as binary (a typed array as a map, as with socket.io-client).
      const answer = await socket.emitWithAck("echo", { text: "hi", bytes: new Uint8Array([1, 2, 3]).buffer });
      return { text: answer.text, binary: answer.bytes instanceof ArrayBuffer, bytes: [...new Uint8Array(answer.bytes as ArrayBuffer)] };
    });
    expect(echoed).toEqual({ text: "hi", binary: true, bytes: [1, 2, 3] });
  });

  test("the library's own worker does not have the codec: connect_error says so and how to fix it, no connection", async ({
    server,
    openTabs,
  }) => {
    server.mount("/app/", siteDir);
    const [tab] = (await openTabs(1, "/app/")) as [Page];
    await expect(tab).toHaveTitle("codec app ready");
    const message = await tab.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const { lib, msgpackParser: parser } = (window as unknown as CodecApp).codecApp;
          // No `worker` option: the worker shipped with the package, which knows socket.io-parser only.
          const socket = lib.io(url, { parser, forceNew: true });
          socket.on("connect", () => resolve("connected"));
          socket.on("connect_error", (err) => resolve(err?.message ?? ""));
        }),
      server.url,
    );
    expect(message).toContain("the hub (SharedWorker) does not have the codec");
    expect(message).toContain('startHub({ parsers: { msgpack: msgpackParser } }) from "socket.io-shared/hub"');
    expect(message).toContain("`worker` option");
    expect(server.engineConnectionsAccepted()).toBe(0);
  });
});
