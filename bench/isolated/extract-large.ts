/** Child process of bench/rule-extract.ts: builds a ~10 MB document and extracts it once. */
import { extractRules } from "../../src/core/extract/index.js";
import { readFixtureSync } from "../../test/helpers/fixtures.js";
import { reportIsolated } from "../lib.js";

const kind = process.argv[2] as "seed" | "prose";
const fixture = readFixtureSync;
const unit =
  kind === "seed"
    ? fixture("reference", "SpecGate-Performance-Design.seed.md")
    : ["keyword-ko.md", "keyword-en.md", "standardized-variants.md"]
        .map((f) => fixture("extract-docs", f))
        .join("\n\n");
const target = 10 * 1024 * 1024 - 64 * 1024;
const doc = `${unit}\n\n`.repeat(Math.floor(target / Buffer.byteLength(`${unit}\n\n`, "utf8")));
const cpu = process.cpuUsage();
const started = performance.now();
const result = extractRules(doc);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
reportIsolated({
  ms,
  cpuMs: (used.user + used.system) / 1000,
  rules: result.rules.length,
  bytes: Buffer.byteLength(doc, "utf8"),
  duplicates: result.stats.duplicates,
});
