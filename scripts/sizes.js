// Prints the size of each build as a browser would fetch it: minified and
// gzipped. Builds that leave their dependencies as imports are measured
// without them (the app's bundler adds them once), and listed as such.
//
//   node scripts/sizes.js        (after `npm run build`)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { build, minify } from "vite";

const FILES = [
  ["dist/core.js", "core, deps external"],
  ["dist/index.js", "tab entry for bundlers, deps external"],
  ["dist/socket.io-shared.worker.js", "SharedWorker, self-contained"],
  ["dist/socket.io-shared.esm.js", "tab, self-contained ESM"],
  ["dist/socket.io-shared.js", "tab, classic script"],
];

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`.padStart(9);

/** dist/core.js bundled with its dependencies, as an app that uses only the core ships it. */
async function coreWithDependencies() {
  const output = await build({
    configFile: false,
    logLevel: "silent",
    publicDir: false,
    envDir: false,
    build: { write: false, minify: true, lib: { entry: "dist/core.js", formats: ["es"], fileName: () => "core.js" } },
  });
  const [result] = Array.isArray(output) ? output : [output];
  return result.output[0].code;
}

/** Size of one file as a browser would fetch it: minified, and minified + gzipped (bytes). */
export async function minGzipSize(file) {
  const { code: minified } = await minify(file, readFileSync(file, "utf8"), { compress: true, mangle: true });
  return { minified: minified.length, gzip: gzipSync(minified).length };
}

export async function printSizes() {
  console.log("\nsize (minified / min+gzip)");
  const known = new Set(FILES.map(([file]) => file));
  const chunks = readdirSync("dist")
    .filter((name) => name.endsWith(".js") && !known.has(`dist/${name}`))
    .map((name) => [`dist/${name}`, "loaded on demand (in-page hub)"]);
  for (const [file, what] of [...FILES, ...chunks]) {
    if (!existsSync(file)) continue;
    const size = await minGzipSize(file);
    console.log(`${kb(size.minified)} ${kb(size.gzip)}  ${file.padEnd(40)} ${what}`);
    if (file === "dist/core.js") {
      const bundled = await coreWithDependencies();
      const label = "  + its dependencies";
      console.log(`${kb(bundled.length)} ${kb(gzipSync(bundled).length)}  ${label.padEnd(40)} the core as an app ships it`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await printSizes();
