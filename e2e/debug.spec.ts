/**
 * The debug switch across a real SharedWorker: `localStorage.debug` is read
 * by the tab (a worker has no localStorage) and forwarded to the hub, whose
 * decisions then show up in that tab's console; a tab without it sees none.
 */
import type { ConsoleMessage, Page } from "@playwright/test";
import { test, expect } from "./fixtures/test";

const PAGE = "/shared.html";

/** Collects a page's console.debug lines that start with `socket.io-shared:`. */
function debugLines(page: Page): string[] {
  const lines: string[] = [];
  page.on("console", (msg: ConsoleMessage) => {
    if (msg.type() === "debug" && msg.text().startsWith("socket.io-shared:")) lines.push(msg.text());
  });
  return lines;
}

test("localStorage.debug = 'socket.io-shared:*' in a tab: the worker's decisions reach that tab's console", async ({
  server,
  context,
  openTabs,
}) => {
  server.io.of("/chat");
  const [quiet] = (await openTabs(1, PAGE)) as [Page];
  const quietLines = debugLines(quiet);
  await quiet.evaluate((url) => window.harness.connect("main", url), server.url);

  const loud = await context.newPage();
  const loudLines = debugLines(loud);
  await loud.addInitScript(() => localStorage.setItem("debug", "socket.io-shared:*"));
  await loud.goto(new URL(PAGE, server.url).href);
  await loud.evaluate((url) => window.harness.connect("main", url), server.url);
  await loud.evaluate((url) => window.harness.connect("chat", `${url}/chat`), server.url);

  await expect.poll(() => loudLines.join("\n")).toMatch(/socket\.io-shared:tab tab \S+ attached to the hub: SharedWorker/);
  await expect.poll(() => loudLines.join("\n")).toMatch(/socket\.io-shared:hub tab \S+ attached \(2 tabs\)/);
  await expect.poll(() => loudLines.join("\n")).toMatch(/socket\.io-shared:hub socket \/chat \(manager #\d+\): tab \S+ connects it/);
  await expect.poll(() => loudLines.join("\n")).toMatch(/socket\.io-shared:hub socket \/chat \(manager #\d+\): connected as \S+/);
  // Events do not make lines: the log is about decisions.
  server.io.emit("news", 1);
  expect(loudLines.filter((line) => line.includes("news"))).toEqual([]);
  // The tab without the switch gets nothing, though it shares the hub.
  expect(quietLines).toEqual([]);
});
