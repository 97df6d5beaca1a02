// Prints the size of each build as a browser would fetch it: minified and
// gzipped. Builds that leave their dependencies as imports are measured
// without them (the app's bundler adds them once), and listed as such.
//
//   node scripts/sizes.js        (after `npm run build`)
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { minify } from "vite";

const FILES = [
  ["dist/core.js", "core, deps external"],
  ["dist/index.js", "tab entry for bundlers, deps external"],
  ["dist/socket.io-shared.worker.js", "SharedWorker, self-contained"],
  ["dist/socket.io-shared.esm.js", "tab, self-contained ESM"],
  ["dist/socket.io-shared.js", "tab, classic script"],
];

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`.padStart(9);

export async function printSizes() {
  console.log("\nsize (minified / min+gzip)");
  for (const [file, what] of FILES) {
    if (!existsSync(file)) continue;
    const code = readFileSync(file, "utf8");
    const { code: minified } = await minify(file, code, { compress: true, mangle: true });
    console.log(`${kb(minified.length)} ${kb(gzipSync(minified).length)}  ${file.padEnd(34)} ${what}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await printSizes();
