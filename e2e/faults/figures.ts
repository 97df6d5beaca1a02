/**
 * The figures each browser fault scenario produced (sent / received / lost /
 * duplicated / reordered, and what else it measured), merged into
 * test-results/faults-e2e.json for docs/reliability.md to quote. Playwright
 * runs spec files in several worker processes: each write merges into the
 * file under a lock directory.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "../fixtures/server";
import type { SequenceStats } from "../../test/faults/sequence";

export const E2E_FIGURES_FILE = path.join(ROOT, "test-results/faults-e2e.json");
const LOCK_DIR = `${E2E_FIGURES_FILE}.lock`;
/** A lock older than this was left by a process that died: taken over. */
const STALE_LOCK_MS = 10_000;

export type Figure = number | string | boolean | null;

export interface ScenarioFigures extends Partial<SequenceStats> {
  /** The spec that produced it. */
  file: string;
  [measure: string]: Figure | undefined;
}

interface FiguresDocument {
  description: string;
  updatedAt: string;
  scenarios: Record<string, ScenarioFigures & { ranAt: string }>;
}

async function lock(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      return;
    } catch {
      const age = await stat(LOCK_DIR).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await rm(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`could not lock ${LOCK_DIR}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

async function readDocument(): Promise<FiguresDocument> {
  try {
    const parsed = JSON.parse(await readFile(E2E_FIGURES_FILE, "utf8")) as FiguresDocument;
    if (parsed && typeof parsed.scenarios === "object") return parsed;
  } catch {
    // No file yet, or a broken one: start afresh.
  }
  return { description: "", updatedAt: "", scenarios: {} };
}

/** Merges one scenario's figures into the figures file. */
export async function recordFigures(scenario: string, figures: ScenarioFigures): Promise<void> {
  await mkdir(path.dirname(E2E_FIGURES_FILE), { recursive: true });
  await lock();
  try {
    const doc = await readDocument();
    doc.description =
      "Figures of the browser fault suite (e2e/faults-*.spec.ts): per scenario, numbered messages sent, received, lost, duplicated, reordered.";
    doc.updatedAt = new Date().toISOString();
    doc.scenarios[scenario] = { ...figures, ranAt: doc.updatedAt };
    const temporary = `${E2E_FIGURES_FILE}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(doc, null, 2)}\n`);
    await rename(temporary, E2E_FIGURES_FILE);
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}
