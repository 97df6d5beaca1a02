import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each file starts its own socket.io servers on port 0, so files can run in parallel.
    pool: "forks",
    // In CI one retry absorbs a timing race on a loaded machine; a test that
    // fails twice fails the run.
    retry: process.env.CI ? 1 : 0,
  },
});
