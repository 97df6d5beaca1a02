/**
 * Probing a better transport while the current one carries the session:
 * open it with the same sid, send `2probe`, expect `3probe`, then pause the
 * current transport (let its in-flight requests finish, so no packet is lost
 * or reordered) and hand over. The engine then sends the upgrade packet `5`
 * on the new transport and flushes what it buffered meanwhile.
 */
import type { Packet } from "engine.io-parser";
import { UpgradeError } from "./errors";
import type { Transport } from "./transport";

/** What the probe needs from the engine. */
export interface ProbeHost {
  /** The transport in use now (the one to pause). */
  current(): Transport;
  /** Whether the engine closed meanwhile. */
  isClosed(): boolean;
  /** The probe answered: the engine stops writing until `onReady` or `onFailed`. */
  onAnswered(probe: Transport): void;
  /** The current transport is paused: switch to `probe`. */
  onReady(probe: Transport): void;
  /** The probe failed; the probe transport is already closed. */
  onFailed(err: UpgradeError, probe: Transport, wasAnswered: boolean): void;
}

/** A probe in progress. */
export interface Probe {
  readonly transport: Transport;
  /** Abandons the probe (the engine closed, or another probe won). */
  abort(reason: string): void;
}

/** Opens `probe` and runs the probe exchange on it. */
export function startProbe(probe: Transport, host: ProbeHost): Probe {
  let settled = false;
  let answered = false;

  const detach = () => {
    probe.off("open", onOpen);
    probe.off("packet", onPacket);
    probe.off("error", onError);
    probe.off("close", onClose);
  };

  const fail = (message: string) => {
    if (settled) return;
    settled = true;
    detach();
    probe.close();
    host.onFailed(new UpgradeError(message, probe.name), probe, answered);
  };

  const onOpen = () => {
    if (settled) return;
    probe.send([{ type: "ping", data: "probe" }]);
  };

  const onPacket = (packet: Packet) => {
    if (settled || answered) return;
    if (packet.type !== "pong" || packet.data !== "probe") {
      fail("probe error");
      return;
    }
    answered = true;
    host.onAnswered(probe);
    if (settled) return;
    host.current().pause(() => {
      if (settled) return;
      if (host.isClosed()) {
        fail("probe error: socket closed");
        return;
      }
      settled = true;
      detach();
      host.onReady(probe);
    });
  };

  const onError = (err: Error) => fail(`probe error: ${err.message}`);
  const onClose = () => fail("probe error: transport closed");

  probe.on("open", onOpen);
  probe.on("packet", onPacket);
  probe.on("error", onError);
  probe.on("close", onClose);
  probe.open();

  return {
    transport: probe,
    abort: (reason) => fail(`probe error: ${reason}`),
  };
}
