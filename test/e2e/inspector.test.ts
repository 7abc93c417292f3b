import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { patient } from "../helpers/patience.js";
import { CLI, ROOT, assertBuilt } from "../helpers/spawn.js";

const INSPECTOR = path.join(ROOT, "node_modules/.bin/mcp-inspector");

function inspector(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The Inspector gives up on a server that has not answered `initialize` within 15 s; a
    // machine busy with other work can take longer to start one.
    const child = spawn(
      INSPECTOR,
      ["--cli", "--connect-timeout", String(patient(15_000)), process.execPath, CLI, "serve", "--stdio", ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", NO_COLOR: "1" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("MCP Inspector (CLI mode) against the built server over stdio", () => {
  it("lists the registered tools", async () => {
    assertBuilt();
    const r = await inspector(["--method", "tools/list"]);
    expect(r.code, r.stderr).toBe(0);
    const { tools } = JSON.parse(r.stdout) as { tools: { name: string; annotations: Record<string, boolean> }[] };
    expect(tools.map((t) => t.name)).toContain("html_to_md");
    expect(tools.every((t) => typeof t.annotations.readOnlyHint === "boolean")).toBe(true);
  });

  it("finds no schema errors in strict mode", async () => {
    const r = await inspector(["--strict", "--method", "tools/list"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\b0 errors\b/);
  });

  it("lists the resources", async () => {
    const resources = await inspector(["--method", "resources/list"]);
    expect(resources.code, resources.stderr).toBe(0);
    const listed = JSON.parse(resources.stdout) as { resources: { uri: string }[] };
    expect(listed.resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(["specgate://schema/design-rule-spec", "specgate://rulesets/specgate"]),
    );
  });

  it("lists the resource templates", async () => {
    const templates = await inspector(["--method", "resources/templates/list"]);
    expect(templates.code, templates.stderr).toBe(0);
    expect(
      (JSON.parse(templates.stdout) as { resourceTemplates: { uriTemplate: string }[] }).resourceTemplates.map(
        (t) => t.uriTemplate,
      ),
    ).toEqual(["specgate://rulesets/{name}", "specgate://lint-codes/{code}"]);
  });

  it("lists the prompts", async () => {
    const prompts = await inspector(["--method", "prompts/list"]);
    expect(prompts.code, prompts.stderr).toBe(0);
    expect((JSON.parse(prompts.stdout) as { prompts: { name: string }[] }).prompts.map((p) => p.name)).toEqual([
      "review_design_doc",
      "extract_and_enforce",
      "write_check_for_rule",
      "review_diff",
    ]);
  });

  it("reads a resource", async () => {
    const read = await inspector(["--method", "resources/read", "--uri", "specgate://rulesets/specgate-en"]);
    expect(read.code, read.stderr).toBe(0);
    const { contents } = JSON.parse(read.stdout) as { contents: { text: string; mimeType: string }[] };
    expect(contents[0]).toMatchObject({ mimeType: "application/yaml", text: expect.stringMatching(/^# SpecGate/) });
  });

  it("gets a prompt", async () => {
    const prompt = await inspector([
      "--method",
      "prompts/get",
      "--prompt-name",
      "review_design_doc",
      "--prompt-args",
      "content=# Doc",
    ]);
    expect(prompt.code, prompt.stderr).toBe(0);
    const { messages } = JSON.parse(prompt.stdout) as { messages: { content: { text: string } }[] };
    expect(messages[0]!.content.text).toMatch(/Call `speclint_lint` with/);
  });

  it("calls a tool", async () => {
    const r = await inspector([
      "--method",
      "tools/call",
      "--tool-name",
      "html_to_md",
      "--tool-arg",
      "html=<h2>Inspector</h2>",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { structuredContent: { markdown: string } };
    expect(result.structuredContent.markdown).toBe("## Inspector\n");
  });
});
