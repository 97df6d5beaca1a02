/**
 * The three builds of DESIGN §2, each loaded the way its users load it, each
 * proving tabs share one connection: the package installed from a packed
 * tarball into a Vite app, the self-contained ESM file imported directly, the
 * classic script. And the `worker` option, for a library served from elsewhere.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { createServer as createViteDevServer } from "vite";
import { test, expect } from "./fixtures/test";
import { ROOT, startE2EServer, type E2EServer } from "./fixtures/server";
import { buildPackedApp, type PackedApp } from "./fixtures/packed-app";

/** Connects in every tab, checks they share one socket on one Engine.IO connection. */
async function expectOneSharedConnection(tabs: Page[], server: E2EServer, opts: Record<string, unknown> = {}) {
  const ids: string[] = [];
  for (const tab of tabs) {
    ids.push(await tab.evaluate((a) => window.harness.connect("main", a.url, a.opts), { url: server.url, opts }));
  }
  expect(new Set(ids).size).toBe(1);
  expect(server.engineConnectionsAccepted()).toBe(1);
  // And it works both ways: an event from the server reaches every tab.
  for (const tab of tabs) await tab.evaluate(() => window.harness.listen("main", "hello"));
  server.io.emit("hello", "tabs");
  for (const tab of tabs) {
    await expect.poll(() => tab.evaluate(() => window.harness.received("main", "hello"))).toEqual([["tabs"]]);
  }
}

test.describe("Vite app using the package from a packed tarball", () => {
  // One packed app for the tests of this group, built once, in one worker.
  test.describe.configure({ mode: "default" });
  let app: PackedApp;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    app = await buildPackedApp(
      {
        "index.html": `<!doctype html><title>vite app</title><script type="module" src="./main.js"></script>`,
        "main.js": `import * as lib from "socket.io-shared";\nimport { install } from "./harness.js";\ninstall(lib, "vite app");\n`,
        "harness.js": readFileSync(path.join(ROOT, "e2e/pages/harness.js"), "utf8"),
      },
      "/app/",
    );
  });
  test.afterAll(() => app?.remove());

  test("the app's bundler emits the worker as a file of the app, and tabs share one connection", async ({
    server,
    openTabs,
  }) => {
    server.mount("/app/", app.siteDir);
    const workerFiles = app.files.filter((file) => /socket\.io-shared\.worker.*\.js$/.test(file));
    expect(workerFiles).toHaveLength(1);

    const tabs = await openTabs(3, "/app/");
    await expect(tabs[0]).toHaveTitle("vite app ready");
    await expectOneSharedConnection(tabs, server);
    expect(server.staticRequests).toContain(`/app/${workerFiles[0]}`);
  });

  test.describe("served by the Vite dev server", () => {
    // The page comes from the dev server's origin, the socket.io server is another.
    test.use({ serverOptions: { io: { cors: { origin: true } } } });

    test("the dependency's worker starts and tabs share one connection", async ({ server, context }) => {
      const dev = await createViteDevServer({
        root: app.appDir,
        configFile: false,
        logLevel: "warn",
        server: { host: "127.0.0.1", port: 0, strictPort: false },
      });
      try {
        await dev.listen();
        const url = dev.resolvedUrls?.local[0];
        if (!url) throw new Error("the Vite dev server has no local URL");
        const tabs = [await context.newPage(), await context.newPage()];
        for (const tab of tabs) {
          await tab.goto(url);
          await expect(tab).toHaveTitle("vite app ready");
        }
        await expectOneSharedConnection(tabs, server);
        expect((await tabs[0].evaluate(() => window.lib.diagnostics())).mode).toBe("SharedWorker");
      } finally {
        await dev.close();
      }
    });
  });
});

test("self-contained ESM imported directly: its worker beside it in dist/", async ({ server, openTabs }) => {
  const tabs = await openTabs(2, "/shared.html");
  await expect(tabs[0]).toHaveTitle("esm ready");
  await expectOneSharedConnection(tabs, server);
  expect(server.staticRequests).toContain("/dist/socket.io-shared.worker.js");
});

test("classic script: a global io, its worker beside it in dist/", async ({ server, openTabs }) => {
  const tabs = await openTabs(2, "/classic.html");
  await expect(tabs[0]).toHaveTitle("classic ready");
  expect(await tabs[0].evaluate(() => typeof window.io === "function" && typeof window.io.connect === "function")).toBe(
    true,
  );
  await expectOneSharedConnection(tabs, server);
  expect(server.staticRequests).toContain("/dist/socket.io-shared.worker.js");
});

test("the worker option: library from another origin, worker hosted by the app at its own path", async ({
  server,
  openTabs,
}) => {
  server.mount("/hosted/socket-worker.js", path.join(ROOT, "dist/socket.io-shared.worker.js"));
  const cdn = await startE2EServer();
  try {
    const lib = encodeURIComponent(`${cdn.url}/dist/socket.io-shared.esm.js`);
    const tabs = await openTabs(2, `/library-elsewhere.html?lib=${lib}`);
    await expect(tabs[0]).toHaveTitle("elsewhere ready");
    await expectOneSharedConnection(tabs, server, { worker: "/hosted/socket-worker.js" });
    expect(server.staticRequests).toContain("/hosted/socket-worker.js");
    expect(cdn.staticRequests).toContain("/dist/socket.io-shared.esm.js");
    expect(cdn.staticRequests).not.toContain("/dist/socket.io-shared.worker.js");
  } finally {
    await cdn.close();
  }
});

test("shared: false loads the in-page hub on demand, from beside the ESM file", async ({ server, openTabs }) => {
  const tabs = await openTabs(2, "/shared.html");
  expect(server.staticRequests).not.toContain("/dist/socket.io-shared.esm.page-host.js");
  const ids: string[] = [];
  for (const tab of tabs) {
    ids.push(await tab.evaluate((url) => window.harness.connect("main", url, { shared: false }), server.url));
  }
  // One hub per page: one connection per tab, as with socket.io-client.
  expect(new Set(ids).size).toBe(2);
  expect(server.engineConnectionsAccepted()).toBe(2);
  expect(server.staticRequests).toContain("/dist/socket.io-shared.esm.page-host.js");
  expect((await tabs[0].evaluate(() => window.lib.diagnostics({ shared: false }))).mode).toBe("in-page");
});
