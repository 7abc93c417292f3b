/**
 * The MCP logging capability: a client that sends `logging/setLevel` receives, as
 * `notifications/message`, what its tool calls' results have to say (unknown macros, skipped rules,
 * pages that failed, extraction warnings: each tool's `notices`), at that level or above. A client
 * that never sets a level receives none: the same notices are in every result already, and an
 * unasked-for stream of messages would only cost a client that does not show them.
 *
 * The level belongs to the connection (one SDK server per stdio connection or HTTP session), so a
 * stateless HTTP server, which makes a server per request, sends none.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  LoggingLevelSchema,
  SetLevelRequestSchema,
  type LoggingLevel,
  type ServerNotification,
} from "@modelcontextprotocol/sdk/types.js";
import type { ToolNotice } from "../pipeline/tool.js";

const SEVERITY = new Map<LoggingLevel, number>(LoggingLevelSchema.options.map((level, i) => [level, i]));

export interface ClientLog {
  /** A sender for one call's notices, or undefined while the client has set no level. */
  sender(
    tool: string,
    send: (notification: ServerNotification) => Promise<void>,
  ): ((notice: ToolNotice) => Promise<void>) | undefined;
}

/** Answers `logging/setLevel` on `server` (replacing the SDK's handler) and remembers the level. */
export function clientLog(server: Server): ClientLog {
  let level: LoggingLevel | undefined;
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    level = request.params.level;
    return {};
  });
  return {
    sender: (tool, send) => {
      if (level === undefined) return undefined;
      const least = SEVERITY.get(level)!;
      return async (notice) => {
        if (SEVERITY.get(notice.level)! < least) return;
        await send({
          method: "notifications/message",
          params: {
            level: notice.level,
            logger: `specgate/${tool}`,
            data: { message: notice.message, ...notice.data },
          },
        });
      };
    },
  };
}
