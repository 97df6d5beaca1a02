/**
 * The figures each fault scenario produced (sent / received / lost /
 * duplicated, and whatever else it measured), written to
 * test-results/faults-node.json for docs/reliability.md to quote.
 *
 * Test files run in parallel processes, so each one merges its scenarios into
 * the file under a lock directory instead of overwriting the others.
 */
import { mkdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SequenceStats } from "./sequence";

export const FIGURES_FILE = path.resolve("test-results/faults-node.json");
const LOCK_DIR = `${FIGURES_FILE}.lock`;
/** A lock older than this was left by a process that died: taken over. */
const STALE_LOCK_MS = 10_000;

export type Figure = number | string | boolean | null;

/** One scenario's record. */
export interface ScenarioFigures extends Partial<SequenceStats> {
  /** The test file that produced it. */
  file: string;
  /** When it ran (ISO time). */
  ranAt?: string;
  [measure: string]: Figure | undefined;
}

interface FiguresDocument {
  description: string;
  updatedAt: string;
  scenarios: Record<string, ScenarioFigures>;
}

const pending = new Map<string, ScenarioFigures>();

/** Remembers a scenario's figures; {@link writeFigures} stores them. */
export function recordFigures(scenario: string, figures: ScenarioFigures): void {
  pending.set(scenario, { ...figures, ranAt: new Date().toISOString() });
}

function withLock(fn: () => void): void {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > STALE_LOCK_MS) rmdirSync(LOCK_DIR);
      } catch {
        // Released meanwhile.
      }
      if (Date.now() > deadline) throw new Error(`could not lock ${LOCK_DIR}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    fn();
  } finally {
    rmdirSync(LOCK_DIR);
  }
}

function readDocument(): FiguresDocument {
  try {
    const parsed = JSON.parse(readFileSync(FIGURES_FILE, "utf8")) as FiguresDocument;
    if (parsed && typeof parsed.scenarios === "object") return parsed;
  } catch {
    // No file yet, or a broken one: start afresh.
  }
  return { description: "", updatedAt: "", scenarios: {} };
}

/** Merges the figures recorded in this process into the figures file. */
export function writeFigures(): void {
  if (pending.size === 0) return;
  mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  withLock(() => {
    const doc = readDocument();
    doc.description =
      "Figures of the Node fault suite (test/faults): per scenario, numbered messages sent, received, lost, duplicated, reordered.";
    doc.updatedAt = new Date().toISOString();
    for (const [scenario, figures] of pending) doc.scenarios[scenario] = figures;
    const temporary = `${FIGURES_FILE}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(temporary, FIGURES_FILE);
  });
  pending.clear();
}
