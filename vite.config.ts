/**
 * Library builds. `npm run build` (scripts/build.js) runs `vite build --mode <target>`
 * once per target below, then `tsc` for the declarations. Each target writes
 * one file into dist/ (they share the folder, so none of them empties it).
 *
 * Plain `vite` (dev server, mode "development") serves the project root.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig, type Plugin, type UserConfig } from "vite";

/** File name of the built worker, next to the builds that start it. */
const WORKER_FILE = "socket.io-shared.worker.js";

/**
 * Packages stay imports in the builds meant for bundlers (and Node): the app
 * resolves them once, with the conditions of its own platform. In the sources
 * only the runtime dependencies of package.json are imported by name.
 */
const isPackageImport = (id: string) => !id.startsWith(".") && !id.startsWith("\0") && !path.isAbsolute(id);

interface Target {
  entry: string;
  fileName: string;
  format: "es" | "iife";
  /** Bundle the runtime deps in (self-contained) or leave them as imports. */
  selfContained: boolean;
  /** Entry creates the SharedWorker: point it at the worker file beside it. */
  startsWorker?: boolean;
}

const targets: Record<string, Target> = {
  core: { entry: "src/index.ts", fileName: "core.js", format: "es", selfContained: false },
  worker: { entry: "client/worker.ts", fileName: WORKER_FILE, format: "es", selfContained: true },
  // `startHub()` for an app's own worker script (custom codecs), bundled by the app.
  hub: { entry: "worker/entry.ts", fileName: "hub.js", format: "es", selfContained: false },
  index: { entry: "client/index.ts", fileName: "index.js", format: "es", selfContained: false, startsWorker: true },
  esm: {
    entry: "client/index.ts",
    fileName: "socket.io-shared.esm.js",
    format: "es",
    selfContained: true,
    startsWorker: true,
  },
  global: {
    entry: "scripts/global-entry.ts",
    fileName: "socket.io-shared.js",
    format: "iife",
    selfContained: true,
    startsWorker: true,
  },
};

function libraryBuild(target: Target): UserConfig {
  if (!existsSync(target.entry)) throw new Error(`build entry ${target.entry} does not exist`);
  return {
    // No public/ copying and no .env lookups: the output is exactly the files below.
    publicDir: false,
    envDir: false,
    plugins: target.startsWorker ? [sharedWorkerUrl(target.format)] : [],
    build: {
      outDir: "dist",
      emptyOutDir: false,
      target: "es2022",
      sourcemap: true,
      // Builds for bundlers stay readable (the app's bundler minifies); files
      // loaded as they are get minified.
      minify: target.selfContained,
      lib: {
        entry: target.entry,
        formats: [target.format],
        fileName: () => target.fileName,
        name: "io",
      },
      rolldownOptions: {
        external: target.selfContained ? [] : isPackageImport,
        // The bridge (loaded on the first io()) and the in-page hub (the fallback
        // without SharedWorker) are lazily loaded chunks; what they share with the
        // entry stays in the entry, which may then export a few internal names.
        preserveEntrySignatures: "allow-extension",
        output: {
          ...(target.format === "iife"
            ? { exports: "default" as const }
            : {
                chunkFileNames: `${target.fileName.replace(/\.js$/, "")}.[name].js`,
                // Vite keeps whitespace in ES library output; a file served as it is wants none.
                ...(target.selfContained ? { minify: true } : {}),
              }),
          // A file served as it is has no bundler after it: the /* @__PURE__ */ hints are dead weight.
          ...(target.selfContained ? { comments: { legal: true, annotation: false, jsdoc: false } } : {}),
        },
      },
    },
  };
}

