/**
 * Metric 6: the JavaScript a tab loads eagerly, and the worker script,
 * min+gzip, measured by scripts/sizes.js (the sizes `npm run build` prints).
 * What a tab loads is what the bench pages fetched: the server's log of
 * static requests, so a chunk loaded by mistake would count.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** scripts/sizes.js's `minGzipSize` (plain JavaScript without declarations: bench/run.mjs hands it over). */
export type MinGzipSize = (file: string) => Promise<{ minified: number; gzip: number }>;

export const WORKER_FILE = "socket.io-shared.worker.js";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIRECT_BUNDLE = path.join(ROOT, "node_modules/socket.io-client/dist/socket.io.esm.min.js");

export interface Sizes {
  /** min+gzip bytes of the JS a direct tab loads (socket.io-client's ESM bundle). */
  directTab: number;
  /** min+gzip bytes of the JS a shared tab loads before it connects (every file of dist/ it fetched but the worker). */
  sharedTab: number;
  sharedTabFiles: string[];
  /** min+gzip bytes of the worker script. */
  worker: number;
}

export async function measureSizes(minGzipSize: MinGzipSize, distDir: string, staticRequests: readonly string[]): Promise<Sizes> {
  const sharedTabFiles = [...new Set(staticRequests)]
    .filter((url) => url.startsWith("/dist/") && url.endsWith(".js") && !url.endsWith(WORKER_FILE))
    .map((url) => url.slice("/dist/".length));
  const gzip = async (file: string) => (await minGzipSize(file)).gzip;
  let sharedTab = 0;
  for (const file of sharedTabFiles) sharedTab += await gzip(path.join(distDir, file));
  return {
    directTab: await gzip(DIRECT_BUNDLE),
    sharedTab,
    sharedTabFiles,
    worker: await gzip(path.join(distDir, WORKER_FILE)),
  };
}
