/**
 * A minimal Chrome DevTools Protocol client over the browser's remote
 * debugging port: one WebSocket per target (the browser, a page, the
 * SharedWorker), commands by id, events by method name.
 */
import WebSocket from "ws";

export interface CdpTarget {
  id: string;
  type: string;
  url: string;
  webSocketDebuggerUrl: string;
}

export async function listTargets(port: number): Promise<CdpTarget[]> {
  const response = await fetch(`http://127.0.0.1:${port}/json/list`);
  return (await response.json()) as CdpTarget[];
}

/** The browser-wide endpoint (`/json/version`'s webSocketDebuggerUrl). */
export async function browserEndpoint(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/json/version`);
  return ((await response.json()) as { webSocketDebuggerUrl: string }).webSocketDebuggerUrl;
}

/** An event's params, and the session it came from (flat sessions of auto-attached targets). */
type EventHandler = (params: Record<string, unknown>, sessionId?: string) => void;

export class CdpConnection {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(err: Error): void }>();
  private readonly handlers = new Map<string, EventHandler[]>();

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
        sessionId?: string;
      };
      if (message.id === undefined) {
        for (const handler of this.handlers.get(message.method ?? "") ?? []) handler(message.params ?? {}, message.sessionId);
        return;
      }
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) call?.reject(new Error(message.error.message));
      else call?.resolve(message.result);
    });
    ws.on("close", () => {
      for (const call of this.pending.values()) call.reject(new Error("the DevTools connection closed"));
      this.pending.clear();
    });
  }

  static open(url: string): Promise<CdpConnection> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new CdpConnection(ws)));
      ws.once("error", reject);
    });
  }

  /** Sends a command; with `sessionId`, to that attached target (flat protocol). */
  send<T = unknown>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    const id = ++this.nextId;
    this.ws.send(JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject }));
  }

  on(method: string, handler: EventHandler): void {
    this.handlers.set(method, [...(this.handlers.get(method) ?? []), handler]);
  }

  close(): void {
    this.ws.close();
  }
}
