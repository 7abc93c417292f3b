/**
 * What a call costs per character of input, for the memory guard's estimates (each tool's `cost`)
 * and the worker threshold: every tool × input runs alone in a fresh process, on the main thread,
 * and reports its peak RSS above the process' warmed-up baseline (the kernel's high-water mark,
 * getrusage), its heap growth and its time. Inputs: a realistic design document, a document of
 * nothing but rule lines (the pathological case for extract and generate), 100k headings (lint),
 * and Confluence storage HTML.
 *
 *   node --import tsx bench/cost.ts            the table
 *   node --import tsx bench/cost.ts --child <tool> <input> <bytes>   one measurement (internal)
 */
import { ROOT, printTable, reportIsolated, runIsolated, writeResults } from "./lib.js";
import { headings, ruleLines } from "../test/helpers/large-docs.js";
import { KB, MB, designMarkdown, storageHtml } from "./inputs.js";

export type CostTool = "lint" | "extract" | "generate" | "convert";
export type CostInput = "design" | "rules" | "headings" | "html";

export async function costInput(kind: CostInput, bytes: number): Promise<string> {
  if (kind === "design") return designMarkdown(bytes);
  if (kind === "rules") return ruleLines(bytes);
  if (kind === "headings") return headings(bytes);
  return storageHtml(bytes);
}

async function child(tool: CostTool, kind: CostInput, bytes: number): Promise<void> {
  const { lint } = await import("../src/core/lint/linter.js");
  const { extractDocument } = await import("../src/core/extract/index.js");
  const { generateFromDocument } = await import("../src/core/generate/from-document.js");
  const { convertHtml } = await import("../src/core/convert/index.js");
  const run: Record<CostTool, (text: string) => Promise<unknown>> = {
    lint: (t) => lint(t, { maxViolations: 500 }),
    extract: (t) => extractDocument(t),
    generate: (t) => generateFromDocument(t),
    convert: (t) => convertHtml(t),
  };
  const input = await costInput(kind, bytes);
  await run[tool](
    kind === "html"
      ? "<p>warm <strong>RULE-API-001</strong> (MUST): x</p>"
      : "# T\n\n## Design Rules\n\n- **RULE-API-001** (MUST): warm up.\n",
  );
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseRss = process.memoryUsage.rss();
  const baseHeap = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const out = await run[tool](input);
  const ms = performance.now() - t0;
  const heap = process.memoryUsage().heapUsed - baseHeap;
  const resultChars = JSON.stringify(out).length;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  reportIsolated({
    tool,
    kind,
    chars: input.length,
    ms,
    rssPerChar: Math.max(0, peakRss - baseRss) / input.length,
    heapPerChar: heap / input.length,
    resultChars,
  });
}

interface Row {
  tool: CostTool;
  kind: CostInput;
  chars: number;
  ms: number;
  rssPerChar: number;
  heapPerChar: number;
  resultChars: number;
}

if (process.argv[2] === "--child") {
  await child(process.argv[3] as CostTool, process.argv[4] as CostInput, Number(process.argv[5]));
} else {
  const cases: [CostTool, CostInput, number][] = [
    ["lint", "design", 1 * MB],
    ["lint", "headings", 2 * MB],
    ["lint", "rules", 1.2 * MB],
    ["lint", "html", 1 * MB],
    ["extract", "design", 1 * MB],
    ["extract", "headings", 2 * MB],
    ["extract", "rules", 1.2 * MB],
    ["extract", "html", 1 * MB],
    ["generate", "design", 1 * MB],
    ["generate", "rules", 1.2 * MB],
    ["convert", "html", 1 * MB],
    ["lint", "design", 256 * KB],
    ["extract", "design", 256 * KB],
    ["generate", "design", 256 * KB],
    ["convert", "html", 256 * KB],
  ];
  const rows: Row[] = [];
  for (const [tool, kind, bytes] of cases) {
    const { result } = await runIsolated<Row>(
      `${ROOT}/bench/cost.ts`,
      ["--child", tool, kind, String(Math.round(bytes))],
      ["--expose-gc"],
    );
    rows.push(result);
    process.stderr.write(
      `${tool} ${kind} ${Math.round(result.chars / KB)} KB: ${Math.round(result.ms)} ms, ${result.rssPerChar.toFixed(0)} B/char RSS\n`,
    );
  }
  printTable(
    "Cost per input character, each call alone in a fresh process, on the main thread",
    ["tool", "input", "size", "time", "peak RSS / char", "heap kept / char", "result / input"],
    rows.map((r) => [
      r.tool,
      r.kind,
      `${Math.round(r.chars / KB)} KB`,
      `${Math.round(r.ms)} ms`,
      `${r.rssPerChar.toFixed(0)} B`,
      `${r.heapPerChar.toFixed(0)} B`,
      `${(r.resultChars / r.chars).toFixed(1)}×`,
    ]),
  );
  await writeResults("cost", { rows });
}
