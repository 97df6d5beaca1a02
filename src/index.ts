// TEMPORARY bootstrap shim (must not survive issue 2): lets worker/ and client/
// be built while src/io is written. Replaced by the core's own exports.
export { io, Manager, Socket, protocol } from "socket.io-client";
export type { ManagerOptions, SocketOptions } from "socket.io-client";
