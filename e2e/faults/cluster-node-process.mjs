// Child process entry of one socket.io node (e2e/faults/cluster-node.ts), forked by
// e2e/faults/cluster.ts. Node 20 cannot run TypeScript: Vite's module runner loads it.
//
//   node e2e/faults/cluster-node-process.mjs '<NodeOptions as JSON>'
import { fileURLToPath } from "node:url";
import { runnerImport } from "vite";

const { module } = await runnerImport(fileURLToPath(new URL("./cluster-node.ts", import.meta.url)));
await module.runNode(JSON.parse(process.argv[2]));
