/**
 * An HTTP forwarder that adds `Access-Control-Allow-Origin: *` to every
 * answer: it puts the scripted Engine.IO responder (test/helpers/raw-engine-server.ts,
 * which sends no CORS headers) within reach of a page's polling requests
 * from another origin. Requests and bodies pass through unchanged, byte for
 * byte; a GET the responder leaves hanging hangs here too.
 */
import { createServer, request } from "node:http";
import { listenOnLoopback, OpenSockets } from "./open-sockets";

export interface CorsForwarder {
  url: string;
  close(): Promise<void>;
}

export async function startCorsForwarder(target: { port: number }): Promise<CorsForwarder> {
  const http = createServer((req, res) => {
    const upstream = request(
      { host: "127.0.0.1", port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, "access-control-allow-origin": "*" });
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  const open = new OpenSockets(http);
  return {
    url: await listenOnLoopback(http),
    close: () => open.closeAll(),
  };
}
