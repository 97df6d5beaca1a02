/**
 * Writes encoded packets to the engine in order, turning Blobs into
 * ArrayBuffers first. A Blob's bytes can only be read asynchronously, and not
 * every transport can send a Blob (Node has no FileReader for the base64 of
 * polling), so the Socket.IO layer hands the engine bytes it can always send.
 * Packets behind a Blob wait for it: the order on the wire is the emit order.
 */

export type Chunk = string | ArrayBuffer | ArrayBufferView | Blob;

export interface ChunkSink {
  /** Writes one chunk; called in order. Returns nothing, may drop when closed. */
  write(chunk: string | ArrayBuffer | ArrayBufferView, options: { compress?: boolean }): void;
}

interface PendingWrite {
  chunks: Chunk[];
  options: { compress?: boolean };
  sink: ChunkSink;
}

const hasBlob = typeof Blob === "function";
const isBlob = (chunk: unknown): chunk is Blob => hasBlob && chunk instanceof Blob;

export class ChunkWriter {
  private readonly queue: PendingWrite[] = [];
  private draining = false;

  /** Writes `chunks` to `sink` now, or after the Blobs queued before them. */
  write(sink: ChunkSink, chunks: Chunk[], options: { compress?: boolean }): void {
    if (this.queue.length === 0 && !chunks.some(isBlob)) {
      for (const chunk of chunks) sink.write(chunk as Exclude<Chunk, Blob>, options);
      return;
    }
    this.queue.push({ chunks, options, sink });
    if (!this.draining) void this.drain();
  }

  /** Drops what waits (the connection it was meant for is gone). */
  clear(): void {
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        const ready: Array<Exclude<Chunk, Blob>> = [];
        for (const chunk of head.chunks) {
          ready.push(isBlob(chunk) ? await chunk.arrayBuffer() : chunk);
        }
        // clear() while a Blob was read: this write belonged to a closed connection.
        if (this.queue[0] !== head) continue;
        this.queue.shift();
        for (const chunk of ready) head.sink.write(chunk, head.options);
      }
    } finally {
      this.draining = false;
    }
  }
}
