/**
 * The chat: a message is emitted with an acknowledgement; the server sends
 * it to every socket, and the hub hands it to every tab. The server's reply
 * to the emit reaches this tab only, which shows it as "✓ 12 ms".
 */
import type { ChatMessage } from "../shared/events";
import { batched, byId, clock, element, formatMs } from "./dom";
import type { DemoSocket, TabIdentity } from "./types";

const ACK_TIMEOUT_MS = 5000;
const KEEP = 50;

/** A message this tab sent, until the server's reply, and its outcome. */
interface Sent {
  text: string;
  sentAt: number;
  /** Server id of the message, from the reply. */
  id?: number;
  ackMs?: number;
  error?: string;
}

export function showChat(socket: DemoSocket, me: TabIdentity): void {
  const list = byId<HTMLOListElement>("chat-log");
  const form = byId<HTMLFormElement>("chat-form");
  const input = byId<HTMLInputElement>("chat-input");
  const messages = new Map<number, ChatMessage>();
  const sent: Sent[] = [];

  const render = batched(() => {
    const acked = new Map<number, Sent>();
    for (const item of sent) if (item.id !== undefined) acked.set(item.id, item);
    const rows = [...messages.values()].sort((a, b) => a.id - b.id).slice(-KEEP);
    const items = rows.map((message) => row(message.from, message.text, message.at, acked.get(message.id)));
    // Sent, not yet seen back from the server (or failed).
    for (const item of sent) {
      if (item.id === undefined || !messages.has(item.id)) items.push(row(me.label, item.text, item.sentAt, item));
    }
    if (items.length === 0) items.push(element("li", "empty", "No messages yet. Say hello: every tab sees it."));
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    list.replaceChildren(...items);
    if (atBottom) list.scrollTop = list.scrollHeight;
  });

  function row(from: string, text: string, at: number, mine: Sent | undefined): HTMLLIElement {
    const item = element("li", from === me.label ? "mine" : "");
    const head = element("div", "meta");
    head.append(element("span", "from", from), element("span", "time", clock(at)));
    if (mine) {
      const status = mine.error ? `✗ ${mine.error}` : mine.ackMs !== undefined ? `✓ ack ${formatMs(mine.ackMs)}` : "sending…";
      head.append(element("span", mine.error ? "ack failed" : mine.ackMs !== undefined ? "ack" : "ack pending", status));
    }
    item.append(head, element("div", "text", text));
    return item;
  }

  socket.on("chat", (message) => {
    messages.set(message.id, message);
    render();
  });

  // The history comes as the reply to this tab's own request: another tab's
  // request for it does not fill this list.
  socket.on("connect", () => {
    socket.emit("history", (history) => {
      for (const message of history) messages.set(message.id, message);
      render();
    });
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    const item: Sent = { text, sentAt: Date.now() };
    sent.push(item);
    if (sent.length > KEEP) sent.shift();
    const started = performance.now();
    socket.timeout(ACK_TIMEOUT_MS).emit("chat", me.label, text, (err, ack) => {
      if (err) item.error = "no reply from the server";
      else {
        item.id = ack.id;
        item.ackMs = performance.now() - started;
      }
      render();
    });
    render();
  });

  render();
}
