/**
 * The production-shaped memory figure: one cold 10 MB conversion by the compiled converter
 * (dist/, as `npm start` runs it) in plain Node, without the tsx loader the other workers need
 * (tsx adds a loader thread of its own, about 30 MB of RSS). Run by bench/html-to-md.ts after
 * `npm run build`; prints one JSON line: { baselineMb, durationMs, cpuMs, maxBlockMs, maxBlockCpuMs, maxRssMb }.
 * Builds its input exactly as bench/html-to-md/input.ts does.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { convertHtml } = await import(path.join(root, "dist/core/convert/index.js"));
const dir = path.join(root, "test/fixtures/corpus/confluence-storage");
const pages = readdirSync(dir)
  .filter((f) => f.endsWith(".xhtml"))
  .sort()
  .map((f) => readFileSync(path.join(dir, f), "utf8"));
const target = Number(process.argv[2] ?? 10 * 1024 * 1024);
const parts = [];
let bytes = 0;
for (let i = 0, misses = 0; misses < pages.length; i++) {
  const page = pages[i % pages.length];
  const size = Buffer.byteLength(page) + 1;
  if (bytes + size > target && parts.length > 0) {
    misses++;
    continue;
  }
  misses = 0;
  parts.push(page);
  bytes += size;
}
const html = parts.join("\n");
const baselineMb = Math.round(process.memoryUsage().rss / 1048576);
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
await convertHtml(html);
const durationMs = performance.now() - started;
const cpuUsed = process.cpuUsage(cpuStart);
await new Promise((resolve) => setImmediate(resolve));
ticking = false;
process.stdout.write(
  `${JSON.stringify({ baselineMb, durationMs, cpuMs: (cpuUsed.user + cpuUsed.system) / 1000, maxBlockMs, maxBlockCpuMs, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
