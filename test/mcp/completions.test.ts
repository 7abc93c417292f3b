/**
 * completion/complete over MCP (real SDK client, linked in memory): prompt arguments and resource
 * template variables, at most 100 values with the right total and hasMore.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfluenceClient } from "../../src/core/confluence/client.js";
import { LINT_CODES } from "../../src/core/lint/codes.js";
import { clientFor } from "../helpers/confluence.js";
import { FakeConfluence, syntheticPage } from "../helpers/fake-confluence.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
let dir: string | undefined;
let fake: FakeConfluence | undefined;
let client: ConfluenceClient | undefined;
afterEach(async () => {
  await h?.close();
  await client?.close();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  h = undefined;
  dir = undefined;
  fake = undefined;
  client = undefined;
});

const prompt = (name: string, argument: string, value: string, context?: Record<string, string>) =>
  h!.client.complete({
    ref: { type: "ref/prompt", name },
    argument: { name: argument, value },
    ...(context ? { context: { arguments: context } } : {}),
  });
const template = (uri: string, argument: string, value: string, context?: Record<string, string>) =>
  h!.client.complete({
    ref: { type: "ref/resource", uri },
    argument: { name: argument, value },
    ...(context ? { context: { arguments: context } } : {}),
  });

describe("completions over MCP", () => {
  it("completes ruleset names, lint codes, languages, check types and targets", async () => {
    h = await connectInMemory();
    expect((await template("specgate://rulesets/{name}", "name", "")).completion).toEqual({
      values: ["specgate", "specgate-en"],
      total: 2,
      hasMore: false,
    });
    expect((await prompt("review_design_doc", "ruleset", "specgate-")).completion.values).toEqual(["specgate-en"]);
    const codes = (await template("specgate://lint-codes/{code}", "code", "RULE_")).completion;
    expect(codes.values).toEqual(LINT_CODES.filter((c) => c.startsWith("rule_")));
    expect(codes.total).toBe(codes.values.length);
    expect((await prompt("write_check_for_rule", "language", "ty")).completion.values).toEqual(["typescript"]);
    expect((await prompt("review_design_doc", "check_type", "")).completion.values).toEqual([
      "full",
      "basic",
      "structure",
    ]);
    expect((await prompt("extract_and_enforce", "targets", "mdc,a")).completion.values).toEqual([
      "mdc,astgrep",
      "mdc,archunit",
    ]);
    expect((await prompt("extract_and_enforce", "write", "t")).completion.values).toEqual(["true"]);
    // Free text has nothing to offer.
    expect((await prompt("review_diff", "diff", "")).completion).toEqual({ values: [], total: 0, hasMore: false });
  });

  it("completes rule ids from the workspace rules, at most 100 with total and hasMore", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-complete-"));
    await mkdir(path.join(dir, ".specgate"));
    const ids = Array.from({ length: 150 }, (_, i) => `RULE-API-${String(i + 1).padStart(3, "0")}`);
    const rules = [
      ...ids.map((rule_id) => ({ rule_id, priority: "MUST" })),
      { rule_id: "RULE-SEC-001", priority: "MUST" },
    ];
    await writeFile(path.join(dir, ".specgate/rules.json"), JSON.stringify({ rules }));
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
    const all = (await prompt("write_check_for_rule", "rule_id", "rule-api")).completion;
    expect(all.values).toEqual(ids.slice(0, 100));
    expect(all.total).toBe(150);
    expect(all.hasMore).toBe(true);
    expect((await prompt("write_check_for_rule", "rule_id", "RULE-API-14")).completion).toEqual({
      values: [
        "RULE-API-140",
        "RULE-API-141",
        "RULE-API-142",
        "RULE-API-143",
        "RULE-API-144",
        "RULE-API-145",
        "RULE-API-146",
        "RULE-API-147",
        "RULE-API-148",
        "RULE-API-149",
      ],
      total: 10,
      hasMore: false,
    });
    expect((await prompt("write_check_for_rule", "rule_id", "RULE-SEC")).completion.values).toEqual(["RULE-SEC-001"]);
  });

  it("completes page ids (by id or title) and space keys of the pages this server has served", async () => {
    fake = await FakeConfluence.start({
      pages: [
        syntheticPage("4101", { spaceKey: "PAY", title: "Payments API" }),
        syntheticPage("4102", { spaceKey: "PAY", title: "Refunds" }),
        syntheticPage("5201", { spaceKey: "OPS", title: "Runbook payments" }),
      ],
    });
    ({ client } = clientFor(fake));
    h = await connectInMemory({ env: fake.env(), runtime: { services: { confluence: client } } });
    const uri = "confluence://{space_key}/{page_id}";
    expect((await template(uri, "page_id", "")).completion.values).toEqual([]);
    await h.client.callTool({ name: "confluence_fetch", arguments: { page_ids: ["4101", "4102"] } });
    await h.client.readResource({ uri: "confluence://OPS/5201" });
    expect((await template(uri, "page_id", "41")).completion.values).toEqual(["4102", "4101"]);
    expect((await template(uri, "page_id", "payments")).completion.values).toEqual(["5201", "4101"]);
    expect((await template(uri, "page_id", "", { space_key: "pay" })).completion.values).toEqual(["4102", "4101"]);
    expect((await template(uri, "space_key", "")).completion.values).toEqual(["OPS", "PAY"]);
    expect((await prompt("review_design_doc", "page_id", "52")).completion.values).toEqual(["5201"]);
  });

  it("answers −32602 for an unknown prompt, argument, template or variable; −32002 for an unknown resource", async () => {
    h = await connectInMemory();
    await expect(prompt("summarize", "x", "")).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/there is no prompt "summarize"; prompts: review_design_doc/),
    });
    await expect(prompt("review_diff", "rules", "")).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/prompt review_diff has no argument "rules"; its arguments: diff, content/),
    });
    await expect(template("specgate://rulesets/{name}", "ruleset", "")).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(
        /template specgate:\/\/rulesets\/\{name\} has no variable "ruleset"; its variables: name/,
      ),
    });
    await expect(template("specgate://elsewhere/{x}", "x", "")).rejects.toMatchObject({ code: -32002 });
    // Confluence is not configured here, so its template is not one of ours.
    await expect(template("confluence://{space_key}/{page_id}", "page_id", "")).rejects.toMatchObject({
      code: -32002,
    });
    // A fixed resource has nothing to complete.
    expect((await template("specgate://workspace/rules", "x", "")).completion.values).toEqual([]);
  });
});
