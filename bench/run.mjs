// `npm run bench` (after `npm run build`): see bench/README.md.
// Node 20 cannot run TypeScript: Vite's module runner loads bench/main.ts.
import { fileURLToPath } from "node:url";
import { runnerImport } from "vite";
import { minGzipSize } from "../scripts/sizes.js";

const { module } = await runnerImport(fileURLToPath(new URL("./main.ts", import.meta.url)));
try {
  await module.main(process.argv.slice(2), minGzipSize);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
