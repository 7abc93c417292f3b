/**
 * gate_score benchmark: how fast findings are mapped and scored.
 *
 *   node --expose-gc --import tsx bench/gate-score.ts
 *
 * - 10,000 findings (simple list and Semgrep-style SARIF) through the core scorer — target < 100 ms;
 * - 10,000 SARIF results through the whole tool pipeline (zod validation, memory guard, handler);
 * - 100,000 and 1,000,000 SARIF results (in memory, library API) in a fresh process each, with
 *   peak RSS: the reader streams results and keeps only `max_listed` violations.
 * Prints Markdown tables and writes bench/results/gate-score.json.
 */
import { fileURLToPath } from "node:url";
import { scoreGate } from "../src/core/gate/index.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { createRuntime } from "../src/runtime.js";
import { gateScore } from "../src/tools/gate-score.js";
import {
  cpuPerCall,
  fmtMs,
  fmtRatio,
  measure,
  printTable,
  reportIsolated,
  runIsolated,
  writeResults,
  type TargetRow,
} from "./lib.js";

const RULES = Array.from({ length: 60 }, (_, i) => {
  const areas = ["API", "SEC", "ARCH", "DATA", "PERF", "UI"];
  const priorities = ["MUST", "SHOULD", "MUST NOT", "MAY", "SHOULD NOT"];
  return {
    rule_id: `RULE-${areas[i % areas.length]}-${String(i + 1).padStart(3, "0")}`,
    priority: priorities[i % priorities.length]!,
    reliability: 60 + (i % 5) * 10,
    title: `Rule ${i + 1}`,
    ci_info: { pr_comment: { fix_guidance: `Fix for rule ${i + 1}` } },
  };
});

