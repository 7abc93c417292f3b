import { Option, type Command } from "commander";
import { bootstrap } from "../../bootstrap.js";
import { loadConfig } from "../../config.js";
import { createServer } from "../../server.js";
import type { CliIO } from "../io.js";

export function registerServe(program: Command, io: CliIO): void {
  program
    .command("serve")
    .description("Run the MCP server: Streamable HTTP (default) or stdio.")
    .addOption(
      new Option("--stdio", "serve over stdin/stdout (Claude Desktop, Cursor)").conflicts(["http", "host", "port"]),
    )
    .option("--http", "serve Streamable HTTP at http://HOST:PORT/mcp (default)")
    .option("--host <host>", "HTTP bind address (SPECGATE_HTTP_HOST, default 127.0.0.1)")
    .option("--port <port>", "HTTP port (SPECGATE_HTTP_PORT or PORT, default 3000)")
    .action(async (opts: { stdio?: boolean; http?: boolean; host?: string; port?: string }) => {
      const env = { ...io.env };
      if (opts.host) env.SPECGATE_HTTP_HOST = opts.host;
      if (opts.port) env.SPECGATE_HTTP_PORT = opts.port;
      const config = loadConfig(env, io.cwd);
      const runtime = await bootstrap(config);
      const specgate = createServer({ runtime });
      let stop: () => Promise<void>;
      let done: Promise<void>;
      if (opts.stdio) {
        // Only the transport in use is loaded.
        const { serveStdio } = await import("../../transports/stdio.js");
        const handle = await serveStdio(specgate, io.stdin, io.stdout);
        stop = handle.close;
        done = handle.closed;
      } else {
        let handle;
        try {
          const { startHttpServer } = await import("../../transports/http.js");
          handle = await startHttpServer(specgate);
        } catch (error) {
          await specgate.close();
          throw error;
        }
        io.stderr.write(`SpecGate ${handle.url} (health: ${handle.url.replace(/\/mcp$/, "/healthz")})\n`);
        stop = handle.close;
        done = new Promise((resolve) => handle.server.once("close", resolve));
      }
      const onSignal = (signal: NodeJS.Signals) => {
        runtime.logger.info({ signal }, "shutting down");
        void stop();
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      await done;
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      runtime.logger.flush?.();
    });
}
