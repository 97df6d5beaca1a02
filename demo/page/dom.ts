/** Small DOM and formatting helpers of the demo page. */

/** The element with this id (the page's HTML declares every one the code uses). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`demo page: no element #${id}`);
  return element as T;
}

/** Sets an element's text only when it changes (no layout work for equal values). */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 12345 → "12,345". */
export const formatCount = (value: number): string => integer.format(value);

/** 1 → "1 tab", 3 → "3 tabs". */
export const plural = (count: number, word: string): string => `${formatCount(count)} ${word}${count === 1 ? "" : "s"}`;

/** Milliseconds, readable: "8 ms", "1.25 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Wall-clock time of day, "14:03:27". */
export function clock(at: number = Date.now()): string {
  return new Date(at).toLocaleTimeString("en-GB", { hour12: false });
}

/**
 * Runs `render` once after the current task, however often it is asked for in
 * it: the hub delivers events in batches, and a batch becomes one render.
 * (Not requestAnimationFrame: it does not run in a tab that is not in front.)
 */
export function batched(render: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      render();
    });
  };
}

/** A new element with a class and text. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
