/**
 * The errors the engine reports, with socket.io-client's messages and
 * fields (users and the Socket.IO layer read `type`, `description`, `code`).
 */

/** A transport failed: a request or the WebSocket broke, or the server sent garbage. */
export class TransportError extends Error {
  readonly type = "TransportError";
  constructor(
    reason: string,
    /** What went wrong underneath: an HTTP status, an error, an event, the bad data. */
    readonly description: unknown,
    /** The object the failure came from (a Response, a WebSocket event). */
    readonly context?: unknown,
  ) {
    super(reason);
    this.name = "TransportError";
  }
}

/** The server sent an Engine.IO error packet (or a frame the parser rejected). */
export class ServerError extends Error {
  constructor(readonly code: unknown) {
    super("server error");
    this.name = "ServerError";
  }
}

/** Probing a better transport failed; the connection stays on the current one. */
export class UpgradeError extends Error {
  constructor(
    message: string,
    /** Name of the transport that was probed. */
    readonly transport: string,
  ) {
    super(message);
    this.name = "UpgradeError";
  }
}
