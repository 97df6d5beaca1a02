// Its own file: rememberUpgrade reads state kept per realm (module level),
// and vitest gives each file a fresh one.
import { afterEach, describe, expect, it } from "vitest";
import { once } from "../helpers/server";
import { connect, startEngineServer, type EngineTestServer } from "./helpers";

describe("rememberUpgrade", () => {
  let server: EngineTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("starts on websocket once a previous connection upgraded, and only then", async () => {
    server = await startEngineServer();

    // Nothing remembered yet: polling first.
    const first = connect(server, { rememberUpgrade: true });
    expect(first.transport.name).toBe("polling");
    await once(first, "upgrade");
    first.close();

    const second = connect(server, { rememberUpgrade: true });
    expect(second.transport.name).toBe("websocket");
    await once(second, "open");
    expect(second.transport.name).toBe("websocket");
    second.close();

    // Without the option, the transports order rules.
    const third = connect(server);
    expect(third.transport.name).toBe("polling");
    await once(third, "open");
    third.close();

    // A connection that stayed on polling resets the memory.
    const pollingOnly = connect(server, { transports: ["polling"] });
    await once(pollingOnly, "open");
    pollingOnly.close();
    const fourth = connect(server, { rememberUpgrade: true });
    expect(fourth.transport.name).toBe("polling");
    await once(fourth, "open");
    fourth.close();
  });
});
