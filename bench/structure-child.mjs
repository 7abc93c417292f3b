// One build's library API on the corpus, in this fresh process (see bench/structure.ts). Prints
// {result: {operation: CPU ms per call}} as JSON on its last line. CPU time (user + system), not
// wall time: on a shared machine it is what the build itself spends.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = process.argv[2];
const api = await import(pathToFileURL(path.join(dist, "index.js")).href);
const read = (file) => readFile(path.join(ROOT, file), "utf8");
const doc = await read("test/fixtures/corpus/specgate-docs/test-documents/01-API-Design-Perfect.md");
const page = await read("test/fixtures/corpus/confluence-storage/qp-1844969501-ko-support.page.xhtml");
const sarif = JSON.parse(await read("test/fixtures/gate/semgrep.sarif"));
const { rules } = await api.extract(doc);

async function cpuPerCall(fn, runs) {
  for (let i = 0; i < 10; i++) await fn(i);
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) await fn(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / runs;
}

const out = {
  "library lint (design doc)": await cpuPerCall((i) => api.lint(`${doc}\n<!-- ${i} -->\n`), 200),
  "library extract (design doc)": await cpuPerCall((i) => api.extract(`${doc}\n<!-- ${i} -->\n`), 200),
  "library convert (storage page)": await cpuPerCall((i) => api.convert(`${page}<p>${i}</p>`), 200),
  "library score (SARIF + lint)": await cpuPerCall(
    (i) => api.score({ rules, sarif, lint: { content: `${doc}\n<!-- ${i} -->\n` } }),
    200,
  ),
};
process.stdout.write(`${JSON.stringify({ result: out })}\n`);
