/**
 * The transport floor: a minimal MCP server with one `echo` tool, built on the same SDK version
 * and the same transport settings as SpecGate (low-level Server, one shared validator,
 * Streamable HTTP sessions with SSE responses, or stdio). Whatever SpecGate does on top —
 * validation, pipeline, cache, metrics — shows up as the ratio between the two.
 *
 *   node --import tsx bench/servers/echo-server.ts --http 0   (prints "ECHO http://127.0.0.1:PORT/mcp" on stderr)
 *   node --import tsx bench/servers/echo-server.ts --stdio
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";

const validator = new AjvJsonSchemaValidator();
const TOOL = {
  name: "echo",
  description: "Echoes its text.",
  inputSchema: { type: "object" as const, properties: { text: { type: "string" } }, required: ["text"] },
  outputSchema: { type: "object" as const, properties: { text: { type: "string" } }, required: ["text"] },
};

function makeServer(): Server {
  const server = new Server(
    { name: "echo", version: "1.0.0" },
    { capabilities: { tools: {} }, jsonSchemaValidator: validator },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [TOOL] }));
  server.setRequestHandler(CallToolRequestSchema, (req) => {
    const text = String((req.params.arguments as { text?: unknown } | undefined)?.text ?? "");
    return { content: [{ type: "text", text: JSON.stringify({ text }) }], structuredContent: { text } };
  });
  return server;
}

const mode = process.argv[2];
if (mode === "--stdio") {
  await makeServer().connect(new StdioServerTransport());
} else {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown) : undefined;
    const id = req.headers["mcp-session-id"] as string | undefined;
    let transport = id ? sessions.get(id) : undefined;
    if (!transport) {
      if (!isInitializeRequest(body)) {
        res.writeHead(400).end();
        return;
      }
      const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid: string): void => {
          sessions.set(sid, t);
        },
      });
      transport = t;
      await makeServer().connect(t);
    }
    await transport.handleRequest(req, res, body);
  });
  http.listen(Number(process.argv[3] ?? 0), "127.0.0.1", () => {
    process.stderr.write(`ECHO http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp\n`);
  });
}

// Exits normally on SIGINT, so that `node --cpu-prof` writes its profile (bench/http-overhead.ts --profile).
process.once("SIGINT", () => process.exit(0));