/**
 * The plugin for the library builds that start the SharedWorker.
 *
 * In the sources, the tab starts the worker script client/worker.ts
 * (client/start-worker.ts):
 *   new SharedWorker(new URL("./worker.js", import.meta.url), { type: "module", ... })
 * In dist/ the worker is a file of its own (WORKER_FILE, built by the "worker"
 * target from the same script), so that URL must point at it:
 *
 * - ES builds keep the literal `new URL("./<WORKER_FILE>", import.meta.url)`:
 *   an app's bundler (Vite, webpack 5) recognises that form inside
 *   `new SharedWorker(...)` and emits the worker as a same-origin file, and a
 *   page importing the file directly finds the worker beside it.
 * - The classic script has no import.meta: it remembers its own URL
 *   (document.currentScript, only set while the script first runs) and
 *   resolves the worker against that. The module that remembers it is
 *   imported by the entry too: the code that starts the worker is loaded
 *   lazily (inlined in this one file, but evaluated on first use, too late
 *   for document.currentScript).
 *
 * Vite's own worker handling must not see the source URL (it would bundle the
 * worker a second time and replace the literal with an expression no bundler
 * recognises), so this plugin runs first and swaps in a placeholder that
 * Vite's pattern does not match; the literal goes back in after bundling.
 */
const PLACEHOLDER = "__SOCKET_IO_SHARED_WORKER_URL__";
const SCRIPT_URL_MODULE = "\0socket.io-shared:script-url";
const SOURCE_URL_RE = /new\s+URL\s*\(\s*(["'])([^"'`]+)\1\s*,\s*import\.meta\.url\s*\)/g;

const stripExtension = (file: string) => file.replace(/\.[cm]?[jt]s$/, "");

function sharedWorkerUrl(format: "es" | "iife"): Plugin {
  let replaced = 0;
  /** Sources a worker URL may point at: the worker script, or the hub entry it imports. */
  let workerSources: string[] = [];
  let entry = "";
  return {
    name: "socket.io-shared:worker-url",
    enforce: "pre",
    configResolved(config) {
      workerSources = ["client/worker", "worker/entry"].map((file) => path.resolve(config.root, file));
      const lib = config.build.lib;
      if (lib && typeof lib.entry === "string") entry = path.resolve(config.root, lib.entry);
    },
    buildStart() {
      replaced = 0;
    },
    resolveId(id) {
      return id === SCRIPT_URL_MODULE ? id : null;
    },
    load(id) {
      if (id !== SCRIPT_URL_MODULE) return null;
      // Runs while the classic script is first evaluated: the only moment
      // document.currentScript points at it.
      return [
        `const script = typeof document !== "undefined" ? document.currentScript : null;`,
        `const base = script && script.src ? script.src : typeof location !== "undefined" ? location.href : "";`,
        `export const workerUrl = () => new URL(${JSON.stringify(WORKER_FILE)}, base);`,
      ].join("\n");
    },
    transform(code, id) {
      if (format === "iife" && id === entry) return { code: `${code}\nimport "${SCRIPT_URL_MODULE}";`, map: null };
      if (!/\.[cm]?ts$/.test(id) || !code.includes("import.meta.url")) return null;
      let found = false;
      const out = code.replace(SOURCE_URL_RE, (whole, _quote: string, url: string) => {
        if (!url.startsWith(".")) return whole;
        if (!workerSources.includes(stripExtension(path.resolve(path.dirname(id), url)))) return whole;
        found = true;
        replaced++;
        return format === "es" ? PLACEHOLDER : "__socketIoSharedWorkerUrl()";
      });
      if (!found) return null;
      // Appended (imports are hoisted) so that no line moves: the source map stays close.
      const tail = format === "es" ? "" : `\nimport { workerUrl as __socketIoSharedWorkerUrl } from "${SCRIPT_URL_MODULE}";`;
      return { code: out + tail, map: null };
    },
    buildEnd(error) {
      if (!error && replaced === 0) {
        this.error(`no new URL("<path to client/worker.ts>", import.meta.url) found in the client sources`);
      }
    },
    renderChunk(code) {
      if (format !== "es" || !code.includes(PLACEHOLDER)) return null;
      const literal = `new URL(${JSON.stringify(`./${WORKER_FILE}`)}, import.meta.url)`;
      return { code: code.split(PLACEHOLDER).join(literal), map: null };
    },
  };
}

export default defineConfig(({ mode }) => {
  const target = targets[mode];
  if (target) return libraryBuild(target);
  return { publicDir: false };
});
