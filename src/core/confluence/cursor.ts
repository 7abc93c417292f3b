/**
 * `next_cursor`: an opaque token for "the next page of this query's results". It carries a hash
 * of the CQL (so it cannot be replayed against another query) and the position: Cloud's
 * `_links.next` search link or Data Center's `start` offset. A decoded link is accepted only
 * if it is the v1 search path, so a forged cursor cannot steer requests anywhere else.
 */
import { createHash } from "node:crypto";
import { SpecGateError } from "../../errors.js";
import type { SearchPosition } from "./types.js";
import { V1_SEARCH_PATH } from "./v1.js";

interface CursorBody {
  v: 1;
  q: string;
  n?: string;
  s?: number;
}

function queryTag(cql: string): string {
  return createHash("sha256").update(cql).digest("base64url").slice(0, 16);
}

export function encodeCursor(cql: string, position: SearchPosition): string {
  const body: CursorBody = {
    v: 1,
    q: queryTag(cql),
    ...("next" in position ? { n: position.next } : { s: position.start }),
  };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, cql: string): SearchPosition {
  const invalid = (why: string) =>
    new SpecGateError(
      "E_INVALID_INPUT",
      `cursor is not valid (${why}). Pass the next_cursor of a previous call together with the same cql/label arguments.`,
    );
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorBody;
  } catch {
    throw invalid("unreadable");
  }
  if (!body || typeof body !== "object" || body.v !== 1) throw invalid("unreadable");
  if (body.q !== queryTag(cql)) throw invalid("it belongs to a different query");
  if (typeof body.n === "string" && body.n.startsWith(`${V1_SEARCH_PATH}?`) && body.n.length < 4096)
    return { next: body.n };
  if (typeof body.s === "number" && Number.isInteger(body.s) && body.s >= 0 && body.s <= 10_000_000)
    return { start: body.s };
  throw invalid("no position");
}
