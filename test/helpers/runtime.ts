import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { loadConfig, type Config } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { createRuntime, type RuntimeOptions } from "../../src/runtime.js";
import { createServer, type SpecGateServer } from "../../src/server.js";
import type { AnyToolDefinition } from "../../src/pipeline/tool.js";
import { TOOLS } from "../../src/tools/index.js";

/** A logger whose lines are kept in memory, for assertions on what was logged. */
export function memoryLogger(level = "debug"): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level, destination: sink });
  return {
    logger,
    text: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export interface Harness {
  client: Client;
  specgate: SpecGateServer;
  config: Config;
  close(): Promise<void>;
}

/** A real SDK Client linked in memory to a real SpecGate server. */
export async function connectInMemory(
  options: {
    env?: Record<string, string>;
    tools?: readonly AnyToolDefinition[];
    runtime?: Partial<RuntimeOptions>;
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const config = loadConfig({ LOG_LEVEL: "silent", ...options.env });
  const runtime = createRuntime({
    config,
    logger: options.logger ?? createLogger({ level: "silent" }),
    ...options.runtime,
  });
  const specgate = createServer({ runtime, tools: options.tools ?? TOOLS });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "specgate-test", version: "1.0.0" });
  await Promise.all([specgate.server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    client,
    specgate,
    config,
    close: async () => {
      await client.close();
      await specgate.close();
    },
  };
}
