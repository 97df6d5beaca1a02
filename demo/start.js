// `npm start`: the demo a new user runs first.
//
//  1. builds the library (`npm run build` → dist/) unless dist/ is newer than its sources,
//  2. builds the demo page and server with Vite (demo/vite.config.ts),
//  3. starts the server: the page and a socket.io server on one origin, and
//     prints the URL to open.
//
// Environment: PORT (default 3000; 0 = any free port; a taken port falls back
// to a free one), HOST (default 127.0.0.1).
//
// Plain JavaScript because Node.js runs this file as it is; everything it
// starts is TypeScript, built by Vite.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "vite";

const ROOT = path.resolve(import.meta.dirname, "..");
const DEMO_CONFIG = path.join(ROOT, "demo/vite.config.ts");
/** What `npm run build` reads, and the files of dist/ the demo page needs. */
const LIBRARY_SOURCES = ["src", "worker", "client", "scripts", "vite.config.ts"];
const LIBRARY_FILES = ["dist/index.js", "dist/socket.io-shared.worker.js"];

const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const step = (what, detail) => console.log(`  ${what.padEnd(8)} ${detail}`);

/** Newest modification time of the files under `entry` (a file or a folder). */
function newest(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

/**
 * The library is rebuilt only when dist/ is missing or older than its sources:
 * a second `npm start` starts at once, and a start while other processes use
 * dist/ (the browser tests) does not pull it from under them.
 */
function libraryIsFresh() {
  const files = LIBRARY_FILES.map((file) => path.join(ROOT, file));
  if (!files.every((file) => existsSync(file))) return false;
  const built = Math.min(...files.map((file) => statSync(file).mtimeMs));
  return LIBRARY_SOURCES.every((source) => newest(path.join(ROOT, source)) <= built);
}

function port() {
  const raw = process.env.PORT;
  if (raw === undefined || raw === "") return 3000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`PORT must be a port number, got "${raw}"`);
  return value;
}

console.log("socket.io-shared demo");

let started = performance.now();
if (libraryIsFresh()) {
  step("library", "dist/ is up to date");
} else {
  step("library", "building dist/ (npm run build)…");
  const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("The library build failed (errors above).");
    process.exit(1);
  }
  step("library", `built in ${seconds(started)}`);
}

started = performance.now();
await build({ configFile: DEMO_CONFIG, mode: "page" });
await build({ configFile: DEMO_CONFIG, mode: "server" });
step("page", `built with Vite in ${seconds(started)} (demo/dist/)`);

const { startDemoServer } = await import(pathToFileURL(path.join(ROOT, "demo/dist/server/main.js")).href);
const server = await startDemoServer({
  pageDir: path.join(ROOT, "demo/dist/page"),
  host: process.env.HOST || "127.0.0.1",
  port: port(),
});
if (server.portTaken !== undefined) step("port", `${server.portTaken} is taken; using a free one`);
step("server", "socket.io with connectionStateRecovery");
console.log("");
console.log(`  Demo running at ${server.url}`);
console.log("  Open it in two or more tabs of the same browser. Ctrl+C stops it.");
console.log("");

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
