// Node 20 has no global WebSocket; the core, like a browser build, looks for one on globalThis.
import { WebSocket } from "ws";

if (typeof globalThis.WebSocket === "undefined") {
  Object.assign(globalThis, { WebSocket });
}
