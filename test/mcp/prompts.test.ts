/**
 * Prompts over MCP (real SDK client, linked in memory): what each tells the model to call, with
 * which arguments, and −32602 for what is missing or wrong.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { FakeConfluence, corpusPages } from "../helpers/fake-confluence.js";

let h: Harness | undefined;
let dir: string | undefined;
let fake: FakeConfluence | undefined;
afterEach(async () => {
  await h?.close();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  h = undefined;
  dir = undefined;
  fake = undefined;
});

const RULES = {
  rules: [
    {
      rule_id: "RULE-API-001",
      priority: "MUST",
      description: "Controllers must not log request bodies.",
      validation_conditions: { languages: ["java"] },
    },
    { rule_id: "RULE-SEC-002", priority: "SHOULD", description: "Secrets come from the vault." },
  ],
};
const DIFF =
  "diff --git a/A.java b/A.java\n--- a/A.java\n+++ b/A.java\n@@ -1 +1,2 @@\n class A {\n+  void f() { log.info(req.getBody()); }\n";

async function withRules(): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), "specgate-prompts-"));
  await mkdir(path.join(dir, ".specgate"));
  await writeFile(path.join(dir, ".specgate/rules.json"), JSON.stringify(RULES, null, 2));
  return dir;
}

type Text = { type: "text"; text: string };
const firstText = (r: { messages: { content: unknown }[] }) => (r.messages[0]!.content as Text).text;

async function invalid(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { code: number; message: string },
  );
  expect(error).toBeDefined();
  expect(error!.code).toBe(-32602);
  return error!;
}

describe("prompts over MCP", () => {
  it("lists the four prompts with their arguments", async () => {
    h = await connectInMemory();
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => [p.name, p.arguments?.map((a) => `${a.name}${a.required ? "!" : ""}`)])).toEqual([
      ["review_design_doc", ["page_id", "content", "ruleset", "check_type"]],
      ["extract_and_enforce", ["page_id", "content", "targets", "write"]],
      ["write_check_for_rule", ["rule_id!", "language", "rule"]],
      ["review_diff", ["diff!", "content"]],
    ]);
  });

  it("review_design_doc: lints the given document with the ruleset asked for, then explains and fixes", async () => {
    h = await connectInMemory();
    const r = await h.client.getPrompt({
      name: "review_design_doc",
      arguments: { content: "# Pay API Design Document\n\n```json\n{}\n```\n", ruleset: "specgate-en" },
    });
    const text = firstText(r);
    expect(r.messages[0]!.role).toBe("user");
    expect(text).toContain(
      'Call `speclint_lint` with {"content": <the document below>, "ruleset": "specgate-en", "check_type": "full"}',
    );
    expect(text).toContain("specgate://lint-codes/<code>");
    expect(text).not.toContain("confluence_fetch");
    // The document is fenced with more backticks than it holds.
    expect(text).toContain("````\n# Pay API Design Document\n\n```json\n{}\n```\n````");
  });

  it("review_design_doc with page_id: fetches it first when Confluence is configured, −32602 when it is not", async () => {
    h = await connectInMemory();
    const refused = await invalid(
      h.client.getPrompt({ name: "review_design_doc", arguments: { page_id: "1844969501" } }),
    );
    expect(refused.message).toMatch(/Confluence is not configured on this server; give the document as content/);
    await h.close();
    fake = await FakeConfluence.start({ pages: corpusPages() });
    h = await connectInMemory({ env: fake.env() });
    const text = firstText(
      await h.client.getPrompt({ name: "review_design_doc", arguments: { page_id: "1844969501" } }),
    );
    expect(text.indexOf('Call `confluence_fetch` with {"page_id":"1844969501"}')).toBeGreaterThan(0);
    expect(text.indexOf("Call `speclint_lint`")).toBeGreaterThan(text.indexOf("confluence_fetch"));
  });

  it("extract_and_enforce: rule_extract, then spec_write (write: true) with the targets asked for", async () => {
    h = await connectInMemory();
    const text = firstText(
      await h.client.getPrompt({
        name: "extract_and_enforce",
        arguments: { content: "# Doc", targets: "astgrep, mdc", write: "true" },
      }),
    );
    expect(text).toContain('Call `rule_extract` with {"content": <the document below>}');
    expect(text).toContain('Call `spec_write` with {"rules": <the rules from step 2>, "targets": ["astgrep","mdc"]}');
    expect(text).toContain("specgate://workspace/rules");
    expect(text).toMatch(/executable check \(yes\/no\)/);
    const preview = firstText(
      await h.client.getPrompt({ name: "extract_and_enforce", arguments: { content: "# Doc" } }),
    );
    expect(preview).toContain('Call `spec_generate` with {"rules": <the rules from step 2>}. ');
    expect(preview).toContain("It writes nothing");
    const bad = await invalid(
      h.client.getPrompt({ name: "extract_and_enforce", arguments: { content: "# Doc", targets: "eslint" } }),
    );
    expect(bad.message).toMatch(/targets of prompt extract_and_enforce must be a comma-separated list of mdc, semgrep/);
  });

  it("write_check_for_rule: embeds the workspace rule and runs the candidate loop of rule_check", async () => {
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: await withRules() } });
    const text = firstText(
      await h.client.getPrompt({
        name: "write_check_for_rule",
        arguments: { rule_id: "rule-api-001", language: "java" },
      }),
    );
    expect(text).toContain("design rule RULE-API-001");
    expect(text).toContain('"description": "Controllers must not log request bodies."');
    expect(text).toContain(
      'Call `rule_check` with {"candidate": {"rule_id": "RULE-API-001", "pattern": <pattern>, "language": <language>, "examples": {"violating": [...], "compliant": [...]}}}',
    );
    expect(text).toContain("Write the pattern in java.");
    expect(text).toMatch(/hand_off\.validation_conditions/);
    const unknown = await invalid(
      h.client.getPrompt({ name: "write_check_for_rule", arguments: { rule_id: "RULE-X-009" } }),
    );
    expect(unknown.message).toMatch(
      /rule RULE-X-009 is not in the workspace rules \(\.specgate\/rules\.json\); give the rule as `rule`/,
    );
    const given = firstText(
      await h.client.getPrompt({
        name: "write_check_for_rule",
        arguments: { rule_id: "RULE-X-009", rule: "Never call System.exit." },
      }),
    );
    expect(given).toContain("Never call System.exit.");
    const language = await invalid(
      h.client.getPrompt({ name: "write_check_for_rule", arguments: { rule_id: "RULE-API-001", language: "cobol" } }),
    );
    expect(language.message).toMatch(/language "cobol" .* is not an ast-grep language/);
  });

  it("review_diff: rule_check on the diff with the workspace rules attached as a resource", async () => {
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: await withRules() } });
    const r = await h.client.getPrompt({ name: "review_diff", arguments: { diff: DIFF } });
    const text = firstText(r);
    expect(text).toContain(
      'Call `rule_check` with {"rules": <the rules of specgate://workspace/rules, attached>, "diff": <the diff below>}',
    );
    expect(text).toContain("```diff\n" + DIFF + "```");
    expect(r.messages[1]!.content).toMatchObject({
      type: "resource",
      resource: { uri: "specgate://workspace/rules", mimeType: "application/json" },
    });
    const attached = (r.messages[1]!.content as { resource: { text: string } }).resource.text;
    expect(JSON.parse(attached)).toEqual(RULES);
  });

  it("review_diff without workspace rules: takes a document, or says how to get rules", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-prompts-"));
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
    const missing = await invalid(h.client.getPrompt({ name: "review_diff", arguments: { diff: DIFF } }));
    expect(missing.message).toMatch(
      /the workspace has no \.specgate\/rules\.json: give the design document as content/,
    );
    const r = await h.client.getPrompt({ name: "review_diff", arguments: { diff: DIFF, content: "# Design" } });
    expect(r.messages).toHaveLength(1);
    expect(firstText(r)).toContain('{"content": <the design document below>, "diff": <the diff below>}');
    const notDiff = await invalid(h.client.getPrompt({ name: "review_diff", arguments: { diff: "just words" } }));
    expect(notDiff.message).toMatch(/must be a unified diff/);
  });

  it("answers −32602 naming what to send for a missing, unknown or oversized argument or an unknown prompt", async () => {
    h = await connectInMemory();
    const missing = await invalid(h.client.getPrompt({ name: "review_diff", arguments: {} }));
    expect(missing.message).toBe(
      "MCP error -32602: E_INVALID_INPUT: prompt review_diff needs diff (A unified diff (git diff)).",
    );
    const blank = await invalid(h.client.getPrompt({ name: "write_check_for_rule", arguments: { rule_id: "  " } }));
    expect(blank.message).toMatch(/prompt write_check_for_rule needs rule_id/);
    const neither = await invalid(h.client.getPrompt({ name: "review_design_doc" }));
    expect(neither.message).toMatch(/needs exactly one of page_id .* or content/);
    const both = await invalid(
      h.client.getPrompt({ name: "review_design_doc", arguments: { page_id: "1", content: "x" } }),
    );
    expect(both.message).toMatch(/needs exactly one of page_id/);
    const extra = await invalid(h.client.getPrompt({ name: "review_diff", arguments: { diff: DIFF, rules: "x" } }));
    expect(extra.message).toMatch(/prompt review_diff has no argument "rules"; its arguments: diff, content\./);
    const long = await invalid(
      h.client.getPrompt({ name: "review_design_doc", arguments: { content: "x", ruleset: "r".repeat(2000) } }),
    );
    expect(long.message).toMatch(
      /^MCP error -32602: E_TOO_LARGE: argument ruleset of prompt review_design_doc has 2000 characters/,
    );
    const unknown = await invalid(h.client.getPrompt({ name: "summarize" }));
    expect(unknown.message).toMatch(
      /there is no prompt "summarize"; prompts: review_design_doc, extract_and_enforce, write_check_for_rule, review_diff\./,
    );
    const checkType = await invalid(
      h.client.getPrompt({ name: "review_design_doc", arguments: { content: "x", check_type: "deep" } }),
    );
    expect(checkType.message).toMatch(/check_type .* must be one of full, basic, structure/);
    expect((await h.client.listPrompts()).prompts).toHaveLength(4);
  });
});
