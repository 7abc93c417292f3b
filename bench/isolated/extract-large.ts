/** Child process of bench/rule-extract.ts: builds a ~10 MB document and extracts it once. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { extractRules } from "../../src/core/extract/index.js";
import { reportIsolated, ROOT } from "../lib.js";

const [kind, seedPath] = process.argv.slice(2) as ["seed" | "prose", string];
const unit =
  kind === "seed"
    ? readFileSync(seedPath, "utf8")
    : ["keyword-ko.md", "keyword-en.md", "standardized-variants.md"].map((f) => readFileSync(path.join(ROOT, "test", "fixtures", "extract-docs", f), "utf8")).join("\n\n");
const target = 10 * 1024 * 1024 - 64 * 1024;
const copies = Math.floor(target / Buffer.byteLength(unit, "utf8"));
const doc = `${unit}\n\n`.repeat(copies);
const started = performance.now();
const result = extractRules(doc);
const ms = performance.now() - started;
reportIsolated({ ms, rules: result.rules.length, bytes: Buffer.byteLength(doc, "utf8"), duplicates: result.stats.duplicates });
