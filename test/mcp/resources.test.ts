/**
 * Resources over MCP, with the real SDK client linked in memory: the fixed resources read as the
 * files the project publishes, the workspace rules with their subscription, Confluence pages
 * through confluence_fetch's pipeline, and the errors for URIs that name nothing.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type ResourceLink,
} from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ConfluenceClient } from "../../src/core/confluence/client.js";
import { LINT_CODES } from "../../src/core/lint/codes.js";
import { clientFor } from "../helpers/confluence.js";
import { FakeConfluence, corpusPages, syntheticPage } from "../helpers/fake-confluence.js";
import { ROOT } from "../helpers/spawn.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { fixtureJson } from "../unit/generate/helpers.js";

let h: Harness | undefined;
let fake: FakeConfluence | undefined;
let client: ConfluenceClient | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.close();
  await client?.close();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  h = undefined;
  client = undefined;
  fake = undefined;
  dir = undefined;
});

const rules = () => (fixtureJson("standards-performance") as { rules: unknown[] }).rules;
const textOf = (r: { contents: unknown[] }) => (r.contents[0] as { text: string }).text;
const links = (r: Record<string, unknown>) =>
  (r.content as { type: string }[]).filter((c): c is ResourceLink => c.type === "resource_link");

async function workspace(): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), "specgate-resources-"));
  return dir;
}

async function withConfluence(pages = corpusPages(), env: Record<string, string> = {}) {
  fake = await FakeConfluence.start({ flavour: "cloud", pages });
  ({ client } = clientFor(fake));
  h = await connectInMemory({ env: { ...fake.env(), ...env }, runtime: { services: { confluence: client } } });
  return h;
}

describe("resources over MCP", () => {
  it("advertises resources (subscribe, listChanged), prompts and completions", async () => {
    h = await connectInMemory();
    expect(h.client.getServerCapabilities()).toMatchObject({
      tools: { listChanged: false },
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: false },
      completions: {},
    });
  });

  it("lists the schemas, the bundled rulesets and a page per lint code, and reads them as the published files", async () => {
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: await workspace() } });
    const { resources } = await h.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual([
      "specgate://schema/design-rule-spec",
      "specgate://schema/rule-extract-result",
      "specgate://rulesets/specgate",
      "specgate://rulesets/specgate-en",
      ...LINT_CODES.map((c) => `specgate://lint-codes/${c}`),
    ]);
    const schema = await h.client.readResource({ uri: "specgate://schema/design-rule-spec" });
    expect(schema.contents[0]).toMatchObject({
      uri: "specgate://schema/design-rule-spec",
      mimeType: "application/schema+json",
    });
    expect(textOf(schema)).toBe(await readFile(path.join(ROOT, "schemas/design-rule-spec.schema.json"), "utf8"));
    const ruleset = await h.client.readResource({ uri: "specgate://rulesets/specgate-en" });
    expect(textOf(ruleset)).toBe(await readFile(path.join(ROOT, "rulesets/specgate-en.yaml"), "utf8"));
    // The pages are rendered from the lint rule modules, so they are the same as docs/rules/ (which
    // the npm package does not ship).
    for (const code of LINT_CODES) {
      const page = await h.client.readResource({ uri: `specgate://lint-codes/${code}` });
      expect(page.contents[0]!.mimeType).toBe("text/markdown");
      expect(textOf(page), code).toBe(await readFile(path.join(ROOT, `docs/rules/${code}.md`), "utf8"));
    }
  });

  it("lists the ruleset and lint-code templates, and the Confluence one only when Confluence is configured", async () => {
    h = await connectInMemory();
    const without = await h.client.listResourceTemplates();
    expect(without.resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      "specgate://rulesets/{name}",
      "specgate://lint-codes/{code}",
    ]);
    await h.close();
    await withConfluence();
    const withIt = await h!.client.listResourceTemplates();
    expect(withIt.resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      "specgate://rulesets/{name}",
      "specgate://lint-codes/{code}",
      "confluence://{space_key}/{page_id}",
    ]);
  });

  it("offers no Confluence pages when the confluence toolset is not served, even with Confluence configured", async () => {
    await withConfluence(corpusPages(), { SPECGATE_TOOLSETS: "lint,rules" });
    expect((await h!.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).not.toContain(
      "confluence://{space_key}/{page_id}",
    );
    await expect(h!.client.readResource({ uri: "confluence://QM/1844969501" })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringMatching(/or its toolset is not served/),
    });
    expect(fake!.requests).toBe(0);
  });

  it("answers −32002 naming what exists for a URI that names nothing, reads no file outside, and keeps serving", async () => {
    h = await connectInMemory();
    const cases: [string, RegExp][] = [
      ["specgate://rulesets/nope", /No bundled ruleset "nope"; bundled: specgate, specgate-en\./],
      ["specgate://rulesets/../../package.json", /No bundled ruleset "\.\.\/\.\.\/package\.json"/],
      ["specgate://rulesets/..%2F..%2Fpackage", /No bundled ruleset/],
      ["specgate://lint-codes/../../../etc/passwd", /No lint code ".*"; codes: parsing_error, /],
      ["specgate://lint-codes/SCOPE_MISSING", /No lint code "SCOPE_MISSING"/],
      ["specgate://schema/package", /No schema "package"; schemas: design-rule-spec, rule-extract-result\./],
      ["specgate://workspace/other", /No resource "specgate:\/\/workspace\/other"/],
      ["file:///etc/passwd", /No resource "file:\/\/\/etc\/passwd"/],
      [`specgate://rulesets/${"a".repeat(5000)}`, /No resource has a URI of 5020 characters/],
      ["confluence://QM/1844969501", /Confluence is not configured on this server/],
    ];
    for (const [uri, message] of cases) {
      const error = await h.client.readResource({ uri }).then(
        () => undefined,
        (e: unknown) => e as { code: number; message: string; data?: { code: string } },
      );
      expect(error, uri).toBeDefined();
      expect(error!.code, uri).toBe(-32002);
      expect(error!.message, uri).toMatch(/^MCP error -32002: E_NOT_FOUND: /);
      expect(error!.message, uri).toMatch(message);
      expect(error!.data?.code).toBe("E_NOT_FOUND");
    }
    const unknown = await h.client.readResource({ uri: "specgate://nothing/here" }).catch((e: Error) => e);
    expect((unknown as Error).message).toMatch(
      /specgate:\/\/rulesets\/\{name\}, specgate:\/\/lint-codes\/\{code\}, specgate:\/\/workspace\/rules; resources\/list/,
    );
    await expect(h.client.subscribeResource({ uri: "specgate://nothing/here" })).rejects.toMatchObject({
      code: -32002,
    });
    expect((await h.client.readResource({ uri: "specgate://rulesets/specgate" })).contents).toHaveLength(1);
  });

  it("serves the workspace rules once spec_write writes them, links them from the result, and tells subscribers", async () => {
    const root = await workspace();
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: root } });
    expect((await h.client.listResources()).resources.map((r) => r.uri)).not.toContain("specgate://workspace/rules");
    await expect(h.client.readResource({ uri: "specgate://workspace/rules" })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringMatching(/no \.specgate\/rules\.json in the workspace .*spec_write/),
    });
    const updated = new Promise<string>((resolve) =>
      h!.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => resolve(n.params.uri)),
    );
    const listChanged = new Promise<void>((resolve) =>
      h!.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => resolve()),
    );
    await h.client.subscribeResource({ uri: "specgate://workspace/rules" });

    const result = await h.client.callTool({
      name: "spec_write",
      arguments: { rules: rules(), targets: ["workflow"] },
    });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { written: string[] }).written).toContain(".specgate/rules.json");
    expect(await updated).toBe("specgate://workspace/rules");
    await listChanged;
    // The text stays first; the link is added after it.
    expect((result.content as { type: string }[])[0]!.type).toBe("text");
    expect(links(result)).toEqual([
      expect.objectContaining({ uri: "specgate://workspace/rules", mimeType: "application/json" }),
    ]);

    const { resources } = await h.client.listResources();
    expect(resources.find((r) => r.uri === "specgate://workspace/rules")).toMatchObject({
      mimeType: "application/json",
    });
    const read = await h.client.readResource({ uri: "specgate://workspace/rules" });
    expect(textOf(read)).toBe(await readFile(path.join(root, ".specgate/rules.json"), "utf8"));
    const ids = (JSON.parse(textOf(read)) as { rules: { rule_id: string }[] }).rules.map((r) => r.rule_id);
    expect(ids).toContain("RULE-PERF-001");
    await h.client.unsubscribeResource({ uri: "specgate://workspace/rules" });
  });

  it("sends nothing to a session that unsubscribed", async () => {
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: await workspace() } });
    const received: string[] = [];
    h.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      received.push(`updated ${n.params.uri}`);
    });
    // Listed without the rules file, so list_changed follows any update for the same write: the
    // server sends both in one pass, updates first, over one ordered connection.
    const listChanged = new Promise<void>((resolve) =>
      h!.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
        received.push("list_changed");
        resolve();
      }),
    );
    await h.client.listResources();
    await h.client.subscribeResource({ uri: "specgate://workspace/rules" });
    await h.client.unsubscribeResource({ uri: "specgate://workspace/rules" });
    await h.client.callTool({
      name: "spec_write",
      arguments: { rules: rules(), targets: ["workflow"] },
    });
    await listChanged;
    expect(received).toEqual(["list_changed"]);
  });

  it("treats a rules file that leads out of the workspace through a symbolic link as absent", async () => {
    const root = await workspace();
    const outside = path.join(root, "outside.json");
    const inner = path.join(root, "ws");
    await mkdir(path.join(inner, ".specgate"), { recursive: true });
    await writeFile(outside, '{"rules": [{"rule_id": "RULE-SEC-001", "priority": "MUST"}]}');
    await symlink(outside, path.join(inner, ".specgate/rules.json"));
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: inner } });
    expect((await h.client.listResources()).resources.map((r) => r.uri)).not.toContain("specgate://workspace/rules");
    await expect(h.client.readResource({ uri: "specgate://workspace/rules" })).rejects.toMatchObject({
      code: -32002,
    });
  });
});

describe("Confluence pages as resources", () => {
  it("reads confluence://{space_key}/{page_id} as confluence_fetch's Markdown, through its cache", async () => {
    await withConfluence();
    const tool = await h!.client.callTool({ name: "confluence_fetch", arguments: { page_id: "1844969501" } });
    const markdown = (tool.structuredContent as { documents: { markdown: string }[] }).documents[0]!.markdown;
    expect(links(tool)).toEqual([
      {
        type: "resource_link",
        uri: "confluence://QM/1844969501",
        name: "confluence-page-1844969501",
        title: "지원",
        mimeType: "text/markdown",
      },
    ]);
    const requests = fake!.requests;
    const read = await h!.client.readResource({ uri: "confluence://QM/1844969501" });
    expect(read.contents[0]).toMatchObject({ uri: "confluence://QM/1844969501", mimeType: "text/markdown" });
    expect(textOf(read)).toBe(markdown);
    expect(read.contents[0]!._meta?.["specgate/page"]).toMatchObject({ id: "1844969501", title: "지원", version: 3 });
    // Fresh in the cache: the same pipeline, so no request to Confluence.
    expect(fake!.requests).toBe(requests);
  });

  it("answers −32002 for a missing page or the wrong space, naming the right URI, and keeps serving", async () => {
    await withConfluence([syntheticPage("4242", { spaceKey: "PAY", title: "Payments API" })]);
    await expect(h!.client.readResource({ uri: "confluence://PAY/999" })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringMatching(/E_NOT_FOUND: /),
    });
    await expect(h!.client.readResource({ uri: "confluence://OPS/4242" })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringMatching(/page 4242 is in space PAY, not OPS; read confluence:\/\/PAY\/4242/),
    });
    await expect(h!.client.readResource({ uri: "confluence://PAY/12ab" })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringMatching(/not confluence:\/\/\{space_key\}\/\{page_id\} with a numeric page id/),
    });
    const read = await h!.client.readResource({ uri: "confluence://pay/4242" });
    expect(textOf(read)).toMatch(/^# Payments API\n/);
  });
});

describe("Confluence resource errors", () => {
  it("keep their codes (E_AUTH as −32603 with data.code) and never carry the credentials", async () => {
    await withConfluence([syntheticPage("4242", { spaceKey: "PAY" })]);
    fake!.fault({ kind: "401", match: "4242" });
    const auth = await h!.client.readResource({ uri: "confluence://PAY/4242" }).then(
      () => undefined,
      (e: unknown) => e as { code: number; message: string; data?: { code: string } },
    );
    expect(auth).toMatchObject({ code: -32603, data: { code: "E_AUTH" } });
    expect(auth!.message).toMatch(/^MCP error -32603: E_AUTH: /);
    fake!.fault({ kind: "echo", match: "4242", times: Infinity });
    const echoed = await h!.client.readResource({ uri: "confluence://PAY/4242" }).then(
      () => undefined,
      (e: unknown) => e as { message: string; data?: unknown },
    );
    expect(echoed).toBeDefined();
    expect(JSON.stringify(echoed)).not.toContain("cloud-api-token-123");
    expect(JSON.stringify(echoed)).not.toContain(Buffer.from("bot@example.com:cloud-api-token-123").toString("base64"));
  });
});

describe("malformed resource, prompt and completion requests", () => {
  it("answers −32602 E_INVALID_INPUT saying what to send (not the SDK's −32603), and keeps serving", async () => {
    h = await connectInMemory();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["resources/read", {}, /`uri` of resources\/read must be a resource URI, a string \(got nothing\)/],
      [
        "resources/subscribe",
        { uri: 7 },
        /`uri` of resources\/subscribe must be a resource URI, a string \(got a number\)/,
      ],
      [
        "prompts/get",
        { name: ["review_diff"] },
        /`name` of prompts\/get must be the name of a prompt, a string \(got an array\)/,
      ],
      [
        "prompts/get",
        { name: "review_diff", arguments: { diff: 5 } },
        /`arguments` of prompts\/get must be an object of string values/,
      ],
      [
        "completion/complete",
        { ref: { type: "ref/tool", name: "x" }, argument: { name: "a", value: "" } },
        /`ref` of completion\/complete must be/,
      ],
      [
        "completion/complete",
        { ref: { type: "ref/prompt", name: "review_diff" }, argument: { name: "diff" } },
        /`argument` of completion\/complete must be/,
      ],
    ];
    for (const [method, params, message] of cases) {
      const error = await h.client.request({ method, params } as never, z.any()).then(
        () => undefined,
        (e: unknown) => e as { code: number; message: string },
      );
      expect(error, method).toMatchObject({ code: -32602 });
      expect(error!.message, method).toMatch(/^MCP error -32602: E_INVALID_INPUT: /);
      expect(error!.message, method).toMatch(message);
    }
    expect((await h.client.listPrompts()).prompts).toHaveLength(4);
  });
});
