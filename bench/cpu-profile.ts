/** Where a V8 CPU profile (CDP `Profiler.stop`) spent its time: self time per function. */

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  selfMs: number;
  share: number;
}

/** The `top` functions by self time (idle time left out), and the busy total. */
export function hotFunctions(profile: CpuProfile, top: number): { busyMs: number; functions: HotFunction[] } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let busy = 0;
  // Sample i lasts until sample i + 1.
  for (let i = 0; i < profile.samples.length - 1; i++) {
    const frame = nodes.get(profile.samples[i])?.callFrame;
    if (!frame || frame.functionName === "(idle)") continue;
    const ms = profile.timeDeltas[i + 1] / 1000;
    const file = frame.url.split("/").pop() ?? "";
    const name = `${frame.functionName || "(anonymous)"}${file ? ` ${file}:${frame.lineNumber + 1}` : ""}`;
    self.set(name, (self.get(name) ?? 0) + ms);
    busy += ms;
  }
  const functions = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, selfMs]) => ({ name, selfMs, share: selfMs / busy }));
  return { busyMs: busy, functions };
}
