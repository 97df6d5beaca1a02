/**
 * The WebSocket transport over `globalThis.WebSocket`: one Engine.IO packet
 * per frame, binary as binary frames (unless `forceBase64`).
 */
import { encodePacket, type Packet, type RawData } from "engine.io-parser";
import { isBlob, readBlobs, Transport } from "./transport";
import { composeUrl, timestampToken } from "./uri";

type Frame = string | ArrayBuffer | ArrayBufferView | Blob;

export class WebSocketTransport extends Transport {
  readonly name = "websocket";
  private ws: WebSocket | null = null;

  protected doOpen(): void {
    const WebSocketCtor = globalThis.WebSocket;
    if (typeof WebSocketCtor !== "function") throw new Error("WebSocket is not available");
    const { protocols } = this.ctx.options;
    const ws = protocols ? new WebSocketCtor(this.uri(), protocols) : new WebSocketCtor(this.uri());
    ws.binaryType = "arraybuffer";
    ws.onopen = () => this.onOpen();
    ws.onmessage = (event: MessageEvent) => this.onData(event.data as RawData);
    ws.onerror = (event: Event) => this.onError("websocket error", event);
    ws.onclose = (event: CloseEvent) =>
      this.onClose({ description: "websocket connection closed", context: event });
    this.ws = ws;
  }

  protected doClose(): void {
    this.release();
  }

  protected doDiscard(): void {
    this.release();
  }

  /**
   * Each packet goes out as its own frame. The WebSocket buffers internally,
   * so the batch counts as written at once; `drain` follows on a microtask so
   * the engine can first account for what it handed over.
   */
  protected write(packets: Packet[]): void {
    this.writable = false;
    // Binary frames carry Blobs as they are; base64 needs their bytes.
    const ready = this.supportsBinary ? packets : readBlobs(packets);
    if (ready instanceof Promise) {
      ready.then(
        (resolved) => this.encodeAndSend(resolved),
        (err: unknown) => this.onError("websocket write error", err),
      );
    } else {
      this.encodeAndSend(ready);
    }
  }

  private encodeAndSend(packets: Packet[]): void {
    if (packets.length === 0) return this.sendFrames([]);
    const frames: Frame[] = new Array<Frame>(packets.length);
    let pending = packets.length;
    const encoded = (index: number, frame: Frame) => {
      frames[index] = frame;
      // The parser may answer asynchronously (base64 through a FileReader):
      // send only once every frame of the batch is ready, in order.
      if (--pending === 0) this.sendFrames(frames);
    };
    try {
      packets.forEach((packet, index) => {
        if (this.supportsBinary && isBlob(packet.data)) {
          encoded(index, packet.data);
        } else {
          encodePacket(packet, this.supportsBinary, (frame: Frame) => encoded(index, frame));
        }
      });
    } catch (err) {
      this.onError("websocket write error", err);
    }
  }

  private sendFrames(frames: Frame[]): void {
    if (this.readyState === "closed" || !this.ws) return;
    for (const frame of frames) {
      try {
        this.ws.send(frame);
      } catch {
        // The socket closed before the browser told us; its close event follows.
      }
    }
    queueMicrotask(() => {
      if (this.readyState === "closed") return;
      this.writable = true;
      this.emitReserved("drain");
    });
  }

  private release(): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    // Late events of this socket must not reach us (a close during the
    // handshake reports an error in some runtimes).
    ws.onerror = () => {};
    ws.onopen = null;
    ws.onmessage = null;
    ws.onclose = null;
    try {
      ws.close();
    } catch {
      // Already closing.
    }
  }

  private uri(): string {
    const { timestampRequests, timestampParam } = this.ctx.options;
    const query = { ...this.query };
    if (timestampRequests === true) query[timestampParam] = timestampToken();
    if (!this.supportsBinary) query.b64 = "1";
    return composeUrl(this.ctx.address, this.ctx.address.secure ? "wss" : "ws", query);
  }
}
