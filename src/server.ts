/**
 * `createServer(deps)`: the MCP face of SpecGate. Tools are plain definitions (src/tools); one
 * loop turns them into a registry with their JSON Schemas computed once, and every
 * `tools/call` goes through the runtime's pipeline. The SDK `Server` objects stay private to
 * this module and the transports, so nothing can register a handler that bypasses the pipeline.
 *
 * One SpecGate server can serve many connections: `server` is the first (stdio, in-memory
 * tests); `newSession()` makes another for each Streamable HTTP session, sharing the registry,
 * the cache and the limits.
 *
 * A `tools/call` whose `name` or `arguments` has the wrong shape is answered before the SDK
 * sees it (see GuardedServer): the SDK would answer −32603 with its schema library's issue list.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type JSONRPCMessage,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Runtime } from "./runtime.js";
import { TOOLS } from "./tools/index.js";
import { servedTools } from "./tools/toolsets.js";
import type { AnyToolDefinition } from "./pipeline/tool.js";
import { clientLog } from "./mcp/logging.js";
import { SERVER_INFO } from "./mcp/metadata.js";
import { createMcpFeatures } from "./mcp/index.js";
import { LazyJsonSchemaValidator } from "./mcp/json-schema-validator.js";
import { mcpRequestRefusal } from "./mcp/guard.js";

export interface ServerDeps {
  runtime: Runtime;
  /**
   * The tools to serve; defaults to all of SpecGate's. Tests add their own. Either way, only those
   * of the configured toolsets (SPECGATE_TOOLSETS), and only read-only ones under SPECGATE_READ_ONLY.
   */
  tools?: readonly AnyToolDefinition[];
}

export interface SpecGateServer {
  /** The SDK server for a single connection (stdio, in-memory transports). */
  readonly server: Server;
  /** A new SDK server sharing this one's tools and runtime (one per HTTP session). */
  newSession(): Server;
  /** What `tools/list` returns. */
  readonly listing: readonly Tool[];
  readonly runtime: Runtime;
  /** Closes every connection, then the runtime (draining in-flight calls). */
  close(): Promise<void>;
}

const INSTRUCTIONS =
  "SpecGate turns design documents into enforceable rules. Typical flow: confluence_fetch (or html_to_md on HTML you have) → " +
  "speclint_lint (document quality 0-100) → rule_extract (DesignRuleSpec rules) → spec_generate (previews Cursor .mdc, Semgrep, ast-grep, ArchUnit, " +
  "GitHub workflow; spec_write writes them) → rule_check (runs the rules' patterns on code) → gate_score (Drift Score and PASS/WARNING/FAIL from " +
  "SARIF findings). rule_diff says which rules changed between two versions of a document (its `regenerate` goes to spec_generate's only_rules). " +
  "The prompts (review_design_doc, extract_and_enforce, write_check_for_rule, review_diff) walk through these steps; the resources hold the " +
  "DesignRuleSpec schema, the rulesets, each lint code's page and the workspace's rules. Errors carry a stable code (E_…) " +
  "and say what to do next; E_OVERLOADED and E_TIMEOUT are retryable.";

/** One validator for every session: compiling schemas per session would dominate stateless HTTP. */
const sharedValidator = new LazyJsonSchemaValidator();

