/**
 * The "This tab" card: what this tab's socket says (read synchronously, as
 * in socket.io-client) and what the hub holds (`diagnostics()`). The tab also
 * tells the server how many tabs use its socket, for the server's own count.
 */
import type { Diagnostics } from "socket.io-shared";
import { byId, formatCount, setText } from "./dom";
import type { DemoSocket, TabIdentity } from "./types";

const STATE_EVERY_MS = 200;
const DIAGNOSTICS_EVERY_MS = 1000;
/** The tab count is sent when it changes, and at least this often (tabs come and go). */
const REPORT_EVERY_MS = 5000;

type State = "connected" | "connecting" | "reconnecting" | "disconnected";

export function showTabStatus(socket: DemoSocket, readDiagnostics: () => Promise<Diagnostics>, me: TabIdentity): void {
  const pill = byId("state-pill");
  const fields = {
    label: byId("tab-label"),
    mode: byId("mode"),
    why: byId("mode-why"),
    state: byId("state"),
    id: byId("socket-id"),
    connection: byId("connection"),
    transport: byId("transport"),
    recovered: byId("recovered"),
    hubTabs: byId("hub-tabs"),
  };
  let everConnected = false;
  let reported = { count: -1, at: 0 };

  const stateNow = (): State => {
    if (socket.connected) return "connected";
    if (socket.active) return everConnected ? "reconnecting" : "connecting";
    return "disconnected";
  };

  const renderState = () => {
    const state = stateNow();
    if (state === "connected") everConnected = true;
    setText(pill, state);
    pill.dataset.state = state;
    setText(fields.state, state);
    fields.state.dataset.state = state;
    setText(fields.label, me.label);
    setText(fields.id, socket.id ?? "—");
    // manager.engine mirrors the hub's Engine.IO connection, synchronously.
    const engine = socket.io.engine;
    setText(fields.connection, engine.id ? engine.id.slice(0, 8) : "—");
    setText(fields.transport, engine.transport.name ?? "—");
    fields.transport.dataset.transport = engine.transport.name ?? "";
    setText(fields.recovered, socket.connected ? (socket.recovered ? "yes — same session" : "no (new session)") : "—");
    fields.recovered.dataset.recovered = String(socket.connected && socket.recovered);
  };

  const renderDiagnostics = (report: Diagnostics) => {
    setText(fields.mode, report.mode);
    fields.mode.dataset.mode = report.mode;
    setText(fields.why, `Why: ${report.why}.`);
    const mine = report.managers.flatMap((manager) => manager.sockets).find((s) => s.id !== undefined && s.id === socket.id);
    const tabs = mine?.tabs ?? report.counters.tabs;
    setText(fields.hubTabs, formatCount(report.counters.tabs));
    reportTabs(tabs);
  };

  const reportTabs = (count: number) => {
    if (!socket.connected) return;
    const now = Date.now();
    if (count === reported.count && now - reported.at < REPORT_EVERY_MS) return;
    reported = { count, at: now };
    socket.emit("tabs", count);
  };

  const pollDiagnostics = () => {
    readDiagnostics().then(renderDiagnostics, (err: Error) => {
      setText(fields.mode, "unknown");
      setText(fields.why, `diagnostics() failed: ${err.message}`);
    });
  };

  socket.on("connect", () => {
    // A new or recovered session: tell the server again.
    reported = { count: -1, at: 0 };
    renderState();
    pollDiagnostics();
  });
  socket.on("disconnect", renderState);
  setInterval(renderState, STATE_EVERY_MS);
  setInterval(pollDiagnostics, DIAGNOSTICS_EVERY_MS);
  renderState();
  pollDiagnostics();
}
