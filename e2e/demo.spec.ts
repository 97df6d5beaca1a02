/**
 * The demo, run as a new user runs it: `npm start` in a child process (any
 * free port), the printed URL opened in three tabs of one browser context.
 * The page must show the server's count (3 tabs · 1 connection), a chat
 * message must reach every tab with the ack in the sender, a burst must reach
 * every tab whole, and a connection dropped by the server must come back
 * recovered.
 *
 * `UPDATE_DEMO_SCREENSHOT=1 npx playwright test e2e/demo.spec.ts` also writes
 * docs/demo.png: two of the tabs side by side.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test, expect, type BrowserContext, type Page } from "@playwright/test";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCREENSHOT = path.join(ROOT, "docs/demo.png");

interface RunningDemo {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `npm start` with PORT=0; resolves with the URL it prints. */
async function startDemo(): Promise<RunningDemo> {
  // A process group of its own, so that npm, the shell and node stop together (by its id).
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const demo: RunningDemo = { url: "", output: () => output, stop: () => stopGroup(child, exited) };
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const match = /Demo running at (http:\/\/\S+)/.exec(output);
    if (match?.[1]) return { ...demo, url: match[1] };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await demo.stop();
  throw new Error(`npm start printed no URL:\n${output}`);
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function openTabs(context: BrowserContext, url: string, count: number): Promise<Page[]> {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) {
    const tab = await context.newPage();
    tab.on("pageerror", (err) => console.error(`[demo tab ${i}] ${err.stack ?? err}`));
    tab.on("console", (msg) => {
      if (msg.type() === "error" || msg.type() === "warning") console.error(`[demo tab ${i} console.${msg.type()}] ${msg.text()}`);
    });
    await tab.goto(url);
    tabs.push(tab);
  }
  return tabs;
}

test.use({ viewport: { width: 780, height: 1000 } });

test("npm start: three tabs share one connection, chat, burst and recovery work", async ({ context }) => {
  // On a fresh clone `npm start` builds the library first.
  test.setTimeout(240_000);
  const demo = await startDemo();
  try {
    const tabs = await openTabs(context, demo.url, 3);

    await test.step("the page shows the server's count: 3 tabs, 1 connection", async () => {
      for (const tab of tabs) await expect(tab.locator("#headline")).toHaveText("3 tabs · 1 connection", { timeout: 15_000 });
      for (const tab of tabs) {
        await expect(tab.locator("#mode")).toHaveText("SharedWorker");
        await expect(tab.locator("#state")).toHaveText("connected");
        await expect(tab.locator("#hub-tabs")).toHaveText("3");
      }
      const ids = await Promise.all(tabs.map((tab) => tab.locator("#socket-id").textContent()));
      expect(ids[0]).toMatch(/^\S{10,}$/);
      expect(new Set(ids).size).toBe(1);
    });

    await test.step("a chat message sent in one tab appears in the others; the sender sees the ack", async () => {
      await tabs[0].fill("#chat-input", "Hello from the first tab");
      await tabs[0].press("#chat-input", "Enter");
      for (const tab of tabs) await expect(tab.locator("#chat-log")).toContainText("Hello from the first tab");
      await expect(tabs[0].locator("#chat-log .ack")).toContainText("✓ ack");
      for (const tab of tabs.slice(1)) await expect(tab.locator("#chat-log .ack")).toHaveCount(0);
    });

    await test.step("a burst from the server reaches every tab whole", async () => {
      await tabs[1].click("#burst-down");
      for (const tab of tabs) {
        await expect(tab.locator("#burst-down-result")).toContainText("Received 10,000 / 10,000", { timeout: 30_000 });
      }
      await tabs[2].click("#burst-up");
      await expect(tabs[2].locator("#burst-up-result")).toContainText("Server got 10,000 / 10,000", { timeout: 30_000 });
    });

    await test.step("a connection dropped by the server comes back recovered, in every tab", async () => {
      const before = await tabs[0].locator("#socket-id").textContent();
      await tabs[2].click("#drop");
      for (const tab of tabs) {
        await expect(tab.locator("#events")).toContainText("disconnected: transport close");
        await expect(tab.locator("#events")).toContainText("session recovered (same socket id)", { timeout: 15_000 });
        await expect(tab.locator("#recovered")).toHaveText("yes — same session");
        await expect(tab.locator("#socket-id")).toHaveText(before ?? "");
      }
      for (const tab of tabs) await expect(tab.locator("#headline")).toHaveText("3 tabs · 1 connection", { timeout: 15_000 });
    });

    if (process.env.UPDATE_DEMO_SCREENSHOT) await saveScreenshot(context, tabs);
  } catch (err) {
    console.error(`npm start output:\n${demo.output()}`);
    throw err;
  } finally {
    await demo.stop();
  }
});

/** Two tabs side by side in one PNG (docs/demo.png), composed in another page. */
async function saveScreenshot(context: BrowserContext, tabs: Page[]): Promise<void> {
  await tabs[1].fill("#chat-input", "Hi! Same socket id here.");
  await tabs[1].press("#chat-input", "Enter");
  for (const tab of tabs) await expect(tab.locator("#chat-log li")).toHaveCount(2);
  // The server's rates cover the last second: let them settle after the reconnection.
  await tabs[0].waitForTimeout(1500);
  // Tabs 2 and 3: between them they sent a burst, the second message and the drop.
  const shots = await Promise.all(tabs.slice(1, 3).map((tab) => tab.screenshot({ fullPage: true })));
  const frames = shots.map((png) => `<img src="data:image/png;base64,${png.toString("base64")}">`).join("");
  const sheet = await context.newPage();
  await sheet.setViewportSize({ width: 1640, height: 800 });
  await sheet.setContent(
    `<style>
      body { margin: 0; background: #d9dce6; }
      .sheet { display: flex; gap: 28px; align-items: flex-start; padding: 28px; width: max-content; }
      img { width: 780px; border-radius: 10px; box-shadow: 0 6px 24px rgba(20, 24, 40, 0.18); }
    </style><div class="sheet">${frames}</div>`,
  );
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  writeFileSync(SCREENSHOT, await sheet.locator(".sheet").screenshot());
  await sheet.close();
}