/** A Semgrep-style SARIF log: config-prefixed rule ids, no result level, 5 % unmapped, 2 % suppressed. */
export function semgrepLog(n: number): unknown {
  const results = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) {
    const rule = RULES[i % RULES.length]!;
    results[i] = {
      ruleId:
        i % 20 === 0
          ? "python.lang.security.audit.eval-detected"
          : `.specgate.semgrep.specgate.${rule.rule_id.toLowerCase()}`,
      message: { text: `Finding ${i}: ${rule.title} violated` },
      fingerprints: { "matchBasedId/v1": `fp${i}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: `src/module${i % 400}/File${i % 1000}.java`, uriBaseId: "%SRCROOT%" },
            region: { startLine: (i % 800) + 1, startColumn: 5 },
          },
        },
      ],
      ...(i % 50 === 1 ? { suppressions: [{ kind: "inSource" }] } : {}),
    };
  }
  return { version: "2.1.0", runs: [{ tool: { driver: { name: "Semgrep OSS", rules: [] } }, results }] };
}

function findingList(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    rule_id: RULES[i % RULES.length]!.rule_id,
    file: `src/f${i % 1000}.ts`,
    line: (i % 800) + 1,
    message: `finding ${i}`,
  }));
}

async function child(n: number): Promise<void> {
  const t0 = performance.now();
  const log = semgrepLog(n);
  const built = performance.now() - t0;
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await scoreGate({ rules: RULES, sarif: log });
  const cpu = process.cpuUsage(cpu0);
  const scored = performance.now() - t1;
  reportIsolated({
    n,
    buildMs: built,
    scoreMs: scored,
    cpuMs: (cpu.user + cpu.system) / 1000,
    score: r.drift_score,
    violations: r.stats.violations,
    listed: r.violations.length,
    radarChars: r.radar_markdown.length,
  });
}

async function main(): Promise<void> {
  const list = findingList(10_000);
  const sarif10k = semgrepLog(10_000);
  const coreList = await measure(() => scoreGate({ rules: RULES, findings: list }), { runs: 50, warmup: 5 });
  const coreSarif = await measure(() => scoreGate({ rules: RULES, sarif: sarif10k }), { runs: 50, warmup: 5 });
  const cpuList = await cpuPerCall(() => scoreGate({ rules: RULES, findings: list }), 30);
  const cpuSarif = await cpuPerCall(() => scoreGate({ rules: RULES, sarif: sarif10k }), 30);
  // The floor: reading the same SARIF log from its file text, which any CI gate has to do.
  const sarifText = JSON.stringify(sarif10k);
  const parseFloor = await measure(() => JSON.parse(sarifText), { runs: 50, warmup: 5 });

  const runtime = createRuntime({
    config: loadConfig({ LOG_LEVEL: "silent" }),
    logger: createLogger({ level: "silent" }),
  });
  const uncached = { ...gateScore, cache: undefined };
  const args = { rules: RULES, sarif: sarif10k };
  const tool = await measure(() => runtime.pipeline.execute(uncached, args), { runs: 30, warmup: 5 });
  const cpuTool = await cpuPerCall(() => runtime.pipeline.execute(uncached, args), 20);
  await runtime.close();

  const ok = (ms: number) => (ms < 100 ? "yes" : "no");
  const rows10k = [
    ["10,000 findings (list) — core", fmtMs(coreList.median), fmtMs(coreList.p95), fmtMs(cpuList), ok(coreList.median)],
    [
      "10,000 SARIF results (Semgrep shape) — core",
      fmtMs(coreSarif.median),
      fmtMs(coreSarif.p95),
      fmtMs(cpuSarif),
      ok(coreSarif.median),
    ],
    [
      "10,000 SARIF results — gate_score tool (validation + pipeline)",
      fmtMs(tool.median),
      fmtMs(tool.p95),
      fmtMs(cpuTool),
      ok(tool.median),
    ],
  ];
  printTable(
    "gate_score: 10,000 findings (target < 100 ms; CPU = user+system time per call)",
    ["case", "median", "p95", "CPU/call", "median < 100 ms"],
    rows10k,
  );

  const script = fileURLToPath(import.meta.url);
  type Big = {
    n: number;
    buildMs: number;
    scoreMs: number;
    cpuMs: number;
    violations: number;
    listed: number;
    radarChars: number;
  };
  const big: (Big & { maxRssMb: number })[] = [];
  for (const n of [100_000, 1_000_000]) {
    const { result, maxRssMb } = await runIsolated<Big>(script, ["--child", String(n)]);
    big.push({ ...result, maxRssMb });
  }
  printTable(
    "gate_score: large SARIF logs in memory (fresh process each; peak RSS includes the log itself)",
    [
      "results",
      "building the log",
      "scoring",
      "scoring CPU",
      "CPU per result",
      "violations (listed)",
      "radar chars",
      "peak RSS",
    ],
    big.map((b) => [
      b.n.toLocaleString("en-US"),
      fmtMs(b.buildMs),
      fmtMs(b.scoreMs),
      fmtMs(b.cpuMs),
      `${((b.cpuMs * 1000) / b.n).toFixed(2)} µs`,
      `${b.violations.toLocaleString("en-US")} (${b.listed})`,
      b.radarChars,
      `${b.maxRssMb} MB`,
    ]),
  );
  const targets: TargetRow[] = [
    {
      row: "gate_score, 10,000 findings",
      target: "≤ 100 ms (budget: < 3 s)",
      specgate: `${fmtMs(coreSarif.median)} (SARIF), ${fmtMs(tool.median)} through the pipeline`,
      peer: `JSON.parse of the log ${fmtMs(parseFloor.median)}`,
      ratio: `${fmtRatio(coreSarif.median / parseFloor.median)} the parse floor`,
      met: tool.median <= 100,
      note: `${(sarifText.length / 1024 / 1024).toFixed(1)} MB Semgrep-shaped SARIF log; the floor is parsing it, which any gate must do`,
    },
  ];
  const file = await writeResults("gate-score", {
    targets,
    parseFloor,
    tenThousand: { coreList, coreSarif, tool, cpuMsPerCall: { list: cpuList, sarif: cpuSarif, tool: cpuTool } },
    large: big,
  });
  process.stdout.write(`results: ${file}\n`);
}

if (process.argv[2] === "--child") await child(Number(process.argv[3]));
else await main();
