/**
 * One measurement in a fresh process (run by bench/html-to-md.ts through runIsolated):
 *   worker.ts <engine> <bytes> time   → warm timing (median/p95 over repeated runs), wall and CPU
 *   worker.ts <engine> <bytes> rss    → one cold conversion: peak RSS, RSS before it, longest event-loop block
 * The last stdout line is the JSON that reportIsolated prints (result + the process's peak RSS).
 */
import { measure, reportIsolated, summarize } from "../lib.js";
import { ENGINES, engine, type EngineName } from "./engines.js";
import { buildInput } from "./input.js";

const [name, bytesArg, mode] = process.argv.slice(2);
if (!ENGINES.includes(name as EngineName) || !bytesArg || (mode !== "time" && mode !== "rss")) {
  process.stderr.write("usage: worker.ts <engine> <bytes> time|rss\n");
  process.exit(2);
}
const bytes = Number(bytesArg);
const html = buildInput(bytes);
const convert = await engine(name as EngineName);

if (mode === "time") {
  const big = bytes >= 5 * 1024 * 1024;
  const slow = (name as string).startsWith("turndown");
  // CPU time next to wall time: on a shared machine the wall clock also counts time spent
  // waiting for a core, the CPU clock only the work (including V8's GC threads).
  const cpu: number[] = [];
  const timing = await measure(
    async () => {
      const before = process.cpuUsage();
      await convert(html);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    },
    {
      warmup: big ? 1 : 5,
      runs: big ? (slow ? 3 : 10) : bytes >= 1024 * 1024 ? 20 : bytes >= 100 * 1024 ? 60 : 200,
      maxMs: big ? 120_000 : 30_000,
    },
  );
  const measured = cpu.slice(cpu.length - timing.runs);
  reportIsolated({ timing, cpu: summarize(measured), inputBytes: Buffer.byteLength(html) });
} else {
  const baselineMb = Math.round(process.memoryUsage().rss / 1048576);
  // The longest stretch between two turns of the event loop: a setImmediate chain notes each
  // turn, so a synchronous conversion shows as one long gap and a chunked one as its longest chunk.
  // The CPU time spent in each gap tells our own work from time the OS gave to other processes.
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let maxBlockMs = 0;
  let maxBlockCpuMs = 0;
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    const cpuNow = process.cpuUsage();
    maxBlockMs = Math.max(maxBlockMs, now - last);
    maxBlockCpuMs = Math.max(maxBlockCpuMs, (cpuNow.user - lastCpu.user + cpuNow.system - lastCpu.system) / 1000);
    last = now;
    lastCpu = cpuNow;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const markdown = await convert(html);
  const durationMs = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpuStart);
  await new Promise((resolve) => setImmediate(resolve));
  ticking = false;
  reportIsolated({
    baselineMb,
    durationMs,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    maxBlockMs,
    maxBlockCpuMs,
    outputBytes: Buffer.byteLength(markdown),
    inputBytes: Buffer.byteLength(html),
  });
}
