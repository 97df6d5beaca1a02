// Types of the package name for the type check of this repository.
//
// The page imports "socket.io-shared" as an app does. Vite resolves that name
// to dist/index.js (demo/vite.config.ts), and TypeScript would find
// dist/index.d.ts through the package's "exports" — but `npm test` type-checks
// before it builds dist/. This ambient module gives the same types from the
// sources dist/index.d.ts is made of (TypeScript prefers an ambient module
// declaration to resolving the name), so the check passes on a fresh clone.
declare module "socket.io-shared" {
  type Entry = typeof import("../../client/index");
  export const io: Entry["io"];
  export const diagnostics: Entry["diagnostics"];
  export type Socket<
    L extends import("../../client/index").EventsMap = import("../../client/index").DefaultEventsMap,
    E extends import("../../client/index").EventsMap = L,
  > = import("../../client/index").Socket<L, E>;
  export type Diagnostics = import("../../client/index").Diagnostics;
  export type SocketIoOptions = import("../../client/index").SocketIoOptions;
}
