// `node bench/profile.mjs [--mode shared|direct] [--tabs 4] [--top 12] [--events 20000] [--connect <n>] [--dist <dir>]`:
// where the time goes in each measurement (bench/profile.ts). Needs no prior build.
import { fileURLToPath } from "node:url";
import { runnerImport } from "vite";

const { module } = await runnerImport(fileURLToPath(new URL("./profile.ts", import.meta.url)));
try {
  await module.profile(process.argv.slice(2));
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
