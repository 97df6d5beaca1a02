// `npm run build`: every library build of vite.config.ts, then the declarations.
//
//   dist/core.js (+ .d.ts)                the core alone (io, Manager, Socket)
//   dist/index.js (+ .d.ts)               the tab entry for bundlers
//   dist/socket.io-shared.worker.js       the SharedWorker, beside the files that start it
//   dist/hub.js (+ .d.ts)                 startHub() for an app's own worker script
//   dist/socket.io-shared.esm.js          self-contained ESM for a direct <script type="module">
//   dist/socket.io-shared.js              classic script, global `io`
import { existsSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { build } from "vite";
import { writeDeclarations } from "./declarations.js";
import { printSizes } from "./sizes.js";

const TAB = ["client/index.ts", "client/worker.ts"];
/** Build targets (modes of vite.config.ts) in build order, with the sources each needs. */
const TARGETS = [
  { mode: "core", needs: ["src/index.ts"], required: true },
  { mode: "worker", needs: TAB },
  { mode: "hub", needs: ["worker/entry.ts"] },
  { mode: "index", needs: TAB },
  { mode: "esm", needs: TAB },
  { mode: "global", needs: TAB },
];

rmSync("dist", { recursive: true, force: true });

const built = [];
for (const target of TARGETS) {
  const missing = target.needs.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    if (target.required) throw new Error(`missing ${missing.join(", ")}`);
    console.log(`- skipped ${target.mode}: ${missing.join(", ")} does not exist yet`);
    continue;
  }
  await build({ mode: target.mode, logLevel: "warn" });
  built.push(target.mode);
}
console.log(`built: ${built.join(", ")}`);

// Declarations of the core alone until the tab entry is built with it.
const tsconfig = built.includes("index") ? "scripts/tsconfig.build.json" : "scripts/tsconfig.core.json";
try {
  execFileSync("npx", ["tsc", "-p", tsconfig], { stdio: "inherit" });
} catch {
  console.error(`declarations: tsc -p ${tsconfig} failed (errors above)`);
  process.exit(1);
}
writeDeclarations(built);

await printSizes();
