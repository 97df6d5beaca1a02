/**
 * The debug switch, read the way the `debug` package (socket.io-client's
 * logger) reads it: `localStorage.debug` holds names separated by commas or
 * spaces, `*` matches anything, a leading `-` excludes. socket.io-shared's
 * names are `socket.io-shared:tab` (this tab's bridge) and
 * `socket.io-shared:hub` (the hub's decisions, sent to this tab: a worker has
 * no `localStorage`), so `localStorage.debug = "socket.io-shared:*"` turns on both.
 */

/** Whether `namespace` is on in a `debug`-style setting. */
export function debugEnabled(namespace: string, setting: string | undefined): boolean {
  let on = false;
  for (const name of (setting ?? "").split(/[\s,]+/)) {
    if (!name) continue;
    const skip = name.startsWith("-");
    const pattern = (skip ? name.slice(1) : name).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
    if (!new RegExp(`^${pattern}$`).test(namespace)) continue;
    if (skip) return false;
    on = true;
  }
  return on;
}

/** `localStorage.debug` of this page, if it can be read (a sandboxed frame throws). */
export function pageDebugSetting(): string | undefined {
  try {
    return globalThis.localStorage?.getItem("debug") ?? undefined;
  } catch {
    return undefined;
  }
}
