/**
 * `socket.io-shared/core` as an app gets it: the package packed (`npm pack`),
 * installed by name into a fresh project, bundled by Vite, loaded in a page.
 */
import { test, expect } from "./fixtures/test";
import { buildPackedApp, type PackedApp } from "./fixtures/packed-app";

let app: PackedApp;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await buildPackedApp(
    {
      "index.html": `<!doctype html><title>core app</title><script type="module" src="./main.js"></script>`,
      "main.js": `import * as core from "socket.io-shared/core";\nwindow.core = core;\ndocument.title = "core ready";\n`,
    },
    "/core-app/",
  );
});
test.afterAll(() => app?.remove());

test("a Vite app bundles socket.io-shared/core from the packed tarball and talks to the server", async ({
  server,
  openTabs,
}) => {
  server.mount("/core-app/", app.siteDir);
  server.io.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
  });
  const [page] = await openTabs(1, "/core-app/");
  await expect(page).toHaveTitle("core ready");

  const reply = await page.evaluate(async (url) => {
    const socket = window.core.io(url, { reconnection: false });
    const reply: unknown = await socket.emitWithAck("echo", { from: "the bundled core" });
    socket.disconnect();
    return reply;
  }, server.url);

  expect(reply).toEqual({ from: "the bundled core" });
  expect(server.engineConnectionsAccepted()).toBe(1);
});
