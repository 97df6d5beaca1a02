/**
 * The codecs a hub serves tabs with: socket.io-parser, and those it was
 * given — the `parsers` of `startHub()` in an app's own worker script, or,
 * for a hub in a page (in-page, leader tab), the codecs that page passed to
 * `io()`. A tab names its codec by fingerprint (worker/codec-probe.ts); a
 * codec the hub does not have is an error the tab sees as `connect_error`,
 * never a silent switch to another codec.
 */
import { Decoder, Encoder } from "socket.io-parser";
import type { ParserModule } from "../src";
import { codecFingerprint } from "./codec-probe";
import type { HubMode, WireCodec } from "./protocol";

/** The codec to use (none: socket.io-parser), or why there is none (`error`). */
export interface CodecChoice {
  parser?: ParserModule;
  error?: string;
}

const builtIn = { Encoder, Decoder } as unknown as ParserModule;

export function chooseCodec(
  wire: WireCodec | undefined,
  known: ReadonlyMap<string, ParserModule> | undefined,
  mode: HubMode["mode"],
): CodecChoice {
  if (!wire || wire.fingerprint === codecFingerprint(builtIn)) return {};
  for (const parser of known?.values() ?? []) if (codecFingerprint(parser) === wire.fingerprint) return { parser };
  return { error: unknownCodec(wire, known, mode) };
}

function unknownCodec(wire: WireCodec, known: ReadonlyMap<string, ParserModule> | undefined, mode: HubMode["mode"]): string {
  const which = wire.name ? `the codec "${wire.name}" of this tab's \`parser\` option` : "the codec of this tab's `parser` option";
  const has = ["socket.io-parser", ...(mode === "SharedWorker" ? (known?.keys() ?? []) : [])].join(", ");
  const fix =
    mode === "SharedWorker"
      ? 'A codec is code and cannot be sent to a worker: host your own worker script that registers it, ' +
        'startHub({ parsers: { msgpack: msgpackParser } }) from "socket.io-shared/hub", and pass its URL with the `worker` option ' +
        "(docs/hosting-the-worker.md)."
      : "A hub in a page uses the codecs that its page passed to io(): give every page of the app the same `parser`.";
  return `socket.io-shared: the hub (${mode}) does not have ${which}, and will not use another one (it has: ${has}). ${fix}`;
}