export function createServer(deps: ServerDeps): SpecGateServer {
  const { runtime } = deps;
  const tools = servedTools(deps.tools ?? TOOLS, runtime.config.mcp);
  const byName = new Map<string, AnyToolDefinition>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`Duplicate tool name: ${tool.name}`);
    byName.set(tool.name, tool);
  }
  // Computed on the first tools/list rather than at startup: converting every tool's schemas
  // takes tens of milliseconds that `initialize` need not wait for.
  let listing: readonly Tool[] | undefined;
  const list = (): readonly Tool[] => (listing ??= Object.freeze(tools.map(describeTool)));

  const features = createMcpFeatures(runtime, byName);
  const sessions = new Set<Server>();
  const newSession = (): Server => {
    const server = new GuardedServer(SERVER_INFO, {
      capabilities: { tools: { listChanged: false }, logging: {}, ...features.capabilities },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: sharedValidator,
    });
    const log = clientLog(server);
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: list() as Tool[] }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      const tool = byName.get(request.params.name);
      if (!tool) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Unknown tool "${request.params.name}". Available: ${[...byName.keys()].join(", ")}.`,
        );
      }
      const progressToken = request.params._meta?.progressToken;
      const sendLog = log.sender(tool.name, extra.sendNotification);
      const result = await runtime.pipeline.call(tool, request.params.arguments ?? {}, {
        signal: extra.signal,
        requestId: String(extra.requestId),
        ...(sendLog ? { sendLog } : {}),
        ...(progressToken === undefined
          ? {}
          : {
              sendProgress: (progress, total, message) =>
                extra.sendNotification({
                  method: "notifications/progress",
                  params: {
                    progressToken,
                    progress,
                    ...(total === undefined ? {} : { total }),
                    ...(message ? { message } : {}),
                  },
                }),
            }),
      });
      return features.linkResources(tool.name, result);
    });
    features.register(server);
    sessions.add(server);
    server.onclose = () => {
      sessions.delete(server);
      features.release(server);
    };
    return server;
  };

  const server = newSession();
  let closed: Promise<void> | undefined;
  return {
    server,
    newSession,
    get listing() {
      return list();
    },
    runtime,
    close: () => {
      closed ??= (async () => {
        features.close();
        await runtime.close();
        await Promise.allSettled([...sessions].map((s) => s.close()));
      })();
      return closed;
    },
  };
}

/**
 * The SDK server, with one check in front of it on every connection: a `tools/call` whose `name`
 * is not a string or whose `arguments` is not an object is answered −32602 (invalid params) with
 * an `E_INVALID_INPUT` message that says what to send. The SDK parses a request against its schema
 * before any handler runs and answers a failure −32603 (internal error) with the raw issue list,
 * so the check has to sit between the transport and the SDK.
 */
class GuardedServer extends Server {
  override async connect(transport: Transport): Promise<void> {
    await super.connect(transport);
    const dispatch = transport.onmessage;
    transport.onmessage = ((message: JSONRPCMessage, extra) => {
      const refusal = toolCallRefusal(message) ?? mcpRequestRefusal(message);
      if (refusal) void transport.send(refusal).catch((error: unknown) => this.onerror?.(error as Error));
      else dispatch?.(message, extra);
    }) as Transport["onmessage"];
  }
}

function toolCallRefusal(message: JSONRPCMessage): JSONRPCMessage | undefined {
  // Plain property reads: this runs on every message, and the SDK's type guards are schema parses.
  const request = message as { method?: unknown; id?: unknown; params?: unknown };
  if (request.method !== "tools/call" || (typeof request.id !== "string" && typeof request.id !== "number"))
    return undefined;
  const params = (request.params && typeof request.params === "object" ? request.params : {}) as {
    name?: unknown;
    arguments?: unknown;
  };
  let problem: string | undefined;
  if (typeof params.name !== "string")
    problem = `\`name\` of tools/call must be the name of a tool, a string (got ${kindOf(params.name)}). tools/list gives the names.`;
  else if ("arguments" in params && params.arguments !== undefined && kindOf(params.arguments) !== "an object") {
    problem = `\`arguments\` of tools/call must be an object of named arguments, like {"html": "…"} (got ${kindOf(params.arguments)}). The tool's inputSchema in tools/list names them.`;
  }
  if (!problem) return undefined;
  return {
    jsonrpc: "2.0",
    id: request.id,
    error: { code: ErrorCode.InvalidParams, message: `E_INVALID_INPUT: ${problem}`, data: { code: "E_INVALID_INPUT" } },
  };
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return value === undefined ? "nothing" : `a ${typeof value}`;
}

/** The advertised form of a tool: JSON Schemas computed once, all four annotations explicit. */
export function describeTool(tool: AnyToolDefinition): Tool {
  const inputSchema = portable(
    z.toJSONSchema(tool.inputSchema, { target: "draft-7", io: "input" }),
  ) as Tool["inputSchema"];
  const outputSchema = portable(
    z.toJSONSchema(tool.outputSchema, { target: "draft-7", io: "output" }),
  ) as Tool["outputSchema"];
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema,
    outputSchema,
    annotations: { title: tool.title, ...tool.annotations },
  };
}

/**
 * Rewrites the two JSON Schema forms some MCP clients handle badly into equivalent portable ones:
 * `additionalProperties: {}` becomes `true`, and `type: [a, b]` becomes `anyOf` of single types.
 */
function portable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(portable);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === "additionalProperties" && value && typeof value === "object" && Object.keys(value).length === 0)
      out[key] = true;
    else out[key] = portable(value);
  }
  if (Array.isArray(out.type)) {
    const types = out.type as unknown[];
    delete out.type;
    const { description, ...rest } = out;
    return { ...(description === undefined ? {} : { description }), anyOf: types.map((t) => ({ ...rest, type: t })) };
  }
  return out;
}
