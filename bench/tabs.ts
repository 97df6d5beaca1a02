/**
 * Tabs for the bench, driven over the DevTools protocol directly rather than
 * through Playwright's Page.
 *
 * Why: Playwright enables the Network domain on every page it knows, so
 * Chromium reports each WebSocket frame of a page to it (payload included).
 * That costs the direct mode — one WebSocket per tab — up to 3× in fan-out
 * time and doubles its echo latency, while the shared mode's WebSocket, in a
 * SharedWorker Playwright does not instrument, runs free: the comparison would
 * be unfair. Browser contexts created here, over the remote debugging port,
 * are unknown to Playwright, which then leaves their pages alone.
 */
import { browserEndpoint, CdpConnection } from "./cdp";
import type { BenchPage } from "./globals";

type Method = { [K in keyof BenchPage]: BenchPage[K] extends (...args: never[]) => unknown ? K : never }[keyof BenchPage];

export interface Tab {
  /** Calls `window.bench[method](...args)` in the page and awaits its result. */
  call<K extends Method>(method: K, ...args: Parameters<BenchPage[K]>): Promise<Awaited<ReturnType<BenchPage[K]>>>;
  /** Evaluates `expression` in the page (awaiting a promise) and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  /** The page's own DevTools connection (Profiler, ...). */
  cdp: CdpConnection;
}

export interface TabGroup {
  /** Opens `url` in a new tab of this context; resolves once `ready` (an expression) is true. */
  openTab(url: string, ready?: string): Promise<Tab>;
  /** Uncaught exceptions and console errors of the tabs so far. */
  errors: string[];
  /** Closes every tab of the context (and its SharedWorker). */
  close(): Promise<void>;
}

async function evaluateIn<T>(cdp: CdpConnection, expression: string): Promise<T> {
  const reply = await cdp.send<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
    "Runtime.evaluate",
    { expression, awaitPromise: true, returnByValue: true },
  );
  if (reply.exceptionDetails) {
    throw new Error(`in the page: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`);
  }
  return reply.result.value as T;
}

export class TabDriver {
  private constructor(
    private readonly port: number,
    /** The browser-wide DevTools connection. */
    readonly browser: CdpConnection,
  ) {}

  static async connect(port: number): Promise<TabDriver> {
    return new TabDriver(port, await CdpConnection.open(await browserEndpoint(port)));
  }

  /** A fresh browser context: its own storage, so its own SharedWorker. */
  async newContext(): Promise<TabGroup> {
    const { browserContextId } = await this.browser.send<{ browserContextId: string }>("Target.createBrowserContext");
    const pages: CdpConnection[] = [];
    const errors: string[] = [];
    return {
      errors,
      openTab: async (url, ready = `typeof window.bench === "object"`) => {
        const { targetId } = await this.browser.send<{ targetId: string }>("Target.createTarget", { url: "about:blank", browserContextId });
        const cdp = await CdpConnection.open(`ws://127.0.0.1:${this.port}/devtools/page/${targetId}`);
        pages.push(cdp);
        cdp.on("Runtime.exceptionThrown", (p) => {
          const details = p.exceptionDetails as { text: string; exception?: { description?: string } };
          errors.push(details.exception?.description ?? details.text);
        });
        cdp.on("Runtime.consoleAPICalled", (p) => {
          if (p.type !== "error") return;
          errors.push((p.args as { value?: unknown; description?: string }[]).map((a) => a.description ?? String(a.value)).join(" "));
        });
        await cdp.send("Runtime.enable");
        await cdp.send("Page.navigate", { url });
        const deadline = Date.now() + 10_000;
        for (;;) {
          if (await evaluateIn<boolean>(cdp, ready).catch(() => false)) break;
          if (Date.now() > deadline) throw new Error(`the bench page did not start: ${errors.join("\n") || url}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const tab: Tab = {
          cdp,
          evaluate: (expression) => evaluateIn(cdp, expression),
          call: (method, ...args) => evaluateIn(cdp, `window.bench.${method}(...${JSON.stringify(args)})`),
        };
        return tab;
      },
      close: async () => {
        for (const page of pages) page.close();
        await this.browser.send("Target.disposeBrowserContext", { browserContextId });
      },
    };
  }

  close(): void {
    this.browser.close();
  }
}
