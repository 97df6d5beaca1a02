/**
 * Throughput: events per second into this tab (every event counts, through
 * `onAny`), a sparkline of the last 30 s, and bursts of events both ways.
 */
import { BURST_SIZE } from "../shared/events";
import { byId, formatCount, formatMs, setText } from "./dom";
import type { DemoSocket, TabIdentity } from "./types";

const SAMPLE_EVERY_MS = 250;
const SAMPLES = 120;
const WINDOW_MS = 1000;

/** A burst of tick events as this tab receives it. */
interface IncomingBurst {
  burst: number;
  total: number;
  received: number;
  firstAt: number;
  lastAt: number;
}

export function showThroughput(socket: DemoSocket, me: TabIdentity): void {
  const rate = byId("rate");
  const peak = byId("peak");
  const spark = byId("spark") as unknown as SVGSVGElement;
  const down = byId<HTMLButtonElement>("burst-down");
  const up = byId<HTMLButtonElement>("burst-up");
  const downResult = byId("burst-down-result");
  const downNote = byId("burst-down-note");
  const upResult = byId("burst-up-result");
  setText(down, `Server → every tab: ${formatCount(BURST_SIZE)} events`);
  setText(up, `This tab → server: ${formatCount(BURST_SIZE)} events`);

  let received = 0;
  let best = 0;
  const history: Array<[number, number]> = [];
  const rates: number[] = [];
  let incoming: IncomingBurst | undefined;
  let bursts = 0;

  socket.onAny(() => {
    received++;
  });

  socket.on("tick", (burst, _index, total) => {
    const now = performance.now();
    if (!incoming || incoming.burst !== burst) incoming = { burst, total, received: 0, firstAt: now, lastAt: now };
    incoming.received++;
    incoming.lastAt = now;
  });

  const sample = () => {
    const now = performance.now();
    history.push([now, received]);
    while (history.length > 1 && now - (history[0]?.[0] ?? now) > WINDOW_MS) history.shift();
    const [since, before] = history[0] ?? [now, received];
    const perSecond = now > since ? Math.round(((received - before) * 1000) / (now - since)) : 0;
    best = Math.max(best, perSecond);
    rates.push(perSecond);
    if (rates.length > SAMPLES) rates.shift();
    setText(rate, formatCount(perSecond));
    setText(peak, `peak ${formatCount(best)}/s · ${formatCount(received)} received`);
    drawSparkline(spark, rates);
    if (incoming) showIncoming(incoming);
  };

  const showIncoming = (burst: IncomingBurst) => {
    const done = burst.received >= burst.total;
    const ms = burst.lastAt - burst.firstAt;
    const speed = ms > 0 ? ` · ${formatCount((burst.received * 1000) / ms)} events/s` : "";
    setText(
      downResult,
      done
        ? `Received ${formatCount(burst.received)} / ${formatCount(burst.total)} in ${formatMs(ms)}${speed}`
        : `Receiving… ${formatCount(burst.received)} / ${formatCount(burst.total)}`,
    );
    downResult.dataset.done = String(done);
  };

  down.addEventListener("click", () => {
    down.disabled = true;
    setText(downNote, "");
    socket.timeout(30_000).emit("burst", BURST_SIZE, (err, sent) => {
      down.disabled = false;
      // The reply reaches the tab that asked only.
      setText(downNote, err ? "No reply from the server." : `The server took ${formatMs(sent.ms)} to send burst #${sent.burst}.`);
    });
  });

  up.addEventListener("click", () => {
    up.disabled = true;
    setText(upResult, "Sending…");
    const series = `${me.id}:${++bursts}`;
    const started = performance.now();
    // A synchronous loop of emits: the tab hands them to the hub as one message.
    for (let index = 0; index < BURST_SIZE; index++) socket.emit("up", series, index);
    // Emits leave in order, so this reply comes after the server has seen the whole burst.
    socket.timeout(30_000).emit("upDone", series, (err, count) => {
      up.disabled = false;
      const ms = performance.now() - started;
      setText(
        upResult,
        err
          ? "No reply from the server."
          : `Server got ${formatCount(count)} / ${formatCount(BURST_SIZE)} in ${formatMs(ms)} · ${formatCount((count * 1000) / ms)} events/s`,
      );
      upResult.dataset.done = String(!err && count === BURST_SIZE);
    });
  });

  setInterval(sample, SAMPLE_EVERY_MS);
  sample();
}

/** Draws `values` as a filled line, scaled to the largest. */
function drawSparkline(svg: SVGSVGElement, values: number[]): void {
  const width = 240;
  const height = 48;
  const max = Math.max(10, ...values);
  const step = width / (SAMPLES - 1);
  const offset = SAMPLES - values.length;
  const points = values.map((value, i) => `${((offset + i) * step).toFixed(1)},${(height - (value / max) * (height - 4) - 2).toFixed(1)}`);
  const line = points.join(" ");
  const first = points[0]?.split(",")[0] ?? "0";
  const area = `${first},${height} ${line} ${width},${height}`;
  const lineNode = svg.querySelector("polyline.line");
  const areaNode = svg.querySelector("polygon.area");
  lineNode?.setAttribute("points", line);
  areaNode?.setAttribute("points", area);
}
