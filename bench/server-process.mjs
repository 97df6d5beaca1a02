// Child process entry of the bench's server (bench/server.ts), kept apart from
// the process that drives the browser so that its CPU time is the server's alone.
// Node 20 cannot run TypeScript: Vite's module runner loads it.
//
//   node bench/server-process.mjs <dist folder>     (forked by bench/server-handle.ts)
import { fileURLToPath } from "node:url";
import { runnerImport } from "vite";

const { module } = await runnerImport(fileURLToPath(new URL("./server.ts", import.meta.url)));
await module.runServer(process.argv[2]);
