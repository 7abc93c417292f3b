/**
 * Cold start, as a user feels it: whole processes of `node dist/cli.js …` beside a peer doing the
 * same job, in the same run, alternating (every round runs each command once, in a rotated order,
 * so load from other jobs falls on all of them alike):
 *   - `specgate --version` and `--help` against `node -e 0` (the floor: Node starting and exiting);
 *   - `specgate lint one.md` (the 16 KB seed document) against `markdownlint-cli2 one.md`;
 *   - `specgate serve --stdio` until it answers `initialize` against `node -e 0`, and against the
 *     least server the MCP SDK makes (bench/cold-start/sdk-echo-stdio.mjs: McpServer, one tool,
 *     stdio), as published and bundled with esbuild the way SpecGate's command is;
 *   - `specgate convert` of a 2 MB storage page against a turndown + gfm script
 *     (bench/cold-start/turndown-convert.mjs).
 * Reported per command: median wall time and peak RSS (`/usr/bin/time -f %M`), and per pair the
 * median of the rounds' ratios (each round's SpecGate time ÷ the peer's time in that round).
 *
 * With `--base DIR` (an older checkout, built), its `--version`, `lint` and `serve --stdio` run in
 * the same rounds: what a change did, measured beside it.
 *
 *   npm run build && npm run bench:peers   # dist/ and markdownlint-cli2
 *   node --import tsx bench/cold-start.ts [--runs 9] [--base ../older-checkout]
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { storageHtml, seedMarkdown, MB } from "./inputs.js";
import { median, ROOT, fmtMs, fmtRatio, printTable, printTargets, writeResults, type TargetRow } from "./lib.js";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;
const CLI = path.join(ROOT, "dist", "cli.js");
const baseArg = process.argv.indexOf("--base");
const BASE_CLI = baseArg > 0 ? path.resolve(process.argv[baseArg + 1]!, "dist", "cli.js") : undefined;
const MDL = path.join(ROOT, "node_modules", "markdownlint-cli2", "markdownlint-cli2-bin.mjs");
const TIME = "/usr/bin/time";

if (!existsSync(CLI)) throw new Error("dist/cli.js is missing: run `npm run build` first.");
if (!existsSync(MDL)) throw new Error("markdownlint-cli2 is missing: run `npm run bench:peers` first.");

interface Case {
  name: string;
  args: string[];
  /** Measure until the process answers `initialize` on stdout (a server), not until it exits. */
  initialize?: boolean;
  /** A linter: exit 1 (findings) is a completed run. */
  linter?: boolean;
}

const dir = await mkdtemp(path.join(os.tmpdir(), "specgate-cold-"));
const doc = path.join(dir, "one.md");
const page = path.join(dir, "page.xhtml");
await writeFile(doc, await seedMarkdown());
await writeFile(page, storageHtml(2 * MB));
const node = process.execPath;
const SDK_ECHO = path.join(ROOT, "bench", "cold-start", "sdk-echo-stdio.mjs");
const SDK_ECHO_BUNDLED = path.join(dir, "sdk-echo-stdio.bundle.mjs");
await build({
  entryPoints: [SDK_ECHO],
  outfile: SDK_ECHO_BUNDLED,
  bundle: true,
  format: "esm",
  platform: "node",
  minifyWhitespace: true,
  minifySyntax: true,
  banner: { js: 'import { createRequire as __r } from "node:module"; const require = __r(import.meta.url);' },
  logLevel: "warning",
});

