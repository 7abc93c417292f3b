/**
 * Request bodies for the Streamable HTTP transport: read under a byte cap and under the memory
 * guard, refused (413/503) before or while they arrive, and never drained through a closed
 * socket. See readBody.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SpecGateError } from "../errors.js";
import type { MemoryGuard, Reservation } from "../perf/memory-guard.js";
import { rpcError, sendJson } from "./http-json.js";

export interface BodyLimits {
  maxBodyBytes: number;
  memory: MemoryGuard;
}

/** How long a connection whose body was refused stays open after the answer (for the client to read it). */
const REFUSED_LINGER_MS = 5000;

/** Body bytes reserved with the memory guard at a time while a request body arrives. */
const BODY_STEP = 1024 * 1024;

/**
 * Memory a body of N bytes costs while it is read, decoded, parsed, validated and keyed: about
 * 12 × N, measured on a 10 MB Confluence page (the V8 heap grows by ~95 MB, plus the chunks).
 */
const BODY_FACTOR = 12;

/**
 * Reads the body up to the cap, reserving with the memory guard what it will cost as it
 * arrives (BODY_FACTOR: the chunks, their concatenation, the string, the parsed JSON and its
 * validated copies, the cache key), so a client trickling a body it declared huge holds only
 * what it has sent. A body this server could not take even idle is refused before it is read
 * (413). The call then reserves its own cost; a large body is followed, once answered, by a
 * garbage collection when memory is half used (its copies are garbage V8 would keep a while).
 * A body refused for memory is at most maxBodyBytes: after the answer, Node discards the rest
 * as it arrives (chunk by chunk, nothing kept) and the connection stays usable — closing it
 * under a client still sending would cost the client the answer (EPIPE). A body over
 * maxBodyBytes gets its 413 and the connection is closed a moment later, unread. Answers (413/503) and returns undefined
 * when it must not be read: the rest of the body is then not read at all (draining refused
 * 10 MB bodies at network speed is itself a flood of garbage); the connection is closed a
 * moment after the answer, which the client reads even while its upload is stalled.
 */
export async function readBody(req: IncomingMessage, res: ServerResponse, limits: BodyLimits): Promise<string | undefined> {
  const { maxBodyBytes, memory } = limits;
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
    refuse(413, `E_TOO_LARGE: a request body of ${Math.ceil(declared / 1048576)} MB is more than this server's memory limit lets it take (about ${most} MB); split the input, or raise SPECGATE_MEMORY_LIMIT_MB.`);
    return undefined;
  }
  const held: Reservation[] = [];
  let reserved = 0;
  let total = 0;
  res.once("close", () => {
    if (total >= BODY_STEP) memory.relieve();
  });
  try {
    held.push(memory.reserve(Math.min(Number.isFinite(declared) ? declared : BODY_STEP, BODY_STEP) * BODY_FACTOR, "this request"));
    reserved = held[0]!.bytes;
  } catch (error) {
    refuseError(error);
    return undefined;
  }
  return new Promise<string | undefined>((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (body: string | undefined) => {
      if (settled) return;
      settled = true;
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      for (const r of held.splice(0)) r.release();
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBodyBytes) {
        refuse(413, `Request body exceeds the ${maxBodyBytes} byte limit.`, {}, true);
        return finish(undefined);
      }
      if (total * BODY_FACTOR > reserved) {
        try {
          const more = memory.reserve(Math.max(total * BODY_FACTOR - reserved, BODY_STEP * BODY_FACTOR), "this request");
          held.push(more);
          reserved += more.bytes;
        } catch (error) {
          refuseError(error);
          return finish(undefined);
        }
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, total).toString("utf8"));
    const onError = () => {
      if (!res.headersSent) sendJson(res, 400, rpcError(-32000, "The request body could not be read."));
      finish(undefined);
    };
    const onClose = () => finish(undefined);
    req.on("data", onData).once("end", onEnd).once("error", onError).once("close", onClose);
  });
}
