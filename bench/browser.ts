/**
 * The browser of the bench: the one the e2e tests use (playwright.config.ts
 * decides: $CHROMIUM_PATH, /usr/bin/chromium, or Playwright's own), launched
 * by Playwright with the same options plus a remote debugging port on
 * 127.0.0.1, through which bench/tabs.ts drives the tabs; and the CPU time
 * of its processes.
 */
import { createServer } from "node:net";
import { chromium, type Browser } from "@playwright/test";
import e2eConfig from "../playwright.config";
import { processTree, sampleCpu, type CpuSample } from "./proc-cpu";

export interface BenchBrowser {
  browser: Browser;
  /** The remote debugging port (127.0.0.1). */
  port: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function launchBrowser(): Promise<BenchBrowser> {
  const port = await freePort();
  const launchOptions = e2eConfig.use?.launchOptions ?? {};
  const args = [...(launchOptions.args ?? []), `--remote-debugging-port=${port}`, "--remote-debugging-address=127.0.0.1"];
  const browser = await chromium.launch({ ...launchOptions, args, headless: true });
  return { browser, port };
}

/**
 * A sampler of the browser's CPU time: every process below this one
 * (Playwright starts Chromium as its child) except `notBrowser` (the bench's
 * server) and this process itself.
 */
export function browserCpuSampler(notBrowser: readonly number[]): () => CpuSample {
  const exclude = new Set(notBrowser);
  return () => sampleCpu(processTree(process.pid, exclude).filter((pid) => pid !== process.pid));
}
