/**
 * Rebuilds BENCHMARKS.md from bench/results/: the machine, how to rerun, the target table
 * (each row as the part that measured it wrote it under `targets` in its JSON), then every part's
 * printed tables. `npm run bench` calls it after a full run; `npm run bench:report` alone.
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { RESULTS_DIR, ROOT, type TargetRow } from "./lib.js";

/** The target table's rows in a fixed order; a row measured by two parts is taken from the first. */
const ROWS: { row: string; seed: string }[] = [
  { row: "speclint_lint, 16 KB doc, in process", seed: "< 3 s" },
  { row: "rule_extract, 16 KB doc", seed: "< 10 s" },
  { row: "html_to_md, 150 KB page / 10 MB page", seed: "< 2 s" },
  { row: "spec_generate, seed doc's rules, all targets", seed: "< 5 s" },
  { row: "gate_score, 10,000 findings", seed: "< 3 s" },
  { row: "rule_check, 1,000 files × 20 rules", seed: "—" },
  { row: "rule_check peak RSS (1,000 files)", seed: "< 1 GB" },
  { row: "rule_check, one 500-line buffer, warm", seed: "—" },
  { row: "confluence_fetch, 100 pages, 50 ms upstream", seed: "< 5 s" },
  { row: "MCP over HTTP, cached calls", seed: "100 req/s" },
  { row: "MCP over stdio, one client", seed: "—" },
  { row: "documents through lint + extract", seed: "50 docs/min" },
  { row: "cache hit ratio on the replay workload", seed: "> 80 %" },
  { row: "peak RSS under load", seed: "< 1 GB" },
  { row: "peak RSS per tool at 10 MB", seed: "< 1 GB" },
  { row: "html_to_md, pages with lost content", seed: "—" },
  { row: "rule_extract, BCP 14 keyword-sentence recall", seed: "—" },
  { row: "rule_extract, Korean pages: real requirements", seed: "—" },
  { row: "CLI cold start: specgate --version", seed: "—" },
  { row: "CLI cold start: specgate --help", seed: "—" },
  { row: "specgate lint one.md (16 KB), whole process", seed: "—" },
  { row: "specgate serve --stdio, initialize answered", seed: "—" },
  { row: "specgate convert, 2 MB storage page, whole process", seed: "—" },
  { row: "MCP over HTTP, cached calls, 8 clients, alternating", seed: "100 req/s" },
  { row: "two clients' uncached 1 MB extractions, over one client's", seed: "—" },
  { row: "small cached call p99 during a hostile call", seed: "—" },
];

/** Parts in the order their tables appear; also the order in which a row's source is chosen. */
const PARTS = [
  "html-to-md",
  "speclint",
  "rule-extract",
  "accuracy",
  "spec-generate",
  "gate-score",
  "rule-check",
  "confluence-fetch",
  "cache-replay",
  "transport",
  "http-overhead",
  "batch",
  "latency",
  "scaling",
  "load",
  "scale-out",
  "cores",
  "cold-start",
  "cost",
  "worker-threshold",
  "attacks",
  "large-outputs",
  "transport-cost",
  "structure",
];

const DOCS: Record<string, string> = {
  "html-to-md": "docs/benchmarks/html-to-md.md",
  speclint: "docs/benchmarks/speclint.md",
  "rule-extract": "docs/benchmarks/rule-extract.md",
  accuracy: "docs/benchmarks/accuracy.md",
  "spec-generate": "docs/benchmarks/spec-generate.md",
  "gate-score": "docs/benchmarks/gate-score.md",
  "rule-check": "docs/benchmarks/rule-check.md",
  "confluence-fetch": "docs/benchmarks/confluence-fetch.md",
  "cache-replay": "docs/benchmarks/cache.md",
  "cold-start": "docs/benchmarks/startup-and-overhead.md",
  "http-overhead": "docs/benchmarks/startup-and-overhead.md",
  "scale-out": "docs/benchmarks/startup-and-overhead.md",
  cores: "docs/benchmarks/startup-and-overhead.md",
  attacks: "docs/RELIABILITY.md",
  cost: "docs/RELIABILITY.md",
  "worker-threshold": "docs/architecture.md",
  "large-outputs": "docs/RELIABILITY.md",
  "transport-cost": "docs/RELIABILITY.md",
};

/** Parts that compare this build with an older checkout: not in `npm run bench`, run by hand with `--base`. */
const BY_HAND: Record<string, string> = {
  attacks: "node --import tsx bench/attacks.ts --base ../older-checkout > bench/results/attacks.md",
  "large-outputs": "node --import tsx bench/large-outputs.ts --base ../older-checkout > bench/results/large-outputs.md",
  "transport-cost":
    "node --import tsx bench/transport-cost.ts --base ../older-checkout > bench/results/transport-cost.md",
  structure: "npm run build && node --import tsx bench/structure.ts --rounds 5 > bench/results/structure.md",
};

/** Parts whose recorded run used options: the command that reproduces it. */
const RUN_AS: Record<string, string> = {
  "cold-start":
    "npm run build && npm run bench:peers && node --import tsx bench/cold-start.ts --runs 7 --base ../older-checkout",
  "http-overhead": "npm run build && node --import tsx bench/http-overhead.ts --clients 8 --seconds 2 --rounds 21",
  "scale-out": "npm run build && node --import tsx bench/scale-out.ts --seconds 5 --rounds 3 --clients 16",
  cores: "npm run build && node --import tsx bench/cores.ts --seconds 6 --rounds 5",
};

