// What the e2e pages put on `window` for the specs' page.evaluate() callbacks.
declare global {
  interface Window {
    /** dist/core.js (pages/core.html). */
    core: typeof import("../src/index");
  }
}

export {};
