/**
 * The differential runner: one scripted scenario, run once with
 * socket.io-client 4.8 and once with the core, each against a fresh real
 * socket.io server, and the two logs compared.
 *
 * A scenario waits on what it observes (`rec.until(...)`), never on the
 * clock, except where the behaviour under test is itself a delay.
 */
import type { Server, ServerOptions } from "socket.io";
import { expect } from "vitest";
import type { IoOptions, Manager, Socket } from "../../src/index";
import { startRawEngineServer, type RawEngineScript } from "../helpers/raw-engine-server";
import { startServer, type TestServer } from "../helpers/server";
import { OURS, REFERENCE, type Kit } from "./kits";
import { Recorder } from "./recorder";

/** Small delays, no jitter: both clients reconnect on the same schedule. */
export const FAST: Partial<IoOptions> = { reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0 };

export interface ScenarioContext {
  kit: Kit;
  rec: Recorder;
  server: TestServer;
  url: string;
  /** `kit.io(url + nsp, { forceNew, ...FAST, ...opts })`, closed after the run. */
  io(nsp?: string, opts?: Partial<IoOptions>): Socket;
  /** `new kit.Manager(url, { ...FAST, ...opts })`, closed after the run. */
  manager(opts?: Partial<IoOptions>): Manager;
  /** Stops the server (every connection cut). */
  stopServer(): Promise<void>;
  /** Starts a fresh server on the same port, set up again. */
  restartServer(): Promise<void>;
}

export interface Scenario {
  server?: Partial<ServerOptions>;
  /** Wires the server before the client starts (and again after a restart). */
  setup?(io: Server, rec: Recorder): void;
  run(ctx: ScenarioContext): Promise<void>;
}

/** Setup of the scenarios that cut the connection: the server logs what it sees and closes the transport on "cut". */
export function cuttableServer(io: Server, rec: Recorder): void {
  rec.watchServer(io);
  io.on("connection", (socket) => socket.on("cut", () => socket.conn.close()));
}

export interface Logs {
  client: string[];
  server: string[];
}

/** Runs `scenario` with one client, on its own server; returns what was observed. */
export async function runWith(kit: Kit, scenario: Scenario): Promise<Logs> {
  const rec = new Recorder();
  let server = await startServer(scenario.server);
  scenario.setup?.(server.io, rec);
  const sockets: Socket[] = [];
  const managers: Manager[] = [];
  let stopped = false;
  const ctx: ScenarioContext = {
    kit,
    rec,
    get server() {
      return server;
    },
    url: server.url,
    io: (nsp = "/", opts = {}) => {
      const socket = kit.io(server.url + nsp, { forceNew: true, ...FAST, ...opts });
      sockets.push(socket);
      managers.push(socket.io as unknown as Manager);
      return socket;
    },
    manager: (opts = {}) => {
      const manager = new kit.Manager(server.url, { ...FAST, ...opts });
      managers.push(manager);
      return manager;
    },
    stopServer: async () => {
      stopped = true;
      await server.close();
    },
    restartServer: async () => {
      server = await startServer(scenario.server, server.port);
      stopped = false;
      scenario.setup?.(server.io, rec);
    },
  };
  try {
    await scenario.run(ctx);
    return { client: [...rec.client], server: [...rec.server] };
  } finally {
    for (const manager of managers) manager.reconnection(false);
    for (const socket of sockets) socket.disconnect();
    for (const manager of managers) (manager as unknown as { _close(): void })._close();
    if (!stopped) await server.close();
  }
}

/**
 * Runs `run` once per client against a scripted Engine.IO responder instead
 * of a socket.io server: for what a real server does not send (several
 * packets and a close in one polling payload, garbage). Returns the client logs.
 */
export async function runRawBoth(
  script: () => RawEngineScript,
  run: (ctx: { kit: Kit; rec: Recorder; url: string }) => Promise<void>,
): Promise<{ reference: string[]; ours: string[] }> {
  const logs: string[][] = [];
  for (const kit of [REFERENCE, OURS]) {
    const raw = await startRawEngineServer(script());
    const rec = new Recorder();
    try {
      await run({ kit, rec, url: raw.url });
      logs.push([...rec.client]);
    } finally {
      await raw.close();
    }
  }
  return { reference: logs[0]!, ours: logs[1]! };
}

/** Runs `scenario` with socket.io-client, then with the core. */
export async function runBoth(scenario: Scenario): Promise<{ reference: Logs; ours: Logs }> {
  const reference = await runWith(REFERENCE, scenario);
  const ours = await runWith(OURS, scenario);
  // CONFORMANCE_PRINT=1 shows both logs side by side (to write a scenario's expectations).
  if (process.env.CONFORMANCE_PRINT) printSideBySide(reference, ours);
  return { reference, ours };
}

/**
 * Asserts the core behaves as socket.io-client does in `scenario`, and (when
 * given) that both saw `expected`, so the test fails if both break alike.
 */
export async function expectSame(scenario: Scenario, expected?: Partial<Logs>): Promise<Logs> {
  const { reference, ours } = await runBoth(scenario);
  if (expected?.client) expect(reference.client, "socket.io-client (client)").toEqual(expected.client);
  if (expected?.server) expect(reference.server, "socket.io-client (server)").toEqual(expected.server);
  expect(ours.client, "ours vs socket.io-client (client)").toEqual(reference.client);
  expect(ours.server, "ours vs socket.io-client (server)").toEqual(reference.server);
  return ours;
}

/**
 * For the places where the core deliberately differs (documented in the
 * READMEs): asserts what each client does, so a change on either side shows.
 */
export async function expectDifference(
  scenario: Scenario,
  expected: { reference: Partial<Logs>; ours: Partial<Logs> },
): Promise<void> {
  const { reference, ours } = await runBoth(scenario);
  for (const [name, logs, want] of [
    ["socket.io-client", reference, expected.reference],
    ["ours", ours, expected.ours],
  ] as const) {
    if (want.client) expect(logs.client, `${name} (client)`).toEqual(want.client);
    if (want.server) expect(logs.server, `${name} (server)`).toEqual(want.server);
  }
}

function printSideBySide(reference: Logs, ours: Logs): void {
  const lines: string[] = [];
  for (const part of ["client", "server"] as const) {
    lines.push(`--- ${part}`);
    const length = Math.max(reference[part].length, ours[part].length);
    for (let i = 0; i < length; i++) {
      const left = reference[part][i] ?? "";
      const right = ours[part][i] ?? "";
      lines.push(`${left === right ? " " : "≠"} ${left.padEnd(70)} | ${right}`);
    }
  }
  console.log(lines.join("\n"));
}
