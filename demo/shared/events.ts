/**
 * The demo's events, typed on both ends: the server's `Server<...>` and the
 * page's `io<ServerToClient, ClientToServer>()` use these interfaces, as a
 * socket.io-client app would.
 *
 * With `connectionStateRecovery` on, socket.io appends an offset (a string)
 * to every broadcast; listeners here only read the arguments they declare.
 */

export interface ChatMessage {
  id: number;
  /** The sending tab's label, e.g. "Tab 2". */
  from: string;
  text: string;
  /** Server time, ms since the epoch. */
  at: number;
}

/** One Engine.IO connection as the server sees it. */
export interface ConnectionView {
  /** Engine.IO session id (short form). */
  id: string;
  transport: string;
  /** Tabs that use this connection, as the tabs' hub reports them. */
  tabs: number;
}

/** What the server pushes to every page, twice a second. */
export interface ServerStats {
  /** Engine.IO connections open now. */
  connections: number;
  /** Tabs open, summed over the connections. */
  tabs: number;
  /** Events the server received per second (last second). */
  eventsIn: number;
  /** Events the server delivered per second, one per receiving socket. */
  eventsOut: number;
  /** Connections the server has accepted since it started. */
  accepted: number;
  /** Reconnections that recovered their session (connectionStateRecovery). */
  recovered: number;
  list: ConnectionView[];
}

export interface ServerToClientEvents {
  stats: (stats: ServerStats) => void;
  chat: (message: ChatMessage) => void;
  /** One event of a burst: burst number, index in the burst, burst size. */
  tick: (burst: number, index: number, total: number) => void;
  /** A tab asked the server to close an Engine.IO connection. */
  dropped: (by: string, connection: string) => void;
}

export interface ClientToServerEvents {
  /** A tab introduces itself; the reply is its label ("Tab 3"), kept across reconnections. */
  hello: (tabId: string, reply: (label: string) => void) => void;
  /** How many tabs use this socket (from `diagnostics()`). */
  tabs: (count: number) => void;
  chat: (from: string, text: string, reply: (ack: { id: number; at: number }) => void) => void;
  history: (reply: (messages: ChatMessage[]) => void) => void;
  /** Asks the server to send `count` tick events to every socket; the reply comes once they are sent. */
  burst: (count: number, reply: (sent: { burst: number; ms: number }) => void) => void;
  /** One event of a burst from a tab (`series` tells bursts apart). */
  up: (series: string, index: number) => void;
  /** The end of a burst: the reply says how many of its events the server received. */
  upDone: (series: string, reply: (received: number) => void) => void;
  /** Asks the server to close this socket's Engine.IO connection (the client reconnects). */
  drop: (from: string) => void;
}

/** Events in a burst (both directions). */
export const BURST_SIZE = 10_000;
