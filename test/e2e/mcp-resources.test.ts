/**
 * Resources, prompts and completions through the built binary: over stdio (with the workspace
 * rules subscription) and over Streamable HTTP, with the SDK's own client transports.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureJson } from "../unit/generate/helpers.js";
import { CLI, ROOT, assertBuilt, startHttp, type SpawnedServer } from "../helpers/spawn.js";

const TOKEN = "test-token-0123456789abcdef";
const textOf = (r: { contents: unknown[] }) => (r.contents[0] as { text: string }).text;
const promptText = (r: { messages: { content: unknown }[] }) => (r.messages[0]!.content as { text: string }).text;

describe("resources and prompts over stdio (spawned binary)", () => {
  let dir: string;
  let client: Client;
  beforeAll(async () => {
    assertBuilt();
    dir = await mkdtemp(path.join(tmpdir(), "specgate-e2e-resources-"));
    client = new Client({ name: "e2e-resources", version: "1" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, "serve", "--stdio"],
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", SPECGATE_WORKSPACE: dir },
        stderr: "pipe",
      }),
    );
  });
  afterAll(async () => {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists and reads a resource, and gets a prompt", async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain("specgate://lint-codes/scope_missing");
    const page = await client.readResource({ uri: "specgate://lint-codes/scope_missing" });
    expect(textOf(page)).toBe(await readFile(path.join(ROOT, "docs/rules/scope_missing.md"), "utf8"));
    const prompt = await client.getPrompt({ name: "review_design_doc", arguments: { content: "# Doc" } });
    expect(promptText(prompt)).toMatch(/Call `speclint_lint` with/);
    await expect(client.readResource({ uri: "specgate://rulesets/../../package.json" })).rejects.toMatchObject({
      code: -32002,
    });
  });

  it("tells a subscriber when spec_write writes the workspace rules", async () => {
    const updated = new Promise<string>((resolve) =>
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => resolve(n.params.uri)),
    );
    await client.subscribeResource({ uri: "specgate://workspace/rules" });
    const rules = (fixtureJson("standards-performance") as { rules: unknown[] }).rules;
    const r = await client.callTool({
      name: "spec_write",
      arguments: { rules, targets: ["workflow"] },
    });
    expect(r.isError).toBeFalsy();
    expect(await updated).toBe("specgate://workspace/rules");
    const read = await client.readResource({ uri: "specgate://workspace/rules" });
    expect(textOf(read)).toBe(await readFile(path.join(dir, ".specgate/rules.json"), "utf8"));
  });
});

describe("resources and prompts over Streamable HTTP (spawned binary)", () => {
  let server: SpawnedServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-e2e-http-resources-"));
    server = await startHttp({ SPECGATE_HTTP_TOKEN: TOKEN, SPECGATE_WORKSPACE: dir });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it("tells a session subscribed on its event stream when another session's spec_write writes the rules", async () => {
    const headers = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
      authorization: `Bearer ${TOKEN}`,
    };
    const init = await fetch(server.url, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "subscriber", version: "1" } },
      }),
    });
    await init.text();
    const session = { ...headers, "mcp-session-id": init.headers.get("mcp-session-id")! };
    const post = async (body: object) =>
      (await fetch(server.url, { method: "POST", headers: session, body: JSON.stringify(body) })).text();
    await post({ jsonrpc: "2.0", method: "notifications/initialized" });
    // The session's own event stream, open before anything is written: notifications arrive there.
    const controller = new AbortController();
    const stream = await fetch(server.url, {
      method: "GET",
      headers: { ...session, accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const heard = new Promise<string>((resolve, reject) => {
      let text = "";
      void (async () => {
        try {
          for await (const chunk of stream.body!) {
            text += Buffer.from(chunk as Uint8Array).toString("utf8");
            const line = text.split("\n").find((l) => l.includes("notifications/resources/updated"));
            if (line) return resolve(line);
          }
          reject(new Error(`the event stream ended without the notification: ${text}`));
        } catch (error) {
          reject(error as Error);
        }
      })();
    });
    expect(
      await post({
        jsonrpc: "2.0",
        id: 2,
        method: "resources/subscribe",
        params: { uri: "specgate://workspace/rules" },
      }),
    ).toMatch(/"result":\{\}/);

    const writer = new Client({ name: "e2e-http-writer", version: "1" });
    await writer.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const rules = (fixtureJson("standards-performance") as { rules: unknown[] }).rules;
    const r = await writer.callTool({
      name: "spec_write",
      arguments: { rules, targets: ["workflow"] },
    });
    expect(r.isError).toBeFalsy();
    expect(await heard).toContain('"uri":"specgate://workspace/rules"');
    controller.abort();
    await writer.close();
  });

  it("lists and reads a resource, gets a prompt and completes an argument", async () => {
    const client = new Client({ name: "e2e-http-resources", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain("specgate://schema/design-rule-spec");
    const schema = await client.readResource({ uri: "specgate://schema/design-rule-spec" });
    expect(textOf(schema)).toBe(await readFile(path.join(ROOT, "schemas/design-rule-spec.schema.json"), "utf8"));
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain("specgate://rulesets/{name}");
    const prompt = await client.getPrompt({
      name: "write_check_for_rule",
      arguments: { rule_id: "RULE-API-001", rule: "Controllers must not log request bodies." },
    });
    expect(promptText(prompt)).toMatch(/Call `rule_check` with \{"candidate"/);
    await expect(client.getPrompt({ name: "write_check_for_rule", arguments: {} })).rejects.toMatchObject({
      code: -32602,
    });
    const completion = await client.complete({
      ref: { type: "ref/resource", uri: "specgate://rulesets/{name}" },
      argument: { name: "name", value: "specgate-" },
    });
    expect(completion.completion).toEqual({ values: ["specgate-en"], total: 1, hasMore: false });
    await client.close();
  });
});
