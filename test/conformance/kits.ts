/**
 * The two clients a conformance scenario runs against: socket.io-client 4.8
 * (the reference, with its own Node transports) and this project's core.
 * Both are typed as the core: the scenarios use only the API they share.
 */
import * as reference from "socket.io-client";
import { io, Manager, protocol } from "../../src/index";

export interface Kit {
  name: "socket.io-client" | "ours";
  io: typeof io;
  Manager: typeof Manager;
  /** The named export `protocol`. */
  protocol: number;
}

export const REFERENCE: Kit = {
  name: "socket.io-client",
  io: reference.io as unknown as typeof io,
  Manager: reference.Manager as unknown as typeof Manager,
  protocol: reference.protocol,
};

export const OURS: Kit = { name: "ours", io, Manager, protocol };