interface PartResult {
  date?: string;
  targets?: TargetRow[];
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A part that failed in the full run, and when it was rerun alone if its results are newer. */
function failedPart(part: string, runDate: string, results: Map<string, PartResult>): string {
  const date = results.get(part)?.date;
  return date && date > runDate ? `${part} (rerun alone ${date.slice(0, 16).replace("T", " ")} UTC)` : part;
}

export function buildReport(): string {
  const machine = readJson<{
    date: string;
    node: string;
    os: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    loadBefore: number[];
    loadAfter: number[];
    seconds: Record<string, number>;
    totalSeconds: number;
    failed: string[];
  }>(path.join(RESULTS_DIR, "machine.json"));
  const results = new Map<string, PartResult>();
  for (const part of PARTS) {
    const r = readJson<PartResult>(path.join(RESULTS_DIR, `${part}.json`));
    if (r) results.set(part, r);
  }

  const out: string[] = [];
  out.push("# SpecGate benchmarks", "");
  out.push(
    "Generated by `npm run bench` (bench/report.ts) from the JSON and tables under `bench/results/`. " +
      "Every figure in a row comes from the same run: SpecGate beside a peer (another tool doing the same job), " +
      "a floor (the least work the job needs, e.g. the transport with an echo tool) or, where neither exists, the budget " +
      "of SpecGate's performance design document. Absolute times on this shared machine are noisy; the ratios are the steadier figure.",
    "",
  );
  out.push("## The machine and the run", "");
  if (machine) {
    out.push(
      `- ${machine.date.slice(0, 16).replace("T", " ")} UTC, Node ${machine.node}, ${machine.os}`,
      `- ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB; shared with other jobs: load average ${machine.loadBefore.join(" / ")} before, ${machine.loadAfter.join(" / ")} after (1 / 5 / 15 min)`,
      `- whole run ${Math.floor(machine.totalSeconds / 60)} min ${machine.totalSeconds % 60} s; per part: ${Object.entries(
        machine.seconds,
      )
        .map(([p, s]) => `${p} ${s} s`)
        .join(
          ", ",
        )}${machine.failed.length ? `; failed: ${machine.failed.map((p) => failedPart(p, machine.date, results)).join(", ")}` : ""}`,
      "",
    );
  } else {
    out.push("(no full run recorded: run `npm run bench`)", "");
  }
  out.push(
    "## Rerun",
    "",
    "```sh",
    "npm ci",
    "npm run bench                    # every part, then this file (8-9 min here, build included)",
    "npm run bench -- transport batch # some parts only; then: npm run bench:report",
    "node --expose-gc --import tsx bench/speclint.ts --quick   # one part alone",
    "# against an older build: what the defences cost (a checkout, built, with node_modules) and the restructuring (a commit):",
    ...Object.values(BY_HAND),
    "```",
    "",
    "`npm run bench` builds `dist/` and installs the peers that are not dependencies (mdream, markdownlint-cli2) without saving them. " +
      "Redis-backed parts start their own `redis-server` on a free loopback port; Confluence is a loopback fake speaking the REST shapes.",
    "",
  );

  out.push("## Targets", "");
  out.push(
    "| what | design budget | SpecGate target | SpecGate | peer / floor, same run | ratio | met |",
    "|---|---|---|---|---|---|---|",
  );
  const notes: string[] = [];
  for (const { row, seed } of ROWS) {
    let found: { part: string; t: TargetRow } | undefined;
    for (const part of PARTS) {
      const t = results.get(part)?.targets?.find((x) => x.row === row);
      if (t) {
        found = { part, t };
        break;
      }
    }
    if (!found) {
      out.push(`| ${cell(row)} | ${seed} | | not measured yet | | | — |`);
      continue;
    }
    const { t, part } = found;
    const target = t.target.replace(/\s*\(budget: [^)]*\)/, "");
    const n = t.note ? ` [${notes.push(`${row} (${part}): ${t.note}`)}]` : "";
    out.push(
      `| ${cell(row)} | ${seed} | ${cell(target)} | ${cell(t.specgate)} | ${cell(t.peer)} | ${cell(t.ratio)}${n} | ${t.met ? "yes" : "**no**"} |`,
    );
  }
  out.push("");
  if (notes.length > 0) out.push(...notes.map((n, i) => `${i + 1}. ${n}`), "");

  out.push("## The parts", "");
  for (const part of PARTS) {
    const mdFile = path.join(RESULTS_DIR, `${part}.md`);
    if (!existsSync(mdFile)) continue;
    const date = results.get(part)?.date?.slice(0, 16).replace("T", " ");
    out.push(`### ${part}${date ? ` (${date} UTC)` : ""}`, "");
    out.push(
      `\`${BY_HAND[part] ?? RUN_AS[part] ?? `node --expose-gc --import tsx bench/${part}.ts`}\`${DOCS[part] ? `; analysis and history: [${DOCS[part]}](${DOCS[part]})` : ""}`,
      "",
    );
    // Demote the part's own headings one level so they nest under this one.
    out.push(
      readFileSync(mdFile, "utf8")
        .trim()
        .replace(/^(#{1,4}) /gm, "#$1 "),
      "",
    );
  }
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

export async function writeReport(): Promise<string> {
  const file = path.join(ROOT, "BENCHMARKS.md");
  await writeFile(file, buildReport());
  return file;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${path.relative(ROOT, await writeReport())}\n`);
}
