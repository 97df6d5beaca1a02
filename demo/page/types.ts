/** The page's socket: typed with the demo's events, as a socket.io-client app types its socket. */
import type { Socket } from "socket.io-shared";
import type { ClientToServerEvents, ServerToClientEvents } from "../shared/events";

export type DemoSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Who this tab is: its label comes from the server ("Tab 2") once connected. */
export interface TabIdentity {
  id: string;
  label: string;
}
