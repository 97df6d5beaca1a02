/**
 * A tiny scriptable Engine.IO responder over node:http + ws, for what a real
 * server never sends: garbage handshakes, broken payloads, unknown packet
 * types, silence. Not a server: it answers exactly what the script says.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface RawRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}

/** What `onPoll` answers a GET with. */
export type PollAnswer = string | Uint8Array | { status: number; body: string | Uint8Array };

export interface RawEngineScript {
  /**
   * Answers to successive polling GETs: a body (status 200) or a status and
   * body. Once used up, further GETs hang until the server closes (a silent
   * server).
   */
  polls?: Array<string | { status: number; body: string }>;
  /** Answer to a POST. Default: 200 "ok". */
  onPost?: (body: string) => { status: number; body: string } | void;
  /**
   * Answers each polling GET itself (instead of `polls`): a body (status 200),
   * a status and body, a promise of either, or undefined to leave the GET
   * hanging until the server closes. Bodies may be bytes (not necessarily UTF-8).
   */
  onPoll?: (req: RawRequest) => PollAnswer | undefined | Promise<PollAnswer | undefined>;
  /** Sees every POST with its URL (and so its `sid`) before `onPost` answers it. */
  onPostRequest?: (req: RawRequest) => void;
  /** Drives each accepted WebSocket. Without it, WebSocket upgrades are refused (HTTP 400). */
  onWebSocket?: (ws: WebSocket, url: URL) => void;
}

export interface RawEngineServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every HTTP request received, in order (WebSocket upgrades included). */
  requests: RawRequest[];
  close(): Promise<void>;
}

/** The text of an open packet, with sensible defaults to override. */
export function openPacket(fields: Record<string, unknown> = {}): string {
  return (
    "0" +
    JSON.stringify({
      sid: "raw-sid",
      upgrades: [],
      pingInterval: 5_000,
      pingTimeout: 5_000,
      maxPayload: 1_000_000,
      ...fields,
    })
  );
}

export async function startRawEngineServer(script: RawEngineScript): Promise<RawEngineServer> {
  const requests: RawRequest[] = [];
  const hanging: ServerResponse[] = [];
  let pollIndex = 0;
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      requests.push({ method: req.method ?? "GET", url, headers: req.headers, body });
      if (req.method === "POST") {
        script.onPostRequest?.(requests[requests.length - 1]);
        const answer = script.onPost?.(body) ?? { status: 200, body: "ok" };
        res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
        return;
      }
      if (script.onPoll) {
        hanging.push(res);
        Promise.resolve(script.onPoll(requests[requests.length - 1])).then((answer) => {
          if (answer === undefined || res.destroyed || res.writableEnded) return;
          const { status, body: data } = typeof answer === "object" && "status" in answer ? answer : { status: 200, body: answer };
          res.writeHead(status, { "content-type": "text/plain; charset=UTF-8" }).end(data);
        });
        return;
      }
      const polls = script.polls ?? [];
      if (pollIndex < polls.length) {
        const answer = polls[pollIndex++];
        const { status, body: text } = typeof answer === "string" ? { status: 200, body: answer } : answer;
        res.writeHead(status, { "content-type": "text/plain; charset=UTF-8" }).end(text);
      } else {
        hanging.push(res);
      }
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: "UPGRADE", url, headers: req.headers, body: "" });
    if (!script.onWebSocket) {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      return;
    }
    const onWebSocket = script.onWebSocket;
    wss.handleUpgrade(req, socket, head, (ws) => onWebSocket(ws, url));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
