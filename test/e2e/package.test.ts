/**
 * The published package, as a user gets it: `npm pack`, installed into an empty project, then its
 * `specgate` command run — version, a lint, an MCP stdio handshake — and the generated CI workflow's
 * gate step run against the tarball through `workflow.specgate_package`.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { extract, generate } from "../../src/index.js";
import { PACKAGE_NAME, VERSION } from "../../src/version.js";
import { ROOT, assertBuilt } from "../helpers/spawn.js";

const run = promisify(execFile);
const DOC = path.join(ROOT, "test/fixtures/corpus/specgate-docs/standards/SpecGate-API-Design.md");
/** npm reads its cache first: the dependencies were just installed from the same registry. */
const NPM_ENV = {
  ...process.env,
  npm_config_prefer_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};

let dir: string;
let tarball: string;
let files: string[];
let bin: string;

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(path.join(tmpdir(), "specgate-pack-"));
  const packed = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
    cwd: ROOT,
    env: NPM_ENV,
    maxBuffer: 64 << 20,
  });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(dir, info!.filename);
  files = info!.files.map((f) => f.path);
  const app = path.join(dir, "app");
  await mkdir(app);
  await writeFile(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
  await run("npm", ["install", "--ignore-scripts", "--no-save", tarball], { cwd: app, env: NPM_ENV });
  bin = path.join(app, "node_modules", ".bin", "specgate");
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(`the ${PACKAGE_NAME} package`, () => {
  it("ships what runs: the build, the rulesets, the schemas and the licence; no sources, source maps or build state", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "LICENSE",
        "README.md",
        "dist/cli.js",
        "dist/index.js",
        "dist/index.d.ts",
        "rulesets/specgate.yaml",
        "assets/specgate-icon.svg",
      ]),
    );
    expect(files.some((f) => f.startsWith("schemas/"))).toBe(true);
    expect(
      files.filter((f) => f.endsWith(".map") || f.endsWith(".tsbuildinfo") || /^(src|test|bench)\//.test(f)),
    ).toEqual([]);
  });

  it("installs by name and runs: --version, lint, and an MCP stdio handshake", async () => {
    expect((await run(bin, ["--version"])).stdout.trim()).toBe(VERSION);
    const lint = await run(bin, ["lint", DOC, "--format", "json", "--min-score", "0"]);
    expect(JSON.parse(lint.stdout)).toMatchObject({
      tool: "speclint",
      version: VERSION,
      summary: { files: 1, failed: 0, errors: 0 },
    });

    const client = new Client({ name: "package-test", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: bin, args: ["serve", "--stdio"], stderr: "ignore" }));
    try {
      expect(client.getServerVersion()).toMatchObject({ name: "specgate", version: VERSION });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining([
          "confluence_fetch",
          "html_to_md",
          "speclint_lint",
          "rule_extract",
          "spec_generate",
          "rule_check",
          "gate_score",
        ]),
      );
      const converted = await client.callTool({ name: "html_to_md", arguments: { html: "<h1>Hello</h1>" } });
      expect(converted.structuredContent).toMatchObject({ markdown: "# Hello\n" });
      // The package ships no docs/: the lint-code pages are rendered from the rule modules.
      expect(files.some((f) => f.startsWith("docs/"))).toBe(false);
      const page = await client.readResource({ uri: "specgate://lint-codes/scope_missing" });
      expect((page.contents[0] as { text: string }).text).toBe(
        await readFile(path.join(ROOT, "docs/rules/scope_missing.md"), "utf8"),
      );
    } finally {
      await client.close();
    }
  });

  it.each([
    ["the tarball", () => `file:${tarball}`],
    ["a built checkout", () => `file:${ROOT}`],
  ])("is what the generated workflow's gate step runs when workflow.specgate_package names %s", async (what, spec) => {
    const work = path.join(dir, `repo-${what.replace(/\W+/g, "-")}`);
    await mkdir(path.join(work, ".specgate"), { recursive: true });
    const { rules } = await extract(readFileSync(DOC, "utf8"));
    const { files: generated } = await generate(rules, {
      targets: ["workflow"],
      workflow: { specgatePackage: spec() },
    });
    for (const f of generated) {
      await mkdir(path.dirname(path.join(work, f.path)), { recursive: true });
      await writeFile(path.join(work, f.path), f.content);
    }
    const workflow = parse(generated.find((f) => f.path.endsWith("design-guard.yml"))!.content) as {
      jobs: Record<string, { steps: { name: string; run?: string }[] }>;
    };
    const gate = workflow.jobs["design-guard"]!.steps.find((s) => s.name === "SpecGate gate")!;
    expect(gate.run).toContain(`npx --yes --package=${spec()} specgate gate`);
    // The scan found nothing: an empty SARIF log from the collect step.
    await writeFile(
      path.join(work, "specgate-findings.sarif"),
      JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: { name: "ast-grep", rules: [] } }, results: [] }] }),
    );
    const output = path.join(work, "github-output");
    // npx packs a directory through its `prepare` script, which rebuilds dist/ in place; the other
    // tests read that dist/ while this one runs, so the checkout is used as built.
    const env = {
      ...NPM_ENV,
      GITHUB_OUTPUT: output,
      ...(what === "a built checkout" && { npm_config_ignore_scripts: "true" }),
    };
    await run("bash", ["-e", "-c", gate.run!], { cwd: work, env });
    expect(await readFile(output, "utf8")).toBe("exit_code=0\n");
    expect(JSON.parse(await readFile(path.join(work, "specgate-gate.json"), "utf8"))).toMatchObject({
      decision: "PASS",
      drift_score: 0,
    });
  });
});
