/**
 * Request bodies for the Streamable HTTP transport: read under a byte cap and under the memory
 * guard, refused (413/503) before or while they arrive, and never drained through a closed
 * socket. See readBody.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Gauge, type Registry } from "prom-client";
import type { SpecGateError } from "../errors.js";
import type { MemoryGuard, Reservation } from "../perf/memory-guard.js";
import { rpcError, sendJson } from "./http-json.js";
import { JsonCostMeter } from "./json-guard.js";

/** How long a connection whose body was refused stays open after the answer (for the client to read it). */
const REFUSED_LINGER_MS = 5000;

/** Granularity of the reservation for bytes received, and the buffer small chunks are copied into. */
const BODY_STEP = 64 * 1024;

/**
 * Past the first few chunks, chunks under this are copied into one buffer: a body trickled a byte
 * at a time must not cost an object per byte. (An ordinary body arrives in one or two chunks and
 * is kept as it came.)
 */
const SMALL_CHUNK = 16 * 1024;
const KEPT_SMALL_CHUNKS = 16;

/**
 * Memory a body of N bytes costs once whole, while it is joined, decoded, parsed, validated and
 * keyed: about 12 × N, measured on a 10 MB Confluence page (the V8 heap grows by ~95 MB, plus
 * the chunks).
 */
const BODY_FACTOR = 12;

/** A whole request body; `release()` (once parsed) gives back the memory reserved for it. */
export interface Body {
  readonly bytes: Buffer;
  release(): void;
}

/**
 * Bodies still arriving, and the bytes each client has in them. One client (an address) may hold
 * at most `clientLimitBytes` of unfinished bodies: a client that opens many requests and stalls
 * them holds its share of the memory budget, not all of it.
 */
export class PendingBodies {
  count = 0;
  bytes = 0;
  private readonly byClient = new Map<string, number>();

  constructor(readonly clientLimitBytes: number) {}

  /** Counts `n` more bytes for `client`; false (and nothing counted) when over its share. */
  take(client: string, n: number): boolean {
    const held = this.byClient.get(client) ?? 0;
    if (held + n > this.clientLimitBytes) return false;
    this.byClient.set(client, held + n);
    this.bytes += n;
    return true;
  }

  give(client: string, n: number): void {
    if (n === 0) return;
    const held = (this.byClient.get(client) ?? 0) - n;
    if (held > 0) this.byClient.set(client, held);
    else this.byClient.delete(client);
    this.bytes -= n;
  }
}

/** Bodies being received, for operators (and the slow-body tests): a stalled upload shows here. */
export function registerBodyGauges(registry: Registry, pending: PendingBodies): void {
  if (registry.getSingleMetric("specgate_http_bodies_receiving")) return;
  new Gauge({
    name: "specgate_http_bodies_receiving",
    help: "HTTP request bodies being received.",
    registers: [registry],
    collect() {
      this.set(pending.count);
    },
  });
  new Gauge({
    name: "specgate_http_body_bytes_receiving",
    help: "Bytes received so far of HTTP request bodies not yet complete.",
    registers: [registry],
    collect() {
      this.set(pending.bytes);
    },
  });
}

export interface BodyLimits {
  maxBodyBytes: number;
  memory: MemoryGuard;
  /** The client the body comes from (its address), for its share of `pending`. */
  client: string;
  pending: PendingBodies;
}

/**
 * Reads the body up to the cap, metering what its JSON will cost to parse as it arrives
 * (./json-guard.ts): a body that nests too deep or holds too many values gets 400 with a −32700
 * error at the chunk that shows it, and is never buffered. While it arrives, the body holds
 * memory for the bytes received — never for what it declared, so sockets that declare large
 * bodies and trickle them hold almost nothing — and counts them against its client's share of
 * unfinished bodies (503 beyond). Once whole, it reserves what it will cost to join and parse
 * (BODY_FACTOR); the caller releases that after parsing, and the call then reserves its own cost.
 * A body this server could not take even idle is refused before it is read (413). A large body is
 * followed, once answered, by a garbage collection when memory is half used (its copies are
 * garbage V8 would keep a while).
 *
 * Answers (400/413/503) and returns undefined when the body must not be read. A refused body is
 * at most maxBodyBytes: after the answer, Node discards the rest as it arrives (chunk by
 * chunk, nothing kept) and the connection stays usable — closing it under a client still sending
 * would cost the client the answer (EPIPE). A body over maxBodyBytes gets its 413 and the
 * connection is closed a moment later, unread: draining refused uploads at network speed is itself
 * a flood of garbage.
 */
