/**
 * socket.io-shared's core: a Socket.IO v5 / Engine.IO v4 client for any
 * runtime with `fetch` and `WebSocket`, with socket.io-client's API.
 *
 * @example
 * import { io } from "socket.io-shared/core";
 * const socket = io("https://example.com");
 * socket.on("connect", () => console.log(socket.id));
 */
import { protocol } from "socket.io-parser";
import { lookup } from "./io/lookup";
import { Manager } from "./io/manager";
import { Socket } from "./io/socket";

/**
 * `io(url?, opts?)`: the socket of the URL's namespace, on a Manager shared
 * per origin (see {@link lookup}). Also reachable as `io.connect`, with
 * `io.protocol`, `io.Manager` and `io.Socket`, as in socket.io-client.
 */
// Pure: a bundle that uses only Manager/Socket (the worker) drops io() and its Manager cache.
const io = /* @__PURE__ */ Object.assign(lookup, {
  Manager,
  Socket,
  io: lookup,
  connect: lookup,
  /** The Socket.IO protocol revision (5). */
  protocol,
});

export { io, io as connect, io as default, Manager, Socket, protocol };

export type { ManagerReservedEvents, ManagerState } from "./io/manager";
export type {
  ConnectError,
  ExtendedError,
  RecoverySession,
  SocketReservedEvents,
  SocketState,
} from "./io/socket";
export type {
  DecorateAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
} from "./io/typed-events";
export type { AuthOption, EngineOptions, IoOptions, ManagerOptions, SocketOptions, TransportName } from "./options";
export type { DisconnectDescription, DisconnectReason, EngineCloseReason } from "./reasons";
export type { Decoder, Encoder, ParserModule } from "./io/parser";
