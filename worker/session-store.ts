/**
 * Connection-state-recovery sessions (pid + offset per shared socket) kept
 * beyond the hub's life, so that a new hub (the worker died, the only tab
 * reloaded, a new leader tab) resumes the session instead of starting over.
 *
 * Reads are synchronous from memory (the store is loaded before the hub
 * serves anyone); writes go to IndexedDB in the background, coalesced: at
 * most one transaction in flight, carrying the latest value of each key.
 * A hub that dies may lose the write in flight: the next hub then resumes
 * from a slightly older offset, and the server replays the few events after it.
 */
import type { RecoverySessionData } from "./protocol";

/** Where the hub keeps recovery sessions. */
export interface SessionStore {
  get(key: string): RecoverySessionData | undefined;
  /** Remembers the session of `key` (`undefined`: forgets it). */
  set(key: string, session: RecoverySessionData | undefined): void;
}

/** A store that lives as long as this object (tests; browsers without IndexedDB). */
export class MemorySessionStore implements SessionStore {
  protected readonly sessions = new Map<string, RecoverySessionData>();

  get(key: string): RecoverySessionData | undefined {
    return this.sessions.get(key);
  }

  set(key: string, session: RecoverySessionData | undefined): void {
    if (session) this.sessions.set(key, { pid: session.pid, offset: session.offset });
    else this.sessions.delete(key);
  }
}

/**
 * The store key of a shared socket. Hashed: the connection key and the
 * `auth` payload may hold credentials, which have no business on disk.
 */
export function sessionKey(managerKey: string, nsp: string, authKey: string): string {
  return hash53(`${managerKey}\n${nsp}\n${authKey}`);
}

/** cyrb53-style 53-bit string hash, as 14 hex digits. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
}

const DB_NAME = "socket.io-shared";
const STORE = "recovery";
/** Sessions older than this are not loaded (servers keep them for minutes: 2 by default). */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** A store backed by IndexedDB: reads from memory, writes through in the background. */
class IndexedDbSessionStore extends MemorySessionStore {
  private readonly dirty = new Set<string>();
  private writing = false;

  constructor(private readonly db: IDBDatabase) {
    super();
  }

  load(entries: Array<[string, RecoverySessionData]>): void {
    for (const [key, session] of entries) super.set(key, session);
  }

  override set(key: string, session: RecoverySessionData | undefined): void {
    const old = this.get(key);
    if (old?.pid === session?.pid && old?.offset === session?.offset) return;
    super.set(key, session);
    this.dirty.add(key);
    if (!this.writing) this.write();
  }

  private write(): void {
    const keys = [...this.dirty];
    this.dirty.clear();
    this.writing = true;
    let tx: IDBTransaction;
    try {
      tx = this.db.transaction(STORE, "readwrite");
      const store = tx.objectStore(STORE);
      for (const key of keys) {
        const session = this.get(key);
        if (session) store.put({ ...session, savedAt: Date.now() }, key);
        else store.delete(key);
      }
    } catch {
      // The database went away (closed, storage cleared): memory only from now on.
      this.writing = false;
      return;
    }
    const next = () => {
      this.writing = false;
      if (this.dirty.size > 0) this.write();
    };
    tx.oncomplete = next;
    tx.onerror = next;
    tx.onabort = next;
  }
}

/**
 * Opens the IndexedDB store and loads what earlier hubs saved. Never fails:
 * without IndexedDB (or when it does not answer within `timeoutMs`) the store
 * lives in memory.
 */
export function openSessionStore(timeoutMs = 1000): Promise<SessionStore> {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) return Promise.resolve(new MemorySessionStore());
  return new Promise<SessionStore>((resolve) => {
    let done = false;
    const finish = (store: SessionStore) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(store);
    };
    const timer = setTimeout(() => finish(new MemorySessionStore()), timeoutMs);
    try {
      const request = idb.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onerror = () => finish(new MemorySessionStore());
      request.onblocked = () => finish(new MemorySessionStore());
      request.onsuccess = () => {
        const db = request.result;
        readAll(db).then(
          (entries) => {
            const store = new IndexedDbSessionStore(db);
            store.load(entries);
            finish(store);
          },
          () => finish(new MemorySessionStore()),
        );
      };
    } catch {
      finish(new MemorySessionStore());
    }
  });
}

function readAll(db: IDBDatabase): Promise<Array<[string, RecoverySessionData]>> {
  return new Promise((resolve, reject) => {
    const entries: Array<[string, RecoverySessionData]> = [];
    const cursor = db.transaction(STORE, "readonly").objectStore(STORE).openCursor();
    cursor.onerror = () => reject(cursor.error);
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return resolve(entries);
      const value = at.value as Partial<RecoverySessionData> & { savedAt?: number };
      const fresh = typeof value.savedAt === "number" && Date.now() - value.savedAt < MAX_AGE_MS;
      if (fresh && typeof at.key === "string" && typeof value.pid === "string" && typeof value.offset === "string") {
        entries.push([at.key, { pid: value.pid, offset: value.offset }]);
      }
      at.continue();
    };
  });
}
