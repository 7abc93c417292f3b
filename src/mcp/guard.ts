/**
 * Shape checks for the resource, prompt and completion requests, run between the transport and
 * the SDK (beside the tools/call check in server.ts): the SDK parses a request against its schema
 * before any handler runs and answers a failure −32603 (internal error) with its schema library's
 * issue list. A request of the wrong shape gets −32602 `E_INVALID_INPUT` saying what to send.
 */
import { ErrorCode, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

type Check = (params: Record<string, unknown>) => string | undefined;

const CHECKS: Readonly<Record<string, Check>> = {
  "resources/read": (p) => uri(p, "resources/read"),
  "resources/subscribe": (p) => uri(p, "resources/subscribe"),
  "resources/unsubscribe": (p) => uri(p, "resources/unsubscribe"),
  "prompts/get": (p) => {
    if (typeof p.name !== "string")
      return `\`name\` of prompts/get must be the name of a prompt, a string (got ${kindOf(p.name)}). prompts/list gives the names.`;
    if (p.arguments !== undefined && !stringMap(p.arguments))
      return '`arguments` of prompts/get must be an object of string values, like {"diff": "…"}.';
    return undefined;
  },
  "completion/complete": (p) => {
    const ref = p.ref as Record<string, unknown> | undefined;
    const argument = p.argument as Record<string, unknown> | undefined;
    const refOk =
      isObject(ref) &&
      ((ref.type === "ref/prompt" && typeof ref.name === "string") ||
        (ref.type === "ref/resource" && typeof ref.uri === "string"));
    if (!refOk)
      return '`ref` of completion/complete must be {"type": "ref/prompt", "name": "…"} or {"type": "ref/resource", "uri": "<a resource template>"}.';
    if (!isObject(argument) || typeof argument.name !== "string" || typeof argument.value !== "string")
      return '`argument` of completion/complete must be {"name": "…", "value": "<what was typed>"}.';
    const context = p.context as Record<string, unknown> | undefined;
    if (
      context !== undefined &&
      (!isObject(context) || (context.arguments !== undefined && !stringMap(context.arguments)))
    )
      return "`context.arguments` of completion/complete must be an object of string values.";
    return undefined;
  },
};

/** The error answer for a malformed resource, prompt or completion request; undefined for anything else. */
export function mcpRequestRefusal(message: JSONRPCMessage): JSONRPCMessage | undefined {
  // Plain property reads: this runs on every message.
  const request = message as { method?: unknown; id?: unknown; params?: unknown };
  if (typeof request.method !== "string" || (typeof request.id !== "string" && typeof request.id !== "number"))
    return undefined;
  const check = Object.hasOwn(CHECKS, request.method) ? CHECKS[request.method] : undefined;
  if (!check) return undefined;
  const problem = check(isObject(request.params) ? request.params : {});
  if (!problem) return undefined;
  return {
    jsonrpc: "2.0",
    id: request.id,
    error: { code: ErrorCode.InvalidParams, message: `E_INVALID_INPUT: ${problem}`, data: { code: "E_INVALID_INPUT" } },
  };
}

function uri(p: Record<string, unknown>, method: string): string | undefined {
  return typeof p.uri === "string"
    ? undefined
    : `\`uri\` of ${method} must be a resource URI, a string (got ${kindOf(p.uri)}). resources/list and resources/templates/list name them.`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): boolean {
  return isObject(value) && Object.values(value).every((v) => typeof v === "string");
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return value === undefined ? "nothing" : `a ${typeof value}`;
}
