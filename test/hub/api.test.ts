import { afterEach, describe, expect, it, vi } from "vitest";
import ioDefault, { connect, diagnostics, io, Manager, protocol, Socket } from "../../client";
import { startServer, once, type TestServer } from "../helpers/server";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("the public API of a tab", () => {
  it("has socket.io-client's shape", () => {
    expect(ioDefault).toBe(io);
    expect(connect).toBe(io);
    expect(io.connect).toBe(io);
    expect(io.protocol).toBe(5);
    expect(protocol).toBe(5);
    expect(io.Manager).toBe(Manager);
    expect(io.Socket).toBe(Socket);
  });

  it("shared: false runs the hub inside the page, with the same API; Node-only options warn once", async () => {
    server = await startServer();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const socket = io(server.url, { shared: false, rejectUnauthorized: false, reconnection: false });
    const other = io(`${server.url}/`, { shared: false, agent: false, forceNew: true, reconnection: false });
    expect(socket).toBeInstanceOf(Socket);
    expect(socket.io).toBeInstanceOf(Manager);
    await Promise.all([once(socket, "connect"), once(other, "connect")]);
    const nodeOnlyWarnings = warn.mock.calls.filter((args) => String(args[0]).includes("Node.js-only"));
    expect(nodeOnlyWarnings).toHaveLength(1);
    warn.mockRestore();
    const diag = await diagnostics({ shared: false });
    expect(diag.mode).toBe("in-page");
    expect(diag.why).toBe("shared: false");
    expect(diag.managers).toHaveLength(2);
    socket.disconnect();
    other.disconnect();
  });
});

describe("the SharedWorker glue", () => {
  it("keeps the literal form bundlers detect, and a worker name that carries the bridge version", async () => {
    const { readFileSync } = await import("node:fs");
    const { BRIDGE_VERSION, WORKER_NAME_PREFIX } = await import("../../worker/protocol");
    const source = readFileSync(new URL("../../client/start-worker.ts", import.meta.url), "utf8");
    const literal =
      /new SharedWorker\(new URL\("\.\/worker\.js", import\.meta\.url\), (\{ type: "module", name: "([^"]+)", extendedLifetime: true \})/.exec(
        source,
      );
    expect(literal).not.toBeNull();
    expect(literal![2]).toBe(WORKER_NAME_PREFIX + BRIDGE_VERSION);
    // Both branches (default URL, `worker` option) pass the same options: the browser refuses a mismatch.
    expect(source).toContain(`new SharedWorker(url, { type: "module", name: WORKER_NAME_PREFIX + BRIDGE_VERSION, extendedLifetime: true }`);
  });
});