export async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: BodyLimits,
): Promise<Body | undefined> {
  const { maxBodyBytes, memory, client, pending } = limits;
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  const refuse = (status: number, message: string, headers: Record<string, string> = {}, close = false) => {
    if (close) {
      req.pause();
      res.setHeader("connection", "close");
      res.once("finish", () => setTimeout(() => req.socket.destroy(), REFUSED_LINGER_MS).unref());
    }
    sendJson(res, status, rpcError(-32000, message), headers);
  };
  const refuseError = (error: unknown) => {
    const e = error as SpecGateError;
    if (e.code === "E_TOO_LARGE") refuse(413, `${e.code}: ${e.message}`);
    else refuse(503, `${e.code}: ${e.message}`, { "retry-after": String(Math.ceil((e.retryAfterMs ?? 1000) / 1000)) });
  };
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    refuse(413, `Request body of ${declared} bytes exceeds the ${maxBodyBytes} byte limit.`, {}, true);
    return undefined;
  }
  if (Number.isFinite(declared) && declared * BODY_FACTOR > memory.budgetBytes) {
    const most = Math.floor(memory.budgetBytes / BODY_FACTOR / 1048576);
    refuse(
      413,
      `E_TOO_LARGE: a request body of ${Math.ceil(declared / 1048576)} MB is more than this server's memory limit lets it take (about ${most} MB); split the input, or raise SPECGATE_MEMORY_LIMIT_MB.`,
    );
    return undefined;
  }
  const meter = new JsonCostMeter();
  const held: Reservation[] = [];
  let reserved = 0;
  let total = 0;
  let counted = 0; // bytes counted in `pending` for this client
  pending.count++;
  // Once a body passes 1 MB, its memory is handed back as soon as its request is over.
  let relieving = false;
  const relieveOnClose = () => {
    if (relieving) return;
    relieving = true;
    res.once("close", () => memory.relieve());
  };
  const reserve = (bytes: number): boolean => {
    try {
      const r = memory.reserve(bytes, "this request");
      held.push(r);
      reserved += r.bytes;
      return true;
    } catch (error) {
      refuseError(error);
      return false;
    }
  };
  return new Promise<Body | undefined>((resolve) => {
    const chunks: Buffer[] = [];
    let smallChunks = 0;
    let tail: Buffer | undefined;
    let tailUsed = 0;
    const flushTail = () => {
      if (tail && tailUsed > 0) chunks.push(tail.subarray(0, tailUsed));
      tail = undefined;
      tailUsed = 0;
    };
    let settled = false;
    const release = () => {
      for (const r of held.splice(0)) r.release();
    };
    const finish = (body: Body | undefined) => {
      if (settled) return;
      settled = true;
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      pending.count--;
      pending.give(client, counted);
      counted = 0;
      if (!body) release();
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total >= 1024 * 1024) relieveOnClose();
      if (total > maxBodyBytes) {
        refuse(413, `Request body exceeds the ${maxBodyBytes} byte limit.`, {}, true);
        return finish(undefined);
      }
      const tooCostly = meter.push(chunk);
      if (tooCostly) {
        sendJson(res, 400, rpcError(-32700, tooCostly));
        return finish(undefined);
      }
      if (!pending.take(client, chunk.byteLength)) {
        const mb = Math.ceil(pending.clientLimitBytes / 1048576);
        refuse(
          503,
          `E_OVERLOADED: this client already has ${mb} MB of unfinished request bodies, its share of this server's memory (SPECGATE_HTTP_CLIENT_SHARE). Finish or cancel them, or retry in a moment.`,
          { "retry-after": "1" },
        );
        return finish(undefined);
      }
      counted += chunk.byteLength;
      if (total > reserved && !reserve(Math.ceil((total - reserved) / BODY_STEP) * BODY_STEP)) return finish(undefined);
      if (chunk.byteLength >= SMALL_CHUNK || ++smallChunks <= KEPT_SMALL_CHUNKS) {
        flushTail();
        chunks.push(chunk);
        return;
      }
      if (tail && tailUsed + chunk.byteLength > tail.length) flushTail();
      tail ??= Buffer.allocUnsafeSlow(BODY_STEP);
      chunk.copy(tail, tailUsed);
      tailUsed += chunk.byteLength;
    };
    const onEnd = () => {
      // Whole: from here on it costs what joining and parsing it will take.
      if (total * BODY_FACTOR > reserved && !reserve(total * BODY_FACTOR - reserved)) return finish(undefined);
      flushTail();
      finish({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), release });
    };
    const onError = () => {
      if (!res.headersSent) sendJson(res, 400, rpcError(-32000, "The request body could not be read."));
      finish(undefined);
    };
    const onClose = () => finish(undefined);
    req.on("data", onData).once("end", onEnd).once("error", onError).once("close", onClose);
  });
}
