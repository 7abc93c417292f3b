/**
 * A symbolic link in the workspace must not tell a caller what exists outside it. Through a link
 * to a directory outside (and through dangling and live links to files outside), naming a file
 * that exists and one that does not must get the same answer — for `speclint_lint`'s ruleset and
 * `rule_check`'s `paths` and `diff` — while a file missing inside the workspace is still reported
 * as missing.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness;
let top: string;

beforeAll(async () => {
  top = await mkdtemp(path.join(tmpdir(), "specgate-oracle-"));
  const outside = path.join(top, "outside");
  const workspace = path.join(top, "workspace");
  await mkdir(path.join(outside, "deep"), { recursive: true });
  await mkdir(workspace);
  await writeFile(path.join(outside, "exists.yaml"), "extends: specgate\n");
  await writeFile(path.join(outside, "deep", "exists.yaml"), "extends: specgate\n");
  await writeFile(path.join(outside, "exists.ts"), "console.log(1);\n");
  await symlink(outside, path.join(workspace, "link"));
  await symlink(path.join(outside, "exists.yaml"), path.join(workspace, "live.yaml"));
  await symlink(path.join(outside, "missing.yaml"), path.join(workspace, "dangling.yaml"));
  await symlink(path.join(outside, "exists.ts"), path.join(workspace, "live.ts"));
  await symlink(path.join(outside, "missing.ts"), path.join(workspace, "dangling.ts"));
  // A dangling link to a directory that does not exist (yet) outside.
  await symlink(path.join(outside, "nowhere"), path.join(workspace, "void"));
  h = await connectInMemory({ env: { SPECGATE_WORKSPACE: workspace } });
});
afterAll(async () => {
  await h.close();
  await rm(top, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await h.client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The answer with the name the caller used taken out, so answers for two names compare. */
function answer(r: CallToolResult, name: string): string {
  const body = r.isError ? (r.content[0] as { text: string }).text : JSON.stringify(r.structuredContent);
  return `${r.isError ? "error" : "ok"} ${body.split(name).join("<name>")}`;
}

const lint = (ruleset: string) => call("speclint_lint", { content: "# P API 설계서\n\n## 설계 규칙\n", ruleset });

describe("a link in the workspace is no existence oracle", () => {
  it("speclint_lint: a ruleset outside through a link is forbidden whether or not it exists", async () => {
    const pairs: [string, string][] = [
      ["link/exists.yaml", "link/missing.yaml"],
      ["link/deep/exists.yaml", "link/nodir/missing.yaml"],
      ["live.yaml", "dangling.yaml"],
      ["link/exists.yaml", "void/missing.yaml"],
    ];
    for (const [present, absent] of pairs) {
      const a = await lint(present);
      const b = await lint(absent);
      expect(a.isError, present).toBe(true);
      expect(answer(a, present)).toMatch(/^error E_FORBIDDEN: /);
      expect(answer(b, absent), `${present} vs ${absent}`).toBe(answer(a, present));
    }
  });

  it("speclint_lint: a ruleset missing inside the workspace is still E_NOT_FOUND", async () => {
    const r = await lint("rules/missing.yaml");
    expect(r.isError).toBe(true);
    expect((r.content[0] as { text: string }).text).toMatch(/^E_NOT_FOUND: /);
  });

  const RULES = [
    {
      rule_id: "RULE-DEV-001",
      priority: "MUST NOT",
      scope: { file_patterns: ["**/*.ts"] },
      validation_conditions: { structural_patterns: ["console.log($$$A)"] },
    },
  ];

  it("rule_check paths: outside through a link is refused the same whether or not the file exists", async () => {
    const pairs: [string, string][] = [
      ["link/exists.ts", "link/missing.ts"],
      ["live.ts", "dangling.ts"],
      ["link/exists.ts", "void/missing.ts"],
    ];
    for (const [present, absent] of pairs) {
      const a = await call("rule_check", { rules: RULES, paths: [present] });
      const b = await call("rule_check", { rules: RULES, paths: [absent] });
      expect(a.isError, present).toBe(true);
      expect(answer(a, present)).toMatch(/leads outside the workspace/);
      expect(answer(b, absent), `${present} vs ${absent}`).toBe(answer(a, present));
    }
  });

  it("rule_check diff: files outside through a link are skipped the same whether or not they exist", async () => {
    const diff = (file: string) => `--- a/${file}\n+++ b/${file}\n@@ -0,0 +1 @@\n+console.log(1);\n`;
    const pairs: [string, string][] = [
      ["link/exists.ts", "link/missing.ts"],
      ["live.ts", "dangling.ts"],
    ];
    for (const [present, absent] of pairs) {
      const a = await call("rule_check", { rules: RULES, diff: diff(present) });
      const b = await call("rule_check", { rules: RULES, diff: diff(absent) });
      expect(answer(a, present)).toMatch(/a link that leads outside the workspace/);
      expect(answer(b, absent).replace(/"duration_ms":[\d.]+/g, ""), `${present} vs ${absent}`).toBe(
        answer(a, present).replace(/"duration_ms":[\d.]+/g, ""),
      );
    }
  });
});
