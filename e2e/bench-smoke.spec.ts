/**
 * A smoke run of the bench (`node bench/run.mjs --smoke`: one short pair of
 * trials with 2 tabs): it runs, every metric comes out as a number, and the
 * two modes are what they claim to be. No timing is asserted: the targets are
 * read from the full bench's output (bench/README.md).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { test, expect } from "@playwright/test";
import type { BenchOutput } from "../bench/main";
import { ROOT } from "./fixtures/server";

test("the bench runs and reports every metric", async ({}, testInfo) => {
  test.setTimeout(90_000);
  const out = testInfo.outputPath("bench.json");
  await promisify(execFile)(process.execPath, ["bench/run.mjs", "--smoke", "--dist", path.join(ROOT, "dist"), "--out", out], {
    cwd: ROOT,
  });
  const result = JSON.parse(readFileSync(out, "utf8")) as BenchOutput;

  expect(result.machine.chromium).toMatch(/^\d+\./);
  const ids = new Set(result.rows.map((row) => row.id));
  expect([...ids]).toEqual(["1", "2", "2b", "3", "3b", "4", "5", "6"]);
  for (const row of result.rows) {
    expect(Number.isFinite(row.shared), `${row.metric}: shared`).toBe(true);
    if (row.target !== "≤ 16 KiB") {
      // Every metric but the worker's size (direct has no worker) is compared.
      expect(Number.isFinite(row.direct), `${row.metric}: direct`).toBe(true);
      expect(Number.isFinite(row.ratio), `${row.metric}: ratio`).toBe(true);
    }
  }

  // The platform floor (no library) of both echoes, the fan-out rate and both connects.
  expect(result.rows.filter((row) => Number.isFinite(row.floor)).map((row) => row.id)).toEqual(["1", "1", "3", "4", "4", "5"]);

  // direct: one connection per tab; shared: one SharedWorker connection for both tabs.
  const [direct, shared] = result.trials;
  expect(direct.mode).toBe("direct");
  expect(direct.fanout?.server.connections).toBe(2);
  expect(shared.mode).toBe("shared");
  expect(shared.hubMode).toBe("SharedWorker");
  expect(shared.fanout?.server.connections).toBe(1);
  // Batching (DESIGN §4): a synchronous burst of emits leaves the tab as one bridge message
  // (counted by the hub: diagnostics().tabs[].batchesReceived / opsReceived).
  expect(shared.burst?.bridgeOps).toBeGreaterThanOrEqual(result.plan.burstEvents);
  expect(shared.burst?.bridgeCalls).toBeLessThanOrEqual(2);
});
