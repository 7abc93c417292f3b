/**
 * stdio transport: JSON-RPC on stdin/stdout, one line per message. Nothing else may ever be
 * written to stdout in this mode — logs go to stderr (src/logger.ts).
 */
import type { Readable, Writable } from "node:stream";
import type { SpecGateServer } from "../server.js";
import { LineFramer } from "./stdio-lines.js";
import { LineTransport } from "./stdio-messages.js";

export interface StdioHandle {
  /** Resolves when the client closes stdin or the server is closed. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(
  specgate: SpecGateServer,
  stdin: Readable = process.stdin,
  stdout: Writable = process.stdout,
): Promise<StdioHandle> {
  // A message may be as large as an HTTP request body (a 10 MB document is over 10 MiB once
  // JSON-escaped). One over the limit is dropped as it streams and answered with an error; a line
  // that is not one JSON-RPC message is answered with its JSON-RPC error (./stdio-messages.ts).
  const log = specgate.runtime.logger.child({ component: "stdio" });
  const maxBytes = specgate.runtime.config.http.maxBodyBytes;
  const framer = new LineFramer(maxBytes, (bytes) => {
    log.warn({ bytes, limit: maxBytes }, "stdio message over the size limit dropped");
    const message = `Message too large: over ${Math.round(maxBytes / 1048576)} MB (SPECGATE_HTTP_MAX_BODY_MB). Split the input.`;
    stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32600, message } })}\n`);
  });
  stdin.pipe(framer);
  const transport = new LineTransport(framer, stdout, (line) =>
    log.warn(line, "malformed stdio message answered with a JSON-RPC error"),
  );
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await specgate.close();
      await transport.close();
      stdin.unpipe(framer);
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
