// The worker script the tab starts (`./worker.js` beside the bundle entry): the hub, with socket.io-parser only.
import { startHub } from "../worker/entry";

startHub();
