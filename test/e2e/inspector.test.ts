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
    const child = spawn(INSPECTOR, ["--cli", "--connect-timeout", String(patient(15_000)), process.execPath, CLI, "serve", "--stdio", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", NO_COLOR: "1" },
    });
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

  it("calls a tool", async () => {
    const r = await inspector(["--method", "tools/call", "--tool-name", "html_to_md", "--tool-arg", "html=<h2>Inspector</h2>"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { structuredContent: { markdown: string } };
    expect(result.structuredContent.markdown).toBe("## Inspector\n");
  });
});
