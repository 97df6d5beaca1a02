import { afterEach, describe, expect, it, vi } from "vitest";
import { harness, settle, waitFor, type Harness } from "./harness";
import { once } from "../helpers/server";
import { debugEnabled } from "../../client/debug-switch";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  vi.restoreAllMocks();
});

/** console.debug lines that start with `prefix`, without it. */
function linesOf(spy: { mock: { calls: unknown[][] } }, prefix: string): string[] {
  return spy.mock.calls.map((call) => String(call[0])).filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
}

describe("the debug switch, read as the debug package reads localStorage.debug", () => {
  it.each([
    ["socket.io-shared:*", true, true],
    ["socket.io-shared*", true, true],
    ["*", true, true],
    ["socket.io-shared:hub", true, false],
    ["socket.io-client:*, socket.io-shared:tab", false, true],
    ["socket.io-shared:*,-socket.io-shared:tab", true, false],
    ["socket.io-client:*", false, false],
    ["", false, false],
    [undefined, false, false],
  ])("%j: hub %s, tab %s", (setting, hub, tab) => {
    expect(debugEnabled("socket.io-shared:hub", setting)).toBe(hub);
    expect(debugEnabled("socket.io-shared:tab", setting)).toBe(tab);
  });
});

describe("the hub's debug log", () => {
  it("is off unless a tab asks: no line anywhere, nothing sent", async () => {
    const hubLines: string[] = [];
    h = await harness({}, { debugLog: (line) => hubLines.push(line), graceMs: 50 });
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const tab = await h.tab();
    const socket = tab.io(h.server.url);
    await once(socket, "connect");
    tab.kill();
    await settle(150);
    expect(h.hub.debugging).toBe(false);
    expect(hubLines).toEqual([]);
    expect(debug).not.toHaveBeenCalled();
  });

  it("a tab with socket.io-shared:* gets the hub's decisions and logs its own; a tab without gets none", async () => {
    const hubLines: string[] = [];
    h = await harness({}, { debugLog: (line) => hubLines.push(line), graceMs: 50 });
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const quiet = await h.tab();
    const loud = await h.tab({ debug: "socket.io-shared:*" });
    expect(h.hub.debugging).toBe(true);
    const a = quiet.io(h.server.url, { reconnectionDelay: 20, randomizationFactor: 0 });
    const b = loud.io(h.server.url);
    await Promise.all([once(a, "connect"), once(b, "connect")]);

    // A reconnection, then the last tabs going away (grace period, then the transport closes).
    for (const s of h.server.io.of("/").sockets.values()) s.conn.close();
    await once(b, "connect");
    a.disconnect();
    await waitFor(() => hubLines.some((line) => line.includes("tab tab-1 disconnects")), 3000, "tab-1's disconnect");
    loud.kill();
    await waitFor(() => hubLines.some((line) => line.includes("grace period over")), 3000, "the grace period's end");
    quiet.kill();
    await waitFor(() => hubLines.some((line) => line.includes("closed, no tab or socket needs it")), 3000, "the Manager's end");

    const expected = [
      /^tab tab-2 attached \(2 tabs\)$/,
      /^manager #\d+: new shared connection to http:\/\/127\.0\.0\.1:\d+\/socket\.io \(tab tab-1\)$/,
      /^socket \/ \(manager #\d+\): tab tab-1 connects it \(1 tabs\)$/,
      /^socket \/ \(manager #\d+\): tab tab-2 waits for the connection \(2 tabs\)$/,
      /^manager #\d+: open over polling$/,
      /^socket \/ \(manager #\d+\): connected as \S+$/,
      /^manager #\d+: close transport close$/,
      /^socket \/ \(manager #\d+\): disconnect: transport close$/,
      /^manager #\d+: reconnect_attempt 1$/,
      /^manager #\d+: reconnect 1$/,
      /^socket \/ \(manager #\d+\): tab tab-1 disconnects \(1 tabs left\)$/,
      /^socket \/ \(manager #\d+\): its last tab \(tab-2\) is gone: kept for a grace period of 50 ms$/,
      /^socket \/ \(manager #\d+\): grace period over, no tab came back: closing the transport \(a recoverable end\)$/,
      /^tab tab-1 closed \(its lock was released\): freeing its sockets and Managers \(0 tabs left\)$/,
      /^manager #\d+: closed, no tab or socket needs it$/,
    ];
    // In order (other lines, e.g. the upgrade, may come between).
    let at = 0;
    for (const pattern of expected) {
      const found = hubLines.findIndex((line, i) => i >= at && pattern.test(line));
      expect(found, `${pattern} in\n${hubLines.join("\n")}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }

    // The loud tab got each line the hub wrote while it was attached, once; the quiet tab none
    // (one realm, one console: a second copy would show up here). Once it was gone, the
    // hub went on logging into its own console only.
    const forwarded = linesOf(debug, "socket.io-shared:hub ");
    const whileAttached = hubLines.slice(0, hubLines.findIndex((line) => line.startsWith("tab tab-2 closed")));
    expect(whileAttached.length).toBeGreaterThan(5);
    expect(forwarded).toEqual(whileAttached);
    // And the loud tab logged its own bridge's decisions.
    expect(linesOf(debug, "socket.io-shared:tab ")).toContainEqual(expect.stringMatching(/^tab tab-2 attached to the hub: SharedWorker/));
    // A tab asked once: the hub keeps logging for its life.
    expect(h.hub.debugging).toBe(true);
  });

  it("socket.io-shared:hub alone: the hub's lines, not the tab's own", async () => {
    h = await harness({}, { debugLog: () => {} });
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const tab = await h.tab({ debug: "socket.io-shared:hub" });
    await once(tab.io(h.server.url), "connect");
    await settle(20);
    expect(linesOf(debug, "socket.io-shared:hub ").length).toBeGreaterThan(0);
    expect(linesOf(debug, "socket.io-shared:tab ")).toEqual([]);
  });
});
