/**
 * The server's own view, pushed to every page twice a second: the headline
 * ("3 tabs · 1 connection") and the Server card.
 */
import type { ServerStats } from "../shared/events";
import { byId, element, formatCount, plural, setText } from "./dom";
import type { DemoSocket } from "./types";

export function showServerView(socket: DemoSocket): void {
  const headline = byId("headline");
  const fields = {
    connections: byId("srv-connections"),
    tabs: byId("srv-tabs"),
    eventsIn: byId("srv-in"),
    eventsOut: byId("srv-out"),
    list: byId("srv-list"),
    totals: byId("srv-totals"),
  };
  let lastHeadline = "";

  const render = (stats: ServerStats) => {
    const text = `${plural(stats.tabs, "tab")} · ${plural(stats.connections, "connection")}`;
    if (text !== lastHeadline) {
      lastHeadline = text;
      headline.replaceChildren(
        element("strong", "", formatCount(stats.tabs)),
        ` ${stats.tabs === 1 ? "tab" : "tabs"} · `,
        element("strong", "", formatCount(stats.connections)),
        ` ${stats.connections === 1 ? "connection" : "connections"}`,
      );
    }
    headline.dataset.shared = String(stats.connections > 0 && stats.tabs > stats.connections);
    setText(fields.connections, formatCount(stats.connections));
    setText(fields.tabs, formatCount(stats.tabs));
    setText(fields.eventsIn, formatCount(stats.eventsIn));
    setText(fields.eventsOut, formatCount(stats.eventsOut));
    setText(
      fields.totals,
      `${plural(stats.accepted, "connection")} accepted since start · ${plural(stats.recovered, "session")} recovered`,
    );
    const engineId = socket.io.engine.id?.slice(0, 8);
    fields.list.replaceChildren(
      ...stats.list.map((connection) => {
        const item = element("li", connection.id === engineId ? "mine" : "");
        item.append(
          element("span", "mono", connection.id),
          element("span", "transport", connection.transport),
          element("span", "count", plural(connection.tabs, "tab")),
        );
        if (connection.id === engineId) item.append(element("span", "badge", "this tab"));
        return item;
      }),
    );
  };

  socket.on("stats", render);
}
