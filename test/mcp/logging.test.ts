/**
 * The logging capability (docs/mcp.md): a client that sets a level gets its calls' warnings
 * as notifications/message, scrubbed of the server's credentials; one that sets none gets none.
 */
import { afterEach, describe, expect, it } from "vitest";
import { LoggingMessageNotificationSchema, type LoggingMessageNotification } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { MAX_NOTICES } from "../../src/pipeline/pipeline.js";
import { PURE_TRANSFORM, defineTool } from "../../src/pipeline/tool.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TOKEN = "s3cret-token-0123456789abcdef";
const macro = (name: string) =>
  `<p>before</p><ac:structured-macro ac:name="${name}"><ac:rich-text-body><p>inside</p></ac:rich-text-body></ac:structured-macro>`;

/** Collects log notifications; `next()` resolves with the next one (or one already received). */
function listen(harness: Harness) {
  const received: LoggingMessageNotification["params"][] = [];
  let waiting: ((p: LoggingMessageNotification["params"]) => void) | undefined;
  harness.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    received.push(n.params);
    waiting?.(n.params);
    waiting = undefined;
  });
  return {
    received,
    next: () =>
      new Promise<LoggingMessageNotification["params"]>((resolve) => {
        if (received.length > 0) resolve(received[0]!);
        else waiting = resolve;
      }),
  };
}

describe("MCP logging", () => {
  it("advertises logging and sends nothing until the client sets a level", async () => {
    h = await connectInMemory();
    expect(h.client.getServerCapabilities()?.logging).toEqual({});
    const log = listen(h);
    const r = await h.client.callTool({ name: "html_to_md", arguments: { html: macro("mystery-widget") } });
    expect((r.structuredContent as { warnings: { code: string }[] }).warnings.map((w) => w.code)).toContain(
      "unknown_macro",
    );
    // Notifications of a call are sent before its result, on the same ordered connection.
    expect(log.received).toEqual([]);
  });

  it("sends a call's warnings at or above the level set, and none below it", async () => {
    h = await connectInMemory();
    const log = listen(h);
    await h.client.setLoggingLevel("warning");
    const arrived = log.next();
    await h.client.callTool({ name: "html_to_md", arguments: { html: macro("mystery-widget") } });
    const message = await arrived;
    expect(message).toMatchObject({
      level: "warning",
      logger: "specgate/html_to_md",
      data: { code: "unknown_macro", subject: "mystery-widget" },
    });
    expect((message.data as { message: string }).message).toMatch(/mystery-widget/);

    await h.client.setLoggingLevel("error");
    log.received.length = 0;
    await h.client.callTool({ name: "html_to_md", arguments: { html: macro("another-widget") } });
    expect(log.received).toEqual([]);
  });

  it("names skipped rules of spec_generate at notice level", async () => {
    h = await connectInMemory();
    const log = listen(h);
    await h.client.setLoggingLevel("notice");
    await h.client.callTool({
      name: "spec_generate",
      arguments: {
        rules: [{ rule_id: "RULE-API-001", priority: "MUST", title: "APIs log requests" }],
        targets: ["semgrep"],
      },
    });
    expect(log.received).toContainEqual(
      expect.objectContaining({
        level: "notice",
        logger: "specgate/spec_generate",
        data: expect.objectContaining({ target: "semgrep", rule_id: "RULE-API-001" }),
      }),
    );
  });

  it("never carries the server's credentials", async () => {
    h = await connectInMemory({ env: { SPECGATE_HTTP_TOKEN: TOKEN } });
    const log = listen(h);
    await h.client.setLoggingLevel("debug");
    const arrived = log.next();
    await h.client.callTool({ name: "html_to_md", arguments: { html: macro(`leak-${TOKEN}`) } });
    const message = await arrived;
    expect(JSON.stringify(message)).not.toContain(TOKEN);
    expect(JSON.stringify(message)).toContain("[redacted]");
  });

  it("sends at most 50 messages for one call, the last one counting the rest", async () => {
    const noisy = defineTool({
      name: "noisy",
      title: "Noisy",
      description: "Returns n warnings (tests only).",
      inputSchema: z.strictObject({ n: z.number().int() }),
      outputSchema: z.object({ warnings: z.array(z.string()) }),
      annotations: PURE_TRANSFORM,
      handler: async (input) => ({ warnings: Array.from({ length: input.n }, (_, i) => `warning ${i}`) }),
      notices: (out) => out.warnings.map((message) => ({ level: "warning", message })),
    });
    h = await connectInMemory({ tools: [noisy] });
    const log = listen(h);
    await h.client.setLoggingLevel("info");
    await h.client.callTool({ name: "noisy", arguments: { n: 70 } });
    expect(log.received).toHaveLength(MAX_NOTICES + 1);
    expect(log.received[0]).toMatchObject({ level: "warning", data: { message: "warning 0" } });
    expect(log.received.at(-1)).toMatchObject({
      level: "info",
      data: { message: "20 more notices are in the result." },
    });
  });
});
