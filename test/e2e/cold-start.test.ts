/**
 * What each command loads, read from the built CLI with a module-loading hook: the work a command
 * does not need must not be loaded (commands load lazily, see docs/architecture.md "Startup").
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { CLI, ROOT } from "../helpers/spawn.js";

const REGISTER = path.join(ROOT, "test", "helpers", "module-trace", "register.mjs");
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(path.join(tmpdir(), "specgate-trace-"));
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * The command is a bundle (dist/cli.js and dist/chunks/): the build's map of each output file to
 * the sources and packages in it turns the files a run loaded back into modules.
 */
async function bundleMap(): Promise<Map<string, string[]>> {
  const meta = JSON.parse(await readFile(path.join(ROOT, "dist", "chunks", "meta.json"), "utf8")) as Record<
    string,
    string[]
  >;
  return new Map(Object.entries(meta));
}

/** A bundled input as the module name tests speak of: `src/a/b.ts` → `a/b.js`; a package file as it is. */
const moduleName = (input: string) => input.replace(/^src\/(.*)\.ts$/, "$1.js");

let runs = 0;
/** Runs the CLI; resolves with the modules it loaded: dist/ paths, package names and Node's modules it imported. */
async function loaded(
  args: string[],
  input = "",
): Promise<{ dist: string[]; packages: string[]; builtins: string[]; stdout: string }> {
  const trace = path.join(dir, `trace-${++runs}.txt`);
  await writeFile(trace, "");
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", REGISTER, CLI, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", MODULE_TRACE_FILE: trace },
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("close", () => resolve(out));
    child.stdin.end(input);
  });
  const map = await bundleMap();
  const urls = (await readFile(trace, "utf8")).split("\n").filter(Boolean);
  const files = urls.filter((u) => u.includes("/dist/")).map((u) => u.slice(u.lastIndexOf("/dist/") + 6));
  // Every file a run loads from dist/ is the bundle's: a module outside it would mean the build changed.
  expect(files.filter((f) => !map.has(f))).toEqual([]);
  const inputs = files.flatMap((f) => map.get(f)!);
  const dist = inputs.filter((i) => i.startsWith("src/")).map(moduleName);
  const packages = [
    ...new Set([...urls, ...inputs].flatMap((u) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? [])),
  ].sort();
  const builtins = [...new Set(urls.filter((u) => u.startsWith("node:")))].sort();
  return { dist, packages, builtins, stdout };
}

const commandModules = (dist: string[]) =>
  dist.filter((m) => m.startsWith("cli/commands/") && m !== "cli/commands/index.js");

describe("what a command loads", () => {
  it("--version loads no package and --help only commander; neither loads a command", async () => {
    const version = await loaded(["--version"]);
    const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(version.stdout).toBe(`${pkg.version}\n`);
    expect(version.packages).toEqual([]);
    // The build writes the version into the command itself: no chunk, no package.json read.
    expect(version.dist).toEqual(["cli.js"]);
    const help = await loaded(["--help"]);
    expect(help.stdout).toContain("Usage: specgate");
    expect(help.packages).toEqual(["commander"]);
    expect(commandModules(help.dist)).toEqual([]);
  }, 60_000);

  it("lint of a Markdown file loads its command only, and neither the MCP server nor the converter, Redis, metrics or the glob library", async () => {
    const doc = path.join(dir, "one.md");
    await writeFile(doc, "# Payments API design\n\n## Design rules\n\n- **RULE-API-001** (MUST): Version every API.\n");
    const run = await loaded(["lint", doc]);
    expect(run.stdout).toContain("one.md");
    expect(commandModules(run.dist)).toEqual(["cli/commands/lint.js"]);
    // A file named as it is needs no glob library and, without a .specgateignore, no gitignore matcher.
    for (const pkg of [
      "@modelcontextprotocol/sdk",
      "ioredis",
      "prom-client",
      "pino",
      "undici",
      "htmlparser2",
      "tinyglobby",
      "ignore",
    ])
      expect(run.packages, pkg).not.toContain(pkg);
    expect(run.packages).toContain("markdown-it");
    expect(run.dist.filter((m) => m.startsWith("core/convert/"))).toEqual([]);
    // The linter reads priorities and rule ids, not whole rules: the DesignRuleSpec schemas stay unbuilt.
    expect(run.dist).toContain("core/spec/rule-terms.js");
    expect(run.dist).not.toContain("core/spec/design-rule-spec.js");
  }, 60_000);

  it("serve --stdio answers initialize without ioredis (no Redis configured), ajv, prom-client, the HTTP transport, the tools' engines, the lint rules or the Confluence client", async () => {
    const initialize = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "trace", version: "1" } },
    });
    const run = await loaded(["serve", "--stdio"], `${initialize}\n`);
    expect(JSON.parse(run.stdout.split("\n")[0]!)).toMatchObject({
      id: 1,
      result: { serverInfo: { name: "specgate" } },
    });
    expect(run.packages).not.toContain("ioredis");
    // The SDK's JSON Schema validator (ajv) is built when a schema is first compiled, not at start.
    expect(run.packages.filter((p) => p.startsWith("ajv"))).toEqual([]);
    expect(run.dist).not.toContain("transports/http.js");
    // Nothing can read metrics over stdio: they are not recorded, and prom-client stays unloaded.
    expect(run.packages).not.toContain("prom-client");
    expect(run.dist).not.toContain("perf/prometheus.js");
    // TLS only for a configured Confluence CA, zlib only for an L2 tier, pino's transports never.
    expect(run.builtins).toContain("node:crypto");
    expect(run.builtins).not.toContain("node:tls");
    expect(run.builtins).not.toContain("node:zlib");
    expect(run.packages).not.toContain("thread-stream");
    for (const engine of [
      "core/lint/linter.js",
      "core/extract/extract.js",
      "core/generate/index.js",
      "core/check/check.js",
      "core/gate/index.js",
      // Listed by resources and completions on request: their checks bring the Markdown parser.
      "core/lint/rules/index.js",
      "core/lint/ruleset/load.js",
      // Created only when CONFLUENCE_BASE_URL is set.
      "core/confluence/client.js",
    ])
      expect(run.dist, engine).not.toContain(engine);
    expect(run.packages).not.toContain("markdown-it");
  }, 60_000);
});
