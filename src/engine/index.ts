// TEMPORARY bootstrap shim (must not survive issue 2): lets src/io be built
// while src/engine is written. Replaced by `export { Engine } from "./engine"`.
export { Socket as Engine } from "engine.io-client";
