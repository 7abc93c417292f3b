/**
 * stdio transport: JSON-RPC on stdin/stdout, one line per message. Nothing else may ever be
 * written to stdout in this mode — logs go to stderr (src/logger.ts).
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Readable, Writable } from "node:stream";
import type { SpecGateServer } from "../server.js";

export interface StdioHandle {
  /** Resolves when the client closes stdin or the server is closed. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(specgate: SpecGateServer, stdin: Readable = process.stdin, stdout: Writable = process.stdout): Promise<StdioHandle> {
  // The SDK closes the connection on a message over 10 MiB by default, which a 10 MB document
  // (the tools' limit) exceeds once JSON-escaped: take what an HTTP request body may carry.
  const transport = new StdioServerTransport(stdin, stdout, { maxBufferSize: specgate.runtime.config.http.maxBodyBytes });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await specgate.close();
      await transport.close();
      resolveClosed();
    })();
    return closing;
  };
  transport.onclose = () => void close();
  stdin.once("end", () => void close());
  await specgate.server.connect(transport);
  specgate.runtime.logger.info("SpecGate MCP server ready on stdio");
  return { closed, close };
}
