/**
 * The codecs this page passed to `io()` (the `parser` option), by
 * fingerprint: a hub running in this page (in-page, or the leader tab's)
 * takes them directly, as socket.io-client would. A SharedWorker cannot
 * receive code: it has the codecs its script registered (worker/codecs.ts).
 */
import type { ParserModule } from "../src";

export const pageCodecs = new Map<string, ParserModule>();
