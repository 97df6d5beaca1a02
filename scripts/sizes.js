// Prints the size of each build as a browser would fetch it: minified and
// gzipped. Builds that leave their dependencies as imports are measured
// without them (the app's bundler adds them once), and listed as such.
//
// The tab's ES builds are split: the entry (what a page loads eagerly, before
// `io()` returns) and chunks it loads with a dynamic import (the bridge,
// requested as the entry runs and not awaited; the in-page hub only without a
// SharedWorker). The last lines
// add them up: eager vs lazy, against issue 6's budget.
//
//   node scripts/sizes.js        (after `npm run build`)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { build, minify } from "vite";

const FILES = [
  ["dist/core.js", "core, deps external"],
  ["dist/index.js", "tab entry for bundlers, deps external"],
  ["dist/hub.js", "startHub() for your own worker script, deps external"],
  ["dist/socket.io-shared.worker.js", "SharedWorker, self-contained"],
  ["dist/socket.io-shared.esm.js", "tab, self-contained ESM"],
  ["dist/socket.io-shared.js", "tab, classic script (one file)"],
];

/** What each lazily loaded chunk is, by the name vite.config.ts gives it. */
const CHUNKS = [
  [/\.page-bridge\.js$/, "lazy: the bridge (Comlink, worker start, fallbacks), requested as the entry runs"],
  [/\.page-host\.js$/, "lazy: the in-page hub (no SharedWorker, or shared: false)"],
];

/** Issue 6, metric 6 (KiB, min+gzip). */
const BUDGET = { tab: 4, worker: 16 };

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

/** The files of dist/ an ES file imports: statically (loaded with it) and dynamically (later). */
export function chunkImports(file) {
  const code = readFileSync(file, "utf8");
  const resolve = (specifier) => path.join(path.dirname(file), specifier);
  const local = (re) => [...code.matchAll(re)].map((m) => m[2]).filter((s) => s.startsWith("./"));
  return {
    static: [...new Set(local(/\b(?:import|export)\b[^"'`()]*?\bfrom\s*(["'`])([^"'`]+)\1/g))].map(resolve),
    dynamic: [...new Set(local(/\bimport\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g))].map(resolve),
  };
}

/** What loading `entry` fetches at once (it and its static imports) and what it may load later. */
function eagerAndLazy(entry) {
  const eager = new Set();
  const lazy = new Set();
  const visit = (file, into) => {
    if (eager.has(file) || into.has(file)) return;
    into.add(file);
    const imports = chunkImports(file);
    for (const dep of imports.static) visit(dep, into);
    for (const dep of imports.dynamic) visit(dep, lazy);
  };
  visit(entry, eager);
  for (const file of eager) lazy.delete(file);
  return { eager: [...eager], lazy: [...lazy] };
}

export async function printSizes() {
  console.log("\nsize (minified / min+gzip)");
  const known = new Set(FILES.map(([file]) => file));
  const chunks = readdirSync("dist")
    .filter((name) => name.endsWith(".js") && !known.has(`dist/${name}`))
    .map((name) => [`dist/${name}`, CHUNKS.find(([re]) => re.test(name))?.[1] ?? "chunk"]);
  const gzip = new Map();
  for (const [file, what] of [...FILES, ...chunks]) {
    if (!existsSync(file)) continue;
    const size = await minGzipSize(file);
    gzip.set(file, size.gzip);
    console.log(`${kb(size.minified)} ${kb(size.gzip)}  ${file.padEnd(40)} ${what}`);
    if (file === "dist/core.js") {
      const bundled = await coreWithDependencies();
      const label = "  + its dependencies";
      console.log(`${kb(bundled.length)} ${kb(gzipSync(bundled).length)}  ${label.padEnd(40)} the core as an app ships it`);
    }
  }

  const entry = "dist/socket.io-shared.esm.js";
  const worker = "dist/socket.io-shared.worker.js";
  if (!existsSync(entry) || !existsSync(worker)) return;
  const sum = (files) => files.reduce((total, file) => total + (gzip.get(file) ?? 0), 0);
  const { eager, lazy } = eagerAndLazy(entry);
  const mark = (bytes, budget) => `${bytes > budget * 1024 ? "OVER" : "within"} ${budget} kB`;
  const names = (files) => files.map((file) => path.basename(file)).join(" + ");
  console.log("\na tab (self-contained ESM), min+gzip");
  console.log(`${kb(sum(eager))}  eager: ${names(eager)} (${mark(sum(eager), BUDGET.tab)})`);
  for (const file of lazy) console.log(`${kb(gzip.get(file) ?? 0)}  lazy: ${path.basename(file)}`);
  console.log(`${kb(gzip.get(worker) ?? 0)}  worker: ${path.basename(worker)} (${mark(gzip.get(worker) ?? 0, BUDGET.worker)})`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await printSizes();
