/**
 * A loopback HTTP load balancer in front of several socket.io nodes, as users
 * run them: sticky sessions for Engine.IO polling (a request that names a
 * `sid` goes to the node that issued it), WebSocket upgrades piped through,
 * and every other request (pages, handshakes) to the first node that is up.
 * A node that refuses connections is marked down (the health check a real
 * balancer runs) and the request goes to the next one; when a node dies, the
 * connections it held end.
 */
import { createServer, request, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { listenOnLoopback, OpenSockets } from "./open-sockets";

export interface Backend {
  name: string;
  port: number;
}

export interface Balancer {
  url: string;
  /** Which node issued each Engine.IO session (by sid). */
  readonly sessions: Map<string, string>;
  /** Requests and upgrades forwarded, per node. */
  readonly forwarded: Map<string, number>;
  /** Adds a node (a restarted one, on its new port). */
  add(backend: Backend): void;
  close(): Promise<void>;
}

const sidOf = (req: IncomingMessage) => new URL(req.url ?? "/", "http://balancer").searchParams.get("sid");

export async function startBalancer(initial: Backend[]): Promise<Balancer> {
  const backends = [...initial];
  const down = new Set<string>();
  const sessions = new Map<string, string>();
  const forwarded = new Map<string, number>();

  /** The node for a request: its session's node, else the first one up after those tried already. */
  const pick = (sid: string | null, tried: Set<string>): Backend | undefined => {
    const sticky = sid ? backends.find((b) => b.name === sessions.get(sid)) : undefined;
    if (sticky) return tried.has(sticky.name) ? undefined : sticky;
    return backends.find((b) => !down.has(b.name) && !tried.has(b.name));
  };
  const count = (backend: Backend) => forwarded.set(backend.name, (forwarded.get(backend.name) ?? 0) + 1);

  const http = createServer((req, res) => {
    const sid = sidOf(req);
    const body: Buffer[] = [];
    req.on("data", (chunk: Buffer) => body.push(chunk));
    req.on("end", () => {
      const tried = new Set<string>();
      const attempt = () => {
        const backend = pick(sid, tried);
        if (!backend) return res.writeHead(502).end("no node up");
        tried.add(backend.name);
        count(backend);
        const upstream = request({ host: "127.0.0.1", port: backend.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          const isHandshake = !sid && (req.url ?? "").includes("transport=polling") && answer.statusCode === 200;
          if (!isHandshake) {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            return;
          }
          // Learn which node issued the session: the open packet names its sid.
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            const text = Buffer.concat(chunks);
            const issued = /"sid":"([^"]+)"/.exec(text.toString("utf8"))?.[1];
            if (issued) sessions.set(issued, backend.name);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(text);
          });
        });
        upstream.on("error", (err: NodeJS.ErrnoException) => {
          if (err.code === "ECONNREFUSED" && !res.headersSent) {
            down.add(backend.name);
            if (!sid) return attempt();
          }
          res.destroy();
        });
        res.on("close", () => upstream.destroy());
        upstream.end(Buffer.concat(body));
      };
      attempt();
    });
  });

  const open = new OpenSockets(http);
  http.on("upgrade", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const tried = new Set<string>();
    const attempt = () => {
      const backend = pick(sidOf(req), tried);
      if (!backend) return client.destroy();
      tried.add(backend.name);
      count(backend);
      const upstream = connect(backend.port, "127.0.0.1");
      open.add(upstream);
      upstream.once("connect", () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "ECONNREFUSED" && upstream.bytesRead === 0 && !client.destroyed) {
          down.add(backend.name);
          if (!sidOf(req)) return attempt();
        }
        client.destroy();
      });
      upstream.on("close", () => client.destroy());
      client.on("error", () => upstream.destroy());
      client.on("close", () => upstream.destroy());
    };
    attempt();
  });
  return {
    url: await listenOnLoopback(http),
    sessions,
    forwarded,
    add: (backend) => {
      backends.push(backend);
      down.delete(backend.name);
    },
    close: () => open.closeAll(),
  };
}
