/**
 * HTTP long-polling over `fetch`: one GET always waiting for the server's
 * next payload, and one POST at a time carrying the client's packets.
 * Payloads are text (binary travels base64-encoded as `b...` packets).
 * Errors carry the messages of socket.io-client's default (XHR) polling,
 * "xhr poll error" and "xhr post error": what users match on.
 */
import { decodePayload, encodePayload, type Packet } from "engine.io-parser";
import { readBlobs, Transport } from "./transport";
import { composeUrl, timestampToken } from "./uri";

/** How long a closing transport waits for its `close` POST before aborting everything. */
const CLOSE_GRACE_MS = 5_000;

export class Polling extends Transport {
  readonly name = "polling";
  /** The GET in flight, if any. */
  private pollRequest: AbortController | null = null;
  /** The data POST in flight, if any. */
  private postRequest: AbortController | null = null;
  private onPaused: (() => void) | null = null;

  protected doOpen(): void {
    this.poll();
  }

  override pause(onPause: () => void): void {
    this.readyState = "pausing";
    this.onPaused = onPause;
    this.settlePause();
  }

  override resume(): void {
    if (this.readyState !== "pausing" && this.readyState !== "paused") return;
    this.readyState = "open";
    this.onPaused = null;
    if (!this.pollRequest) this.poll();
  }

  protected doClose(): void {
    if (this.readyState === "opening") {
      // No session yet: nothing to tell the server.
      this.abortAll();
      return;
    }
    // Tell the server first, so it closes the session as a clean "transport
    // close"; the waiting GET is answered by the server, or aborted below.
    const finish = () => {
      this.ctx.timers.clearTimeout(timer);
      this.abortAll();
    };
    const timer = this.ctx.timers.setTimeout(finish, CLOSE_GRACE_MS);
    encodePayload([{ type: "close" }], (body) => {
      this.request(body, undefined)
        .then((res) => res.arrayBuffer())
        .catch(() => undefined)
        .finally(finish);
    });
  }

  protected doDiscard(): void {
    this.abortAll();
  }

  protected write(packets: Packet[]): void {
    this.writable = false;
    const ready = readBlobs(packets);
    if (ready instanceof Promise) {
      ready.then(
        (resolved) => this.post(resolved),
        (err: unknown) => this.onError("xhr post error", err),
      );
    } else {
      this.post(ready);
    }
  }

  private post(packets: Packet[]): void {
    try {
      encodePayload(packets, (body) => {
        this.sendPost(body).catch((err: unknown) => this.onError("xhr post error", err));
      });
    } catch (err) {
      this.onError("xhr post error", err);
    }
  }

  private async sendPost(body: string): Promise<void> {
    if ((await this.exchange(body)) === undefined) return;
    this.postRequest = null;
    this.writable = true;
    this.emitReserved("drain");
    this.settlePause();
  }

  private poll(): void {
    this.receive().catch((err: unknown) => this.onError("xhr poll error", err));
  }

  private async receive(): Promise<void> {
    const payload = await this.exchange(undefined);
    if (payload === undefined) return;
    this.pollRequest = null;
    this.onPayload(payload);
  }

  /**
   * One GET (no body) or POST, abortable by close and bounded by
   * `requestTimeout`. Resolves with the GET's payload ("" for a POST), or
   * undefined when the request failed (reported) or was aborted.
   */
  private async exchange(body: string | undefined): Promise<string | undefined> {
    const reason = body === undefined ? "xhr poll error" : "xhr post error";
    const controller = new AbortController();
    if (body === undefined) this.pollRequest = controller;
    else this.postRequest = controller;
    const { timers, options } = this.ctx;
    let timedOut = false;
    const timer = options.requestTimeout
      ? timers.setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, options.requestTimeout)
      : undefined;
    let payload = "";
    try {
      const res = await this.request(body, controller.signal);
      if (!res.ok) {
        this.onError(reason, res.status, res);
        return;
      }
      // A POST's short "ok" is read in the background (so the connection
      // returns to the pool): the status says the server has the packets.
      if (body === undefined) payload = await res.text();
      else res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      if (timedOut || !controller.signal.aborted) this.onError(reason, timedOut ? "request timeout" : err);
      return;
    } finally {
      if (timer !== undefined) timers.clearTimeout(timer);
    }
    return controller.signal.aborted || this.readyState === "closed" ? undefined : payload;
  }

  private onPayload(payload: string): void {
    let packets: Packet[];
    try {
      packets = decodePayload(payload, this.ctx.binaryType());
    } catch {
      packets = [{ type: "error", data: "parser error" }];
    }
    for (const packet of packets) {
      if (this.readyState === "opening" && packet.type === "open") this.onOpen();
      if (packet.type === "close") {
        this.abortAll();
        this.onClose({ description: "transport closed by the server" });
        return;
      }
      this.onPacket(packet);
      // A packet may have closed the engine (and this transport) under us.
      if (this.readyState === "closed") return;
    }
    if (this.readyState === "open") this.poll();
    else this.settlePause();
  }

  /** Completes a pending pause once no GET and no POST is in flight. */
  private settlePause(): void {
    if (this.readyState !== "pausing" || this.pollRequest || !this.writable) return;
    this.readyState = "paused";
    const onPaused = this.onPaused;
    this.onPaused = null;
    onPaused?.();
  }

  private abortAll(): void {
    this.pollRequest?.abort();
    this.postRequest?.abort();
    this.pollRequest = null;
    this.postRequest = null;
  }

  private async request(body: string | undefined, signal: AbortSignal | undefined): Promise<Response> {
    const { extraHeaders, withCredentials } = this.ctx.options;
    const headers = new Headers(extraHeaders);
    if (body !== undefined) headers.set("content-type", "text/plain;charset=UTF-8");
    return fetch(this.uri(), {
      method: body === undefined ? "GET" : "POST",
      body,
      headers,
      // "same-origin" when not asked, as XHR polling does: same-origin
      // cookies (sticky sessions) still travel.
      credentials: withCredentials ? "include" : "same-origin",
      signal,
    });
  }

  private uri(): string {
    const { timestampRequests, timestampParam } = this.ctx.options;
    const query = { ...this.query };
    // Polling busts caches unless explicitly told not to.
    if (timestampRequests !== false) query[timestampParam] = timestampToken();
    if (!this.supportsBinary && !query.sid) query.b64 = "1";
    return composeUrl(this.ctx.address, this.ctx.address.secure ? "https" : "http", query);
  }
}
