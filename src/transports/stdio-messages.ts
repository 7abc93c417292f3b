/**
 * The MCP transport over stdin/stdout lines: one JSON-RPC message per line each way.
 *
 * It replaces the SDK's stdio transport, which parses every line with an unbounded JSON.parse and
 * drops what it cannot read without a word (the client waits for its own timeout). Here each line
 * is checked before it is parsed (./json-guard.ts: depth and value count), and a line that is not
 * one JSON-RPC message is answered with the JSON-RPC error a client can act on — −32700 when it
 * is not JSON (or would cost too much to parse), −32600 when it is JSON but not a message (a
 * batch included: MCP over stdio has none) — carrying the request's id when one can be read, null
 * otherwise, and logged as a warning. The session goes on either way. Bytes that are not UTF-8
 * decode to U+FFFD, as on the HTTP transport.
 */
import type { Readable, Writable } from "node:stream";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { JSONRPCMessageSchema, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { jsonCostError } from "./json-guard.js";
import { PARSE_ONCE } from "../parse-once.js";

type RpcId = string | number | null;

interface RpcError {
  jsonrpc: "2.0";
  id: RpcId;
  error: { code: number; message: string };
}

/** What one line holds: a message, an answer to send back (and why), or nothing (a blank line). */
export type LineReading =
  { message: JSONRPCMessage } | { answer: RpcError | RpcError[]; reason: string } | { blank: true };

const NOT_JSON = "Parse error: the line is not valid JSON. Send one JSON-RPC message per line.";
const NOT_A_MESSAGE =
  'Invalid request: not a JSON-RPC 2.0 message (an object with "jsonrpc": "2.0" and a "method", or a response).';
const NO_BATCHES = "Invalid request: batches are not supported over stdio; send one JSON-RPC message per line.";

export function readLine(line: Buffer): LineReading {
  let end = line.length;
  while (end > 0 && (line[end - 1] === 0x0a || line[end - 1] === 0x0d)) end--;
  const bytes = line.subarray(0, end);
  if (bytes.every((b) => b === 0x20 || b === 0x09)) return { blank: true };
  const tooCostly = jsonCostError(bytes);
  if (tooCostly) return { answer: rpcError(null, -32700, tooCostly), reason: "too costly to parse" };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { answer: rpcError(null, -32700, NOT_JSON), reason: "not JSON" };
  }
  if (Array.isArray(value)) {
    if (value.length === 0)
      return { answer: rpcError(null, -32600, "Invalid request: an empty batch."), reason: "empty batch" };
    return { answer: value.map((m) => rpcError(readableId(m), -32600, NO_BATCHES)), reason: "batch" };
  }
  const parsed = JSONRPCMessageSchema.safeParse(value, PARSE_ONCE);
  if (!parsed.success)
    return { answer: rpcError(readableId(value), -32600, NOT_A_MESSAGE), reason: "not a JSON-RPC message" };
  return { message: parsed.data };
}

function rpcError(id: RpcId, code: number, message: string): RpcError {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

/** The id of what looks like a request, when it is one a response may carry. */
function readableId(value: unknown): RpcId {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? id : null;
}

export interface MalformedLine {
  reason: string;
  bytes: number;
  code: number;
}

/**
 * A Transport over `lines` (a stream that yields one line per chunk, see ./stdio-lines.ts) and
 * `output`. `onMalformed` hears of every line answered with an error.
 */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private started = false;

  constructor(
    private readonly lines: Readable,
    private readonly output: Writable,
    private readonly onMalformed: (line: MalformedLine) => void = () => undefined,
  ) {}

  private readonly onLine = (line: Buffer) => {
    const reading = readLine(line);
    if ("message" in reading) this.onmessage?.(reading.message);
    else if ("answer" in reading) {
      const first = Array.isArray(reading.answer) ? reading.answer[0]! : reading.answer;
      this.onMalformed({ reason: reading.reason, bytes: line.length, code: first.error.code });
      void this.write(reading.answer);
    }
  };

  private readonly onError = (error: Error) => this.onerror?.(error);

  async start(): Promise<void> {
    if (this.started) throw new Error("LineTransport already started");
    this.started = true;
    this.lines.on("data", this.onLine).on("error", this.onError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.write(message);
  }

  async close(): Promise<void> {
    this.lines.off("data", this.onLine).off("error", this.onError);
    this.lines.pause();
    this.onclose?.();
  }

  /** Writes one line; resolves once the output took it (or drained, under backpressure). */
  private write(message: unknown): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once("drain", resolve);
    });
  }
}
