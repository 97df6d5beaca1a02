/**
 * Reconnection: a button that asks the server to close the Engine.IO
 * connection, and a log of what this tab's socket went through. With the
 * server's connectionStateRecovery, the socket comes back recovered: same id,
 * and the events sent meanwhile are delivered.
 */
import { byId, clock, element } from "./dom";
import type { DemoSocket, TabIdentity } from "./types";

const KEEP = 8;

type Kind = "good" | "bad" | "info";

export function showReconnection(socket: DemoSocket, me: TabIdentity): void {
  const log = byId<HTMLOListElement>("events");
  const drop = byId<HTMLButtonElement>("drop");
  let previousId: string | undefined;

  const add = (kind: Kind, text: string) => {
    const item = element("li", kind);
    item.append(element("span", "time", clock()), element("span", "what", text));
    log.prepend(item);
    while (log.children.length > KEEP) log.lastElementChild?.remove();
  };

  socket.on("connect", () => {
    const transport = socket.io.engine.transport.name ?? "?";
    if (socket.recovered) {
      const same = socket.id === previousId ? "same socket id" : "new socket id";
      add("good", `connected over ${transport} · session recovered (${same})`);
    } else {
      add("good", `connected over ${transport} · socket ${socket.id ?? "?"}`);
    }
    previousId = socket.id;
  });
  // `socket.io.engine` mirrors the hub's Engine.IO connection and lives as long
  // as the Manager, so one listener hears every upgrade.
  socket.io.engine.on("upgrade", (transport) => add("info", `transport upgraded to ${transport.name}`));
  socket.on("disconnect", (reason) => add("bad", `disconnected: ${reason}`));
  socket.on("connect_error", (err) => add("bad", `connect_error: ${err.message}`));
  socket.io.on("reconnect_attempt", (attempt) => add("info", `reconnecting (attempt ${attempt})`));
  socket.on("dropped", (by, connection) => {
    add("info", `${by === me.label ? "You" : by} asked the server to close connection ${connection}`);
  });

  drop.addEventListener("click", () => {
    socket.emit("drop", me.label);
  });
}
