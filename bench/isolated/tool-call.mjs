/**
 * One tool call through the pipeline, in plain Node on the compiled code (dist/), as
 * `specgate serve` runs it: `node bench/isolated/tool-call.mjs <args.json>` where the file holds
 * { tool, args, env }. Prints (last line) the runIsolated result: call time, CPU time, the RSS
 * before the call and this process's peak RSS. Used by bench/latency.ts's memory table.
 */
import { readFile } from "node:fs/promises";
import { bootstrap } from "../../dist/bootstrap.js";
import { loadConfig } from "../../dist/config.js";
import { TOOLS } from "../../dist/tools/index.js";

const { tool, args, env } = JSON.parse(await readFile(process.argv[2], "utf8"));
const definition = TOOLS.find((t) => t.name === tool);
if (!definition) throw new Error(`no tool ${tool}`);
const runtime = await bootstrap(loadConfig({ ...env, LOG_LEVEL: "silent" }));
globalThis.gc?.();
const rssBeforeMb = Math.round(process.memoryUsage().rss / 1048576);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await runtime.pipeline.execute(definition, args);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await runtime.close();
process.stdout.write(
  `${JSON.stringify({ result: { ms, cpuMs: (cpu.user + cpu.system) / 1000, rssBeforeMb }, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
