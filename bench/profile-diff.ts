/**
 * Where one server spends more CPU per call than another: two `--cpu-prof` profiles of the same
 * workload, each function's self time divided by the calls its server answered, side by side.
 * Functions are matched by name (and by file for Node's own modules): SpecGate runs from its
 * bundle, the peer from node_modules, so file names of package code differ while the SDK's and
 * Node's function names do not. Used by bench/http-overhead.ts --profile.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { printTable } from "./lib.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfiledRun {
  /** The directory `--cpu-prof-dir` wrote one profile into. */
  dir: string;
  /** Calls the server answered while profiled. */
  calls: number;
}

const NOT_WORK = new Set(["(idle)", "(program)"]);

/** Microseconds of self time per call, by function. */
async function selfPerCall(run: ProfiledRun): Promise<Map<string, number>> {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: the main thread's is thread 0 (tsx's
  // loader hooks run on a thread of their own and write one too).
  const files = (await readdir(run.dir)).filter((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (files.length !== 1) throw new Error(`${run.dir}: expected one main-thread profile, found ${files.length}`);
  const profile = JSON.parse(await readFile(path.join(run.dir, files[0]!), "utf8")) as CpuProfile;
  const keyOf = new Map(profile.nodes.map((n) => [n.id, functionKey(n.callFrame)]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const key = keyOf.get(id)!;
    if (!NOT_WORK.has(key)) out.set(key, (out.get(key) ?? 0) + profile.timeDeltas[i]! / run.calls);
  });
  return out;
}

function functionKey({ functionName, url }: { functionName: string; url: string }): string {
  const name = functionName || "(anonymous)";
  return url.startsWith("node:") ? `${name} ${url}` : name;
}

/** Prints (and returns) a table of the functions where `subject` spends the most more per call than `peer`. */
export async function profileDiff(subject: ProfiledRun, peer: ProfiledRun, rows = 30): Promise<string> {
  const [a, b] = await Promise.all([selfPerCall(subject), selfPerCall(peer)]);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  const keys = new Set([...a.keys(), ...b.keys()]);
  const diffs = [...keys]
    .map((k) => ({ k, a: a.get(k) ?? 0, b: b.get(k) ?? 0 }))
    .sort((x, y) => y.a - y.b - (x.a - x.b))
    .slice(0, rows);
  const us = (x: number) => `${x.toFixed(2)} µs`;
  return printTable(
    `CPU per call by function (self time ÷ calls answered): SpecGate ${us(sum(a))}, echo ${us(sum(b))}, idle excluded`,
    ["function", "SpecGate", "echo", "difference"],
    diffs.map((d) => [d.k, us(d.a), us(d.b), us(d.a - d.b)]),
  );
}
