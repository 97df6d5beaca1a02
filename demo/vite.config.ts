/**
 * The demo's two Vite builds (demo/start.js runs them):
 *
 * - mode "page": demo/page → demo/dist/page, the page a browser opens. It
 *   imports the library by its package name, as an app does; the alias points
 *   that name at the library's bundler entry in dist/ (built by
 *   `npm run build`), so Vite sees exactly what an app that installed the
 *   package sees, and emits the SharedWorker as a file of the page.
 * - mode "server": demo/server/main.ts → demo/dist/server/main.js, the
 *   Node.js server (dependencies stay imports from node_modules).
 */
import path from "node:path";
import { defineConfig, type UserConfig } from "vite";

const here = (...parts: string[]) => path.resolve(import.meta.dirname, ...parts);

const page: UserConfig = {
  root: here("page"),
  base: "/",
  publicDir: false,
  envDir: false,
  logLevel: "warn",
  resolve: {
    alias: [{ find: /^socket\.io-shared$/, replacement: here("../dist/index.js") }],
  },
  build: {
    outDir: here("dist/page"),
    emptyOutDir: true,
    target: "es2022",
    // The worker's file name (with its content hash) stays readable in DevTools.
    assetsInlineLimit: 0,
  },
};

const server: UserConfig = {
  root: here(".."),
  publicDir: false,
  envDir: false,
  logLevel: "warn",
  build: {
    ssr: here("server/main.ts"),
    outDir: here("dist/server"),
    emptyOutDir: true,
    target: "node20",
    minify: false,
    sourcemap: true,
  },
};

export default defineConfig(({ mode }) => {
  if (mode === "page") return page;
  if (mode === "server") return server;
  throw new Error(`demo/vite.config.ts: unknown mode "${mode}" (page or server)`);
});
