// The least an MCP server on the official SDK does before it can answer `initialize` over stdio:
// McpServer with one tool, the stdio transport. The floor for `specgate serve --stdio`'s start
// (bench/cold-start.ts runs it as published and bundled with esbuild as SpecGate's command is).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "echo", version: "1.0.0" });
server.registerTool("echo", { description: "Echoes its text.", inputSchema: { text: z.string() } }, ({ text }) => ({
  content: [{ type: "text", text }],
}));
await server.connect(new StdioServerTransport());