const CASES: Case[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "specgate --version", args: [CLI, "--version"] },
  { name: "specgate --help", args: [CLI, "--help"] },
  { name: "markdownlint-cli2 one.md", args: [MDL, doc], linter: true },
  { name: "specgate lint one.md", args: [CLI, "lint", doc], linter: true },
  { name: "specgate serve --stdio → initialize", args: [CLI, "serve", "--stdio"], initialize: true },
  { name: "MCP SDK echo server (stdio) → initialize", args: [SDK_ECHO], initialize: true },
  { name: "MCP SDK echo server, bundled → initialize", args: [SDK_ECHO_BUNDLED], initialize: true },
  { name: "turndown + gfm, 2 MB page", args: [path.join(ROOT, "bench", "cold-start", "turndown-convert.mjs"), page] },
  { name: "specgate convert, 2 MB page", args: [CLI, "convert", page] },
  ...(BASE_CLI
    ? [
        { name: "before: specgate --version", args: [BASE_CLI, "--version"] },
        { name: "before: specgate lint one.md", args: [BASE_CLI, "lint", doc], linter: true },
        {
          name: "before: specgate serve --stdio → initialize",
          args: [BASE_CLI, "serve", "--stdio"],
          initialize: true,
        },
      ]
    : []),
];

const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "cold-start", version: "1" } },
})}\n`;

interface Sample {
  ms: number;
  rssKb: number | undefined;
}

/**
 * Every command and its peer run in the same environment, less `NODE_EXTRA_CA_CERTS`: Node reads
 * and parses that certificate file at every start, before any script runs (the system bundle:
 * about 85 ms here, twice `node -e 0` itself), so it would add the same fixed time to both sides
 * of every pair and make every ratio look nearer 1 than a user who does not set it would find.
 */
const CHILD_ENV: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent", NODE_OPTIONS: "" };
delete CHILD_ENV.NODE_EXTRA_CA_CERTS;

/** One whole process: wall time from spawn to exit (or to the `initialize` answer), peak RSS. */
async function runOnce(c: Case): Promise<Sample> {
  const rssFile = path.join(dir, "rss.txt");
  const withTime = existsSync(TIME);
  const [cmd, args] = withTime ? [TIME, ["-f", "%M", "-o", rssFile, node, ...c.args]] : [node, c.args];
  const started = performance.now();
  const child = spawn(cmd, args, {
    cwd: dir,
    env: CHILD_ENV,
    stdio: [c.initialize ? "pipe" : "ignore", "pipe", "ignore"],
  });
  let ms = 0;
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      if (!c.initialize || ms) return;
      out += d;
      if (out.includes('"id":1')) {
        ms = performance.now() - started;
        child.stdin!.end();
      }
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!ms) ms = performance.now() - started;
      if (code !== 0 && !(code === 1 && c.linter)) reject(new Error(`${c.name} exited ${code}`));
      else resolve();
    });
    if (c.initialize) child.stdin!.write(INITIALIZE);
  });
  const rssKb = withTime ? Number((await readFile(rssFile, "utf8")).trim().split("\n").pop()) : undefined;
  return { ms, rssKb };
}

const samples = new Map<string, Sample[]>(CASES.map((c) => [c.name, []]));
const loadBefore = os.loadavg();
// One warm-up round (file system cache), then the measured rounds, each in a rotated order.
for (const c of CASES) await runOnce(c);
for (let round = 0; round < RUNS; round++) {
  for (let i = 0; i < CASES.length; i++) {
    const c = CASES[(i + round) % CASES.length]!;
    samples.get(c.name)!.push(await runOnce(c));
  }
}
const loadAfter = os.loadavg();
await rm(dir, { recursive: true, force: true });

const wall = (name: string) => median(samples.get(name)!.map((s) => s.ms));
const rss = (name: string) => {
  const kb = samples.get(name)!.map((s) => s.rssKb ?? NaN);
  return kb.some(Number.isNaN) ? undefined : median(kb) / 1024;
};
/** Median over rounds of (SpecGate ÷ peer) within the round. */
const pairedRatio = (specgate: string, peer: string) =>
  median(samples.get(specgate)!.map((s, i) => s.ms / samples.get(peer)![i]!.ms));

const PAIRS: { specgate: string; peer: string; row: string; target: number }[] = [
  { specgate: "specgate --version", peer: "node -e 0", row: "CLI cold start: specgate --version", target: 1.5 },
  { specgate: "specgate --help", peer: "node -e 0", row: "CLI cold start: specgate --help", target: 1.5 },
  {
    specgate: "specgate lint one.md",
    peer: "markdownlint-cli2 one.md",
    row: "specgate lint one.md (16 KB), whole process",
    target: 0.6,
  },
  {
    specgate: "specgate serve --stdio → initialize",
    peer: "node -e 0",
    row: "specgate serve --stdio, initialize answered",
    target: 2,
  },
  {
    specgate: "specgate convert, 2 MB page",
    peer: "turndown + gfm, 2 MB page",
    row: "specgate convert, 2 MB storage page, whole process",
    target: 0.4,
  },
];

// Not targets: what the SDK alone costs to start, beside what SpecGate costs.
for (const peer of ["MCP SDK echo server (stdio) → initialize", "MCP SDK echo server, bundled → initialize"])
  PAIRS.push({ specgate: "specgate serve --stdio → initialize", peer, row: "", target: Infinity });
for (const floor of ["MCP SDK echo server (stdio) → initialize", "MCP SDK echo server, bundled → initialize"])
  PAIRS.push({ specgate: floor, peer: "node -e 0", row: "", target: Infinity });

if (BASE_CLI)
  for (const name of ["specgate --version", "specgate lint one.md", "specgate serve --stdio → initialize"])
    PAIRS.push({ specgate: name, peer: `before: ${name}`, row: "", target: Infinity });

const fmtRss = (mb: number | undefined) => (mb === undefined ? "—" : `${mb.toFixed(0)} MB`);
const table = printTable(
  `Whole processes, ${RUNS} alternating rounds (median)`,
  ["command", "wall", "peak RSS"],
  CASES.map((c) => [c.name, fmtMs(wall(c.name)), fmtRss(rss(c.name))]),
);
const pairs = PAIRS.map((p) => ({ ...p, ratio: pairedRatio(p.specgate, p.peer) }));
const ratios = printTable(
  "SpecGate ÷ peer, same round (median of the rounds' ratios)",
  ["SpecGate", "peer", "ratio", "target", "met"],
  pairs.map((p) => [
    p.specgate,
    p.peer,
    fmtRatio(p.ratio),
    p.row ? `≤ ${p.target}×` : "",
    p.row ? (p.ratio <= p.target ? "yes" : "**no**") : "",
  ]),
);
const load = `Load average (1 / 5 / 15 min) ${loadBefore.map((l) => l.toFixed(1)).join(" / ")} before, ${loadAfter
  .map((l) => l.toFixed(1))
  .join(" / ")} after, on ${os.availableParallelism()} cores shared with other jobs.\n`;
process.stdout.write(`${load}\n`);
const targets: TargetRow[] = pairs
  .filter((p) => p.row)
  .map((p) => ({
    row: p.row,
    target: `≤ ${p.target}× ${p.peer}`,
    specgate: `${fmtMs(wall(p.specgate))}, ${fmtRss(rss(p.specgate))}`,
    peer: `${p.peer} ${fmtMs(wall(p.peer))}, ${fmtRss(rss(p.peer))}`,
    ratio: fmtRatio(p.ratio),
    met: p.ratio <= p.target,
    ...(p.specgate === "specgate serve --stdio → initialize"
      ? {
          note:
            `the least server the MCP SDK makes (McpServer, one tool, stdio) takes ` +
            `${fmtRatio(pairedRatio("MCP SDK echo server (stdio) → initialize", "node -e 0"))} node -e 0 as published and ` +
            `${fmtRatio(pairedRatio("MCP SDK echo server, bundled → initialize", "node -e 0"))} bundled; SpecGate takes ` +
            `${fmtRatio(pairedRatio(p.specgate, "MCP SDK echo server, bundled → initialize"))} the bundled one`,
        }
      : {}),
  }));
printTargets("Cold-start targets", targets);
await writeFile(path.join(ROOT, "bench", "results", "cold-start.md"), `${table}\n${ratios}\n${load}`);
await writeResults("cold-start", {
  runs: RUNS,
  loadBefore,
  loadAfter,
  commands: Object.fromEntries(CASES.map((c) => [c.name, { wallMs: wall(c.name), rssMb: rss(c.name) }])),
  ratios: Object.fromEntries(pairs.map((p) => [p.specgate, p.ratio])),
  targets,
});
