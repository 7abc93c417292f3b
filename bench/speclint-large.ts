/**
 * Child process of bench/speclint.ts (run through runIsolated, so peak RSS is this process's
 * own): builds a ~10 MB design document and lints it three times with speclint or markdownlint,
 * reporting the peak RSS after the first run (one document) and the timings of all three.
 *
 *   node --import tsx bench/speclint-large.ts speclint|markdownlint [megabytes]
 */
import { lint as markdownlint } from "markdownlint/sync";
import { lint } from "../src/core/lint/linter.js";
import { loadRuleset } from "../src/core/lint/ruleset/load.js";
import { reportIsolated, summarize } from "./lib.js";
import { largeDocument, readSeed } from "./speclint-fixtures.js";

const tool = process.argv[2] ?? "speclint";
const megabytes = Number(process.argv[3] ?? 10);
const doc = largeDocument(await readSeed(), megabytes * 1024 * 1024 - 64 * 1024);
const bytes = Buffer.byteLength(doc);
const ruleset = await loadRuleset("specgate");
const samples: number[] = [];
let findings = 0;
let firstRunRssMb = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  if (tool === "markdownlint") {
    const result = markdownlint({ strings: { doc } });
    findings = result.doc?.length ?? 0;
  } else {
    const result = await lint(doc, { ruleset });
    findings = result.violations.length;
  }
  samples.push(performance.now() - t0);
  // A process that lints one 10 MB document peaks here; later runs add garbage not yet collected.
  if (i === 0) firstRunRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
}
reportIsolated({ tool, bytes, findings, firstRunRssMb, timing: summarize(samples) });
