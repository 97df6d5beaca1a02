/**
 * Browser tests (e2e/) in headless Chromium. Playwright cannot download its
 * own browsers on every machine, so the browser is, in this order:
 *   1. $CHROMIUM_PATH,
 *   2. /usr/bin/chromium (Debian's package; .ci/run installs it),
 *   3. Playwright's own Chromium (`npx playwright install chromium`).
 * Run `npm run build` first: the tests load dist/.
 */
import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  return undefined;
}

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/fixtures/global-setup.ts",
  outputDir: "test-results/playwright",
  // The machine has 2 cores; each worker runs a browser and a server.
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // In CI one retry absorbs a timing race on a loaded machine; Playwright still
  // reports such a test as "flaky", and a test that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  // The churn spec opens 1000 pages: it runs after the others, so that its CPU
  // load does not stretch the timings (grace periods, reloads) they check.
  projects: [
    { name: "main", testIgnore: /faults-churn\.spec\.ts/ },
    { name: "churn", testMatch: /faults-churn\.spec\.ts/, dependencies: ["main"] },
  ],
  use: {
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
