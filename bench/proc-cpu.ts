/**
 * CPU time of a process tree, from Linux's /proc: the browser's share of a
 * measurement is the CPU its processes (browser, renderers — the tabs and the
 * SharedWorker —, network service, GPU, ...) spent in the window.
 *
 * Each thread's `/proc/<pid>/task/<tid>/schedstat` gives the nanoseconds it
 * ran (first field), far finer than the 10 ms ticks of `/proc/<pid>/stat`.
 * A window's CPU is the sum over threads alive at its end of (ns now − ns at
 * the start, or 0 for threads born inside it). Threads that exit inside the
 * window are missed; Chromium's threads live long, so this undercounts little.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Nanoseconds each thread ran, by "pid/tid", and each process's kind. */
export interface CpuSample {
  threads: Map<string, number>;
  kinds: Map<number, string>;
}

/** CPU milliseconds spent in a window, in total and per kind of process. */
export interface CpuDelta {
  totalMs: number;
  byKind: Record<string, number>;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return ""; // the process or thread ended meanwhile
  }
}

/** Parent pid of every process, from /proc/<pid>/stat (the field after `(comm) state`). */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return map; // not Linux: no CPU figures (they come out as NaN)
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOrEmpty(`/proc/${name}/stat`);
    const afterComm = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (afterComm.length > 1) map.set(Number(name), Number(afterComm[1]));
  }
  return map;
}

/** `root` and every process below it, except `exclude` and what is below it. */
export function processTree(root: number, exclude: ReadonlySet<number> = new Set()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const visit = (pid: number) => {
    if (exclude.has(pid)) return;
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/** What a Chromium process does, from its command line (`--type=renderer`, ...; none: the browser process). */
function kindOf(pid: number): string {
  // Chromium rewrites its children's command lines (setproctitle): arguments may be separated by spaces.
  const args = readOrEmpty(`/proc/${pid}/cmdline`).split(/[\0 ]/);
  const type = args.find((arg) => arg.startsWith("--type="))?.slice(7);
  if (!type) return args[0]?.includes("chrom") ? "browser" : "other";
  const sub = args.find((arg) => arg.startsWith("--utility-sub-type="))?.slice(19);
  if (sub) return `utility:${sub.split(".").pop()}`;
  return type;
}

export function sampleCpu(pids: readonly number[]): CpuSample {
  const threads = new Map<string, number>();
  const kinds = new Map<number, string>();
  for (const pid of pids) {
    kinds.set(pid, kindOf(pid));
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const ns = Number(readOrEmpty(`/proc/${pid}/task/${tid}/schedstat`).split(" ")[0]);
      if (Number.isFinite(ns)) threads.set(`${pid}/${tid}`, ns);
    }
  }
  return { threads, kinds };
}

export function cpuBetween(before: CpuSample, after: CpuSample): CpuDelta {
  const byKind: Record<string, number> = {};
  let totalNs = 0;
  for (const [thread, ns] of after.threads) {
    const spent = ns - (before.threads.get(thread) ?? 0);
    if (spent <= 0) continue;
    totalNs += spent;
    const kind = after.kinds.get(Number(thread.split("/")[0])) ?? "other";
    byKind[kind] = (byKind[kind] ?? 0) + spent / 1e6;
  }
  return { totalMs: after.threads.size > 0 ? totalNs / 1e6 : NaN, byKind };
}
