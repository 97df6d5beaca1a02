/**
 * Errors thrown in the SharedWorker, seen from outside. Playwright reports
 * `pageerror` for pages and dedicated workers only, so the watcher talks to
 * the SharedWorker's own DevTools target: a browser-level CDP session finds
 * the `shared_worker` target of the test's browser context, attaches to it
 * (non-flat mode: its messages travel inside Target.sendMessageToTarget /
 * receivedMessageFromTarget, which Playwright's CDPSession can carry), enables
 * Runtime and records every `Runtime.exceptionThrown` (uncaught exceptions
 * and unhandled rejections) and console error.
 */
import type { Browser, BrowserContext, CDPSession, Page } from "@playwright/test";

export interface WorkerErrors {
  /** Uncaught exceptions and unhandled rejections in the worker, as text. */
  readonly exceptions: string[];
  /** console.error / console.warn calls in the worker. */
  readonly consoleErrors: string[];
  /** Evaluates `expression` in the worker (a test of the watcher itself). */
  evaluate(expression: string): Promise<unknown>;
  dispose(): Promise<void>;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  browserContextId?: string;
}

interface WorkerMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message: string };
}

/** The browser context id of `page`'s context, as CDP names it. */
async function browserContextIdOf(context: BrowserContext, page: Page): Promise<string | undefined> {
  const session = await context.newCDPSession(page);
  try {
    const { targetInfo } = (await session.send("Target.getTargetInfo")) as { targetInfo: TargetInfo };
    return targetInfo.browserContextId;
  } finally {
    await session.detach().catch(() => {});
  }
}

function describeException(params: Record<string, unknown>): string {
  const details = params.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
  return [details?.text, details?.exception?.description].filter(Boolean).join(" ");
}

/**
 * Attaches to the SharedWorker serving `page`'s context (waits up to
 * `timeoutMs` for it to exist: call it once a tab has connected).
 */
export async function watchWorkerErrors(browser: Browser, context: BrowserContext, page: Page, timeoutMs = 5_000): Promise<WorkerErrors> {
  const contextId = await browserContextIdOf(context, page);
  const session: CDPSession = await browser.newBrowserCDPSession();
  const deadline = Date.now() + timeoutMs;
  let worker: TargetInfo | undefined;
  while (!worker) {
    const { targetInfos } = (await session.send("Target.getTargets")) as { targetInfos: TargetInfo[] };
    worker = targetInfos.find((t) => t.type === "shared_worker" && (contextId === undefined || t.browserContextId === contextId));
    if (worker) break;
    if (Date.now() > deadline) {
      await session.detach().catch(() => {});
      throw new Error("no SharedWorker target in this browser context");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const { sessionId } = (await session.send("Target.attachToTarget", { targetId: worker.targetId, flatten: false })) as {
    sessionId: string;
  };

  const exceptions: string[] = [];
  const consoleErrors: string[] = [];
  let nextId = 0;
  const calls = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  session.on("Target.receivedMessageFromTarget", (event: { sessionId: string; message: string }) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as WorkerMessage;
    if (message.id !== undefined) {
      const call = calls.get(message.id);
      calls.delete(message.id);
      if (message.error) call?.reject(new Error(message.error.message));
      else call?.resolve(message.result);
    } else if (message.method === "Runtime.exceptionThrown") {
      exceptions.push(describeException(message.params ?? {}));
    } else if (message.method === "Runtime.consoleAPICalled") {
      const params = message.params as { type: string; args: Array<{ value?: unknown; description?: string }> };
      if (params.type === "error" || params.type === "warning") {
        consoleErrors.push(params.args.map((a) => (a.value !== undefined ? String(a.value) : a.description)).join(" "));
      }
    }
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<unknown> => {
    const id = ++nextId;
    const reply = new Promise<unknown>((resolve, reject) => calls.set(id, { resolve, reject }));
    void session.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) });
    return reply;
  };
  await call("Runtime.enable");

  return {
    exceptions,
    consoleErrors,
    evaluate: async (expression) => {
      const result = (await call("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true })) as {
        result: { value?: unknown };
      };
      return result.result.value;
    },
    dispose: async () => {
      await session.send("Target.detachFromTarget", { sessionId }).catch(() => {});
      await session.detach().catch(() => {});
    },
  };
}
