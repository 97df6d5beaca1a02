/**
 * Entry of the classic script build (dist/socket.io-shared.js): its one
 * export becomes the global `io`, as socket.io-client's browser build does
 * (`io()`, `io.connect`, `io.Manager`, `io.Socket`, `io.protocol`), plus
 * `io.diagnostics()`, the shared entry's added export.
 */
import io, { diagnostics } from "../client/index";

export default Object.assign(io, { diagnostics });
