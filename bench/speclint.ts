/**
 * speclint benchmarks:
 *   1. the 16 KB seed document, in process (target < 2 ms), with the parse /
 *      checks split and markdownlint on the same text as a per-MB yardstick;
 *   2. a 10 MB document in an isolated child (target < 1 s, peak RSS < 300 MB), markdownlint too;
 *   3. 100-document batches through MCP (in-memory SDK client, real server and pipeline, no
 *      cache hits): documents per second (target ≥ 200).
 *
 *   node --import tsx bench/speclint.ts [--quick]
 */
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { lint as markdownlint } from "markdownlint/sync";
import { loadConfig } from "../src/config.js";
import { lint, lintDocument } from "../src/core/lint/linter.js";
import { loadRuleset } from "../src/core/lint/ruleset/load.js";
import { parseMarkdown } from "../src/core/markdown/document.js";
import { createLogger } from "../src/logger.js";
import { createRuntime } from "../src/runtime.js";
import { createServer } from "../src/server.js";
import { BENCH_DIR, fmtMs, fmtRatio, measure, printTable, runIsolated, writeResults, type TargetRow } from "./lib.js";
import { readCorpusDocs, readSeed } from "./speclint-fixtures.js";

const quick = process.argv.includes("--quick");
const MB = 1024 * 1024;
const seed = await readSeed();
const seedBytes = Buffer.byteLength(seed);
const ruleset = await loadRuleset("specgate");

// 1. The seed document.
const runs = { runs: quick ? 200 : 2000, warmup: 200, maxMs: 20_000 };
const full = await measure(() => lint(seed, { ruleset }), runs);
const parseOnly = await measure(() => parseMarkdown(seed), runs);
const doc = parseMarkdown(seed);
const checksOnly = await measure(() => lintDocument(doc, ruleset), runs);
const mdl = await measure(() => markdownlint({ strings: { seed } }), { ...runs, runs: Math.min(runs.runs, 500) });
const perMb = (ms: number, bytes: number) => (ms * MB) / bytes;
const seedTable = printTable(
  `Seed document (${(seedBytes / 1024).toFixed(1)} KB), in process`,
  ["what", "median", "p95", "per MB", "target"],
  [
    [
      "speclint lint() (parse + checks)",
      fmtMs(full.median),
      fmtMs(full.p95),
      fmtMs(perMb(full.median, seedBytes)),
      "< 2 ms",
    ],
    [
      "  parse (markdown-it, shared model)",
      fmtMs(parseOnly.median),
      fmtMs(parseOnly.p95),
      fmtMs(perMb(parseOnly.median, seedBytes)),
      "",
    ],
    [
      "  checks (lintDocument)",
      fmtMs(checksOnly.median),
      fmtMs(checksOnly.p95),
      fmtMs(perMb(checksOnly.median, seedBytes)),
      "",
    ],
    [
      "markdownlint 0.40 (default rules)",
      fmtMs(mdl.median),
      fmtMs(mdl.p95),
      fmtMs(perMb(mdl.median, seedBytes)),
      "yardstick",
    ],
    ["markdownlint ÷ speclint (time)", fmtRatio(mdl.median / full.median), "", "", ""],
  ],
);

// 2. 10 MB, isolated.
const child = path.join(BENCH_DIR, "speclint-large.ts");
type Large = {
  tool: string;
  bytes: number;
  findings: number;
  firstRunRssMb: number;
  timing: { median: number; min: number; max: number };
};
const big = await runIsolated<Large>(child, ["speclint", "10"]);
const bigMdl = quick ? undefined : await runIsolated<Large>(child, ["markdownlint", "10"]);
const largeRows: (string | number)[][] = [row("speclint", big, "< 1 s, < 300 MB")];
if (bigMdl) {
  largeRows.push(row("markdownlint 0.40", bigMdl, "yardstick"));
}
function row(name: string, r: { result: Large; maxRssMb: number }, target: string): (string | number)[] {
  const t = r.result.timing;
  return [
    name,
    (r.result.bytes / MB).toFixed(1),
    fmtMs(t.median),
    `${fmtMs(t.min)} – ${fmtMs(t.max)}`,
    fmtMs(perMb(t.median, r.result.bytes)),
    `${r.result.firstRunRssMb} MB`,
    `${r.maxRssMb} MB`,
    r.result.findings,
    target,
  ];
}
const largeTable = printTable(
  "10 MB document, isolated child (3 runs; peak RSS after the first run = one document, and after all three)",
  ["tool", "MB", "median", "range", "per MB", "peak RSS (1 doc)", "peak RSS (3 runs)", "findings", "target"],
  largeRows,
);

// 3. 100-document batches through MCP.
const config = loadConfig({ LOG_LEVEL: "silent" });
const runtime = createRuntime({ config, logger: createLogger({ level: "silent" }) });
const specgate = createServer({ runtime });
const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
const client = new Client({ name: "bench", version: "1.0.0" });
await Promise.all([specgate.server.connect(serverTransport), client.connect(clientTransport)]);
const corpus = await readCorpusDocs();
let round = 0;
const batch = () => {
  round++;
  // Every document unique in every round: no cache hits.
  return Array.from({ length: 100 }, (_, i) => ({
    id: `doc-${i}`,
    content: `${corpus[i % corpus.length]}\n<!-- round ${round} copy ${i} -->\n`,
  }));
};
const batchBytes = batch().reduce((n, d) => n + Buffer.byteLength(d.content), 0);
const call = async (documents: { id: string; content: string }[]) => {
  const r = await client.callTool({ name: "speclint_lint", arguments: { documents } });
  if (r.isError) throw new Error(JSON.stringify(r.content));
};
const batches = await measure(() => call(batch()), { runs: quick ? 5 : 20, warmup: 3 });
const same = batch();
await call(same);
const cached = await measure(() => call(same), { runs: quick ? 5 : 20, warmup: 1 });
await client.close();
await specgate.close();
const batchTable = printTable(
  `100-document batches through MCP (in-memory client; ${(batchBytes / MB).toFixed(2)} MB per batch; corpus documents made unique per round)`,
  ["what", "median per batch", "p95", "documents/s", "target"],
  [
    ["uncached", fmtMs(batches.median), fmtMs(batches.p95), Math.round(100_000 / batches.median), "≥ 200 documents/s"],
    [
      "same batch again (lint cache hits)",
      fmtMs(cached.median),
      fmtMs(cached.p95),
      Math.round(100_000 / cached.median),
      "",
    ],
  ],
);

const targets: TargetRow[] = [
  {
    row: "speclint_lint, 16 KB doc, in process",
    target: "≤ 2 ms (budget: < 3 s)",
    specgate: fmtMs(full.median),
    peer: `markdownlint ${fmtMs(mdl.median)}`,
    ratio: `${fmtRatio(mdl.median / full.median)} faster`,
    met: full.median <= 2,
    note: "markdownlint runs different rules over the same parse work: a yardstick of per-MB cost",
  },
];

await writeResults("speclint", {
  targets,
  seed: { bytes: seedBytes, lint: full, parse: parseOnly, checks: checksOnly, markdownlint: mdl },
  large: {
    speclint: { ...big.result, maxRssMb: big.maxRssMb },
    markdownlint: bigMdl ? { ...bigMdl.result, maxRssMb: bigMdl.maxRssMb } : null,
  },
  batch: { bytes: batchBytes, uncached: batches, cached, documentsPerSecond: 100_000 / batches.median },
  tables: [seedTable, largeTable, batchTable],
});
