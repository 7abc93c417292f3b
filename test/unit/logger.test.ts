import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { createLogger } from "../../src/logger.js";
import { connectInMemory, memoryLogger } from "../helpers/runtime.js";
import { slowTool } from "../helpers/tools.js";

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

describe("logging", () => {
  it("redacts secret-bearing keys and scrubs configured secret values from every line", async () => {
    const out = sink();
    const log = createLogger({ level: "info", secrets: ["hunter2-secret-value"], destination: out.stream });
    log.info({ headers: { authorization: "Bearer abc" }, token: "tok" }, "request");
    log.warn({ detail: "upstream said hunter2-secret-value was wrong" }, "upstream error");
    await sleep(10);
    expect(out.text()).not.toMatch(/hunter2-secret-value|Bearer abc|"tok"/);
    expect(out.text()).toMatch(/\[redacted\]/);
    expect(
      out
        .text()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).msg),
    ).toEqual(["request", "upstream error"]);
  });

  it("logs each call with tool, request id, duration and cache outcome; slow calls as warnings", async () => {
    const mem = memoryLogger("debug");
    const h = await connectInMemory({ tools: [slowTool()], logger: mem.logger, runtime: { slowCallMs: 250 } });
    await h.client.callTool({ name: "slow_echo", arguments: { ms: 0 } });
    await h.client.callTool({ name: "slow_echo", arguments: { ms: 400 } });
    await h.close();
    await sleep(10);
    const calls = mem.lines().filter((l) => l.tool === "slow_echo");
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ outcome: "ok", cache: "none" });
    expect(typeof calls[0]!.req).toBe("string");
    expect(typeof calls[0]!.ms).toBe("number");
    expect(calls[1]).toMatchObject({ level: "warn", msg: "slow tool call" });
  });
});
