// The worker script the tab starts (`./worker.js` beside the bundle entry): the hub's SharedWorker glue.
import "../worker/entry";
