/**
 * The demo page. It uses socket.io-shared exactly as an app does: imported by
 * package name, `io()` with socket.io-client's options, typed events.
 *
 * `?shared=false` in the URL runs this tab with `shared: false` (the hub in the
 * page, one connection of its own), to compare with the shared tabs.
 */
import { diagnostics, io, type SocketIoOptions } from "socket.io-shared";
import { showChat } from "./chat";
import { byId, setText } from "./dom";
import { showReconnection } from "./reconnect";
import { showServerView } from "./server-view";
import { showTabStatus } from "./status";
import { showThroughput } from "./throughput";
import type { DemoSocket, TabIdentity } from "./types";

const shared = new URLSearchParams(location.search).get("shared") !== "false";
const options: SocketIoOptions = shared ? {} : { shared: false };

// Same origin as the page: the demo server serves both.
const socket: DemoSocket = io(options);

const me: TabIdentity = { id: tabId(), label: "Tab …" };

// A label per tab ("Tab 2"), asked of the server on every connection. The
// reply reaches this tab only, though every tab emits on the same socket.
socket.on("connect", () => {
  socket.emit("hello", me.id, (label) => {
    me.label = label;
    document.title = `${label} · socket.io-shared demo`;
  });
});

showTabStatus(socket, () => diagnostics(options), me);
showServerView(socket);
showChat(socket, me);
showThroughput(socket, me);
showReconnection(socket, me);
showModeSwitch();

/** A random id kept for this tab's life, reloads included (sessionStorage is per tab). */
function tabId(): string {
  const key = "socket.io-shared-demo:tab";
  let id = sessionStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem(key, id);
  }
  return id;
}

function showModeSwitch(): void {
  const link = byId<HTMLAnchorElement>("mode-switch");
  link.href = shared ? "?shared=false" : "./";
  setText(link, shared ? "Open a tab with shared: false" : "Back to a shared tab");
  link.target = "_blank";
}
