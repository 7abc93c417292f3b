import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { fixtureJson } from "../unit/generate/helpers.js";

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

type Out = { files: { path: string; content: string; target: string; rule_ids: string[] }[]; skipped: { rule_id?: string; target: string; reason: string; path?: string }[]; written: string[]; unchanged: string[] };
const rules = () => (fixtureJson("standards-performance") as { rules: unknown[] }).rules;

describe("spec_generate over MCP (in-process SDK client)", () => {
  it("is listed with schemas and honest annotations: writes possible, so not read-only", async () => {
    h = await connectInMemory();
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === "spec_generate")!;
    expect(tool.inputSchema.required).toEqual(["rules"]);
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(["rules", "targets", "project", "source", "archunit", "workflow", "write"]);
    expect(tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false });
    expect(tool.description).toMatch(/only if SpecGate generated it/);
  });

  it("returns the files for the requested targets without writing (dry run)", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-mcp-"));
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
    const result = await h.client.callTool({ name: "spec_generate", arguments: { rules: rules(), targets: ["mdc", "semgrep"] } });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as Out;
    expect(out.files.map((f) => f.path)).toEqual([".cursor/rules/specgate-overview.mdc", ".cursor/rules/specgate-perf.mdc", ".specgate/semgrep/specgate-rules.yml"]);
    expect(out.files[2]!.rule_ids).toEqual(["RULE-PERF-002", "RULE-PERF-006", "RULE-PERF-007"]);
    expect(out.skipped.filter((s) => s.target === "semgrep").map((s) => s.rule_id)).toEqual(["RULE-PERF-001", "RULE-PERF-003", "RULE-PERF-004", "RULE-PERF-005"]);
    expect(out.written).toEqual([]);
    expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual(out);
  });

  it("writes under SPECGATE_WORKSPACE with write: true and never overwrites a file it did not generate", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-mcp-"));
    await mkdir(path.join(dir, ".github/workflows"), { recursive: true });
    await writeFile(path.join(dir, ".github/workflows/design-guard.yml"), "name: mine\n");
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
    const result = await h.client.callTool({ name: "spec_generate", arguments: { rules: rules(), write: true, project: "SpecGate" } });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as Out;
    expect(out.written).toContain(".cursor/rules/specgate-perf.mdc");
    expect(out.written).not.toContain(".github/workflows/design-guard.yml");
    expect(out.skipped).toContainEqual(expect.objectContaining({ path: ".github/workflows/design-guard.yml", target: "workflow" }));
    expect(await readFile(path.join(dir, ".github/workflows/design-guard.yml"), "utf8")).toBe("name: mine\n");
    const mdc = out.files.find((f) => f.path === ".cursor/rules/specgate-perf.mdc")!;
    expect(await readFile(path.join(dir, mdc.path), "utf8")).toBe(mdc.content);
  });

  it("answers unreadable rules and bad options with E_INVALID_INPUT, then keeps serving", async () => {
    h = await connectInMemory();
    const bad = await h.client.callTool({ name: "spec_generate", arguments: { rules: [{ rule_id: "RULE-API-001", priority: "PERHAPS" }] } });
    expect(bad.isError).toBe(true);
    expect((bad.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT: .*rules\[0\]\.priority/);
    const target = await h.client.callTool({ name: "spec_generate", arguments: { rules: rules(), targets: ["eslint"] } });
    expect((target.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT/);
    const branch = await h.client.callTool({ name: "spec_generate", arguments: { rules: rules(), workflow: { branches: ["main\nrun: x"] } } });
    expect((branch.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT: Workflow options/);
    const good = await h.client.callTool({ name: "spec_generate", arguments: { rules: [{ rule_id: "RULE-API-001", priority: "must" }], targets: ["mdc"] } });
    expect(good.isError).toBeFalsy();
  });
});
