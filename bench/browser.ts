/**
 * The browser of the bench: the one the e2e tests use (playwright.config.ts
 * decides: $CHROMIUM_PATH, /usr/bin/chromium, or Playwright's own), launched
 * with the same options; and the CPU time of its processes.
 */
import { chromium, type Browser } from "@playwright/test";
import e2eConfig from "../playwright.config";
import { processTree, sampleCpu, type CpuSample } from "./proc-cpu";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...e2eConfig.use?.launchOptions, headless: true });
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
