/**
 * `npm run docs:rules`: writes docs/rules/<code>.md from the lint rule modules
 * (src/core/lint/rules/<code>.ts). `--check` writes nothing and exits 1 when a page is stale.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderRulePages } from "../src/core/lint/rules/page.js";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "docs", "rules");
const check = process.argv.includes("--check");
let stale = 0;
for (const [name, text] of await renderRulePages()) {
  const file = path.join(dir, name);
  const current = await readFile(file, "utf8").catch(() => undefined);
  if (current === text) continue;
  stale++;
  if (check) process.stderr.write(`stale: docs/rules/${name}\n`);
  else {
    await writeFile(file, text);
    process.stderr.write(`wrote docs/rules/${name}\n`);
  }
}
if (check && stale > 0) {
  process.stderr.write("run `npm run docs:rules` to regenerate the rule pages from src/core/lint/rules/\n");
  process.exitCode = 1;
}
