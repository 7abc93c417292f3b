/**
 * Protocol errors of resources, prompts and completions. Unlike a tool call, whose failure is a
 * result with `isError: true`, these requests fail with a JSON-RPC error: the code says what
 * kind, the message starts with SpecGate's stable code and says what to do, and `data.code` is that
 * code again for programs.
 */
import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import { toSpecGateError, type SpecGateError } from "../errors.js";
import type { Scrubber } from "../secrets.js";

/**
 * A JSON-RPC error the SDK sends as it is: `code`, `message` and `data`. (The SDK's ProtocolError
 * would prefix "MCP error <code>:" to the message on the wire, ahead of SpecGate's code.)
 */
export class ProtocolError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    this.data = data;
  }
}

/** "Resource not found" (MCP specification, resources: error handling). */
export const RESOURCE_NOT_FOUND = -32002;

/** −32002 with `E_NOT_FOUND`. */
export function resourceNotFound(message: string): ProtocolError {
  return new ProtocolError(RESOURCE_NOT_FOUND, `E_NOT_FOUND: ${message}`, { code: "E_NOT_FOUND" });
}

/** −32602 with `E_INVALID_INPUT` (or another input code such as `E_TOO_LARGE`). */
export function invalidParams(
  message: string,
  code: "E_INVALID_INPUT" | "E_TOO_LARGE" = "E_INVALID_INPUT",
): ProtocolError {
  return new ProtocolError(ErrorCode.InvalidParams, `${code}: ${message}`, { code });
}

/** A SpecGateError (or anything thrown) as a protocol error, its message scrubbed of credentials. */
export function protocolError(error: unknown, scrubber: Scrubber, signal?: AbortSignal): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const e: SpecGateError = toSpecGateError(error, signal);
  const message = scrubber.scrub(e.message);
  const data = scrubber.scrubValue(e.toJSON());
  if (e.code === "E_NOT_FOUND") return new ProtocolError(RESOURCE_NOT_FOUND, `E_NOT_FOUND: ${message}`, data);
  if (e.code === "E_INVALID_INPUT" || e.code === "E_TOO_LARGE")
    return new ProtocolError(ErrorCode.InvalidParams, `${e.code}: ${message}`, data);
  return new ProtocolError(ErrorCode.InternalError, `${e.code}: ${message}`, data);
}

/** A caller-supplied string for an error message: quoted, at most 120 characters. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}
