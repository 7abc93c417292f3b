/**
 * Upstream failures → SpecGate errors whose messages say what to do. Raw bodies go to the log,
 * never into messages; the one exception is the short reason Confluence gives for a 400 (a CQL
 * syntax error, say), which the caller needs to fix the query. Every body reaching this module has
 * already been scrubbed of the client's credentials (http.ts), so a reason that echoes the
 * request's headers carries `[redacted]`, never the token or its Basic encoding.
 */
import { SpecGateError } from "../../errors.js";
import { networkCode } from "./retry.js";
import type { ConfluenceAuth } from "./settings.js";
import type { Flavour } from "./types.js";

export interface FailureContext {
  flavour: Flavour;
  auth: ConfluenceAuth["kind"];
  /** What was asked for, for messages: "page 123", "the search". */
  what: string;
  /** "content" when the path named a page; "api" for searches and lookups (a 404 then means a wrong base URL). */
  target: "content" | "api";
  host: string;
}

const SCOPES_HINT =
  "a scoped Cloud API token needs read:page:confluence, read:label:confluence, read:space:confluence and search:confluence";

/** The final error for a non-2xx response (after retries, if any were allowed). */
export function statusError(status: number, body: string, ctx: FailureContext, retryAfterMs?: number): SpecGateError {
  const details = { status, upstream: "confluence" };
  switch (status) {
    case 401:
      return new SpecGateError("E_AUTH", `Confluence rejected the credentials (401). ${credentialsHint(ctx)}`, {
        details,
      });
    case 403:
      return new SpecGateError(
        "E_FORBIDDEN",
        `The Confluence account may not read ${ctx.what} (403). Ask a space admin for View permission, or use an account that has it${ctx.flavour === "cloud" ? ` (${SCOPES_HINT})` : ""}.`,
        { details },
      );
    case 404:
      return ctx.target === "content"
        ? new SpecGateError(
            "E_NOT_FOUND",
            `${capitalize(ctx.what)} was not found (404): it does not exist, was deleted, or the account cannot see it (Confluence answers 404 for restricted pages too).`,
            { details },
          )
        : new SpecGateError(
            "E_NOT_FOUND",
            `Confluence answered 404 for ${ctx.what}: check CONFLUENCE_BASE_URL (Cloud: https://<site>.atlassian.net/wiki; Data Center: include the context path, e.g. https://wiki.example.com/confluence).`,
            { details },
          );
    case 429:
      return new SpecGateError(
        "E_RATE_LIMITED",
        `Confluence is rate-limiting these requests (429)${retryAfterMs !== undefined ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s` : "; retry in a minute"}, or fetch fewer pages at once.`,
        { details, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
      );
    case 400: {
      const reason = upstreamReason(body);
      return new SpecGateError(
        "E_INVALID_INPUT",
        `Confluence rejected the request for ${ctx.what} (400)${reason ? `: ${reason}` : ""}. Check the CQL or the arguments.`,
        {
          details,
        },
      );
    }
    default:
      if (status >= 500) {
        return new SpecGateError(
          "E_UPSTREAM",
          `Confluence failed with ${status} for ${ctx.what}. It may be overloaded or down; retry in a moment.`,
          {
            details,
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          },
        );
      }
      if (status >= 300 && status < 400) {
        return new SpecGateError(
          "E_UPSTREAM",
          `Confluence redirected ${ctx.what} (${status}) to another address, which SpecGate does not follow. Set CONFLUENCE_BASE_URL to the wiki's final address (https, context path).`,
          { details },
        );
      }
      return new SpecGateError("E_UPSTREAM", `Confluence answered ${status} for ${ctx.what}.`, { details });
  }
}

/** The final error for a network failure (after retries, if any were allowed). */
export function networkError(error: unknown, ctx: FailureContext, timeoutMs: number): SpecGateError {
  const code = networkCode(error) ?? "unknown";
  const details = { network: code, upstream: "confluence" };
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new SpecGateError(
      "E_TIMEOUT",
      `Confluence did not answer ${ctx.what} within ${seconds} (SPECGATE_CONFLUENCE_TIMEOUT_MS). Retry later.`,
      { details, cause: error },
    );
  }
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT") {
    return new SpecGateError(
      "E_TIMEOUT",
      `Could not connect to ${ctx.host} in time. Check the network path to Confluence and retry.`,
      { details, cause: error },
    );
  }
  if (code === "ENOTFOUND") {
    return new SpecGateError("E_UPSTREAM", `Cannot resolve ${ctx.host}: check CONFLUENCE_BASE_URL and DNS.`, {
      details,
      cause: error,
      retryable: false,
    });
  }
  if (code === "ECONNREFUSED") {
    return new SpecGateError(
      "E_UPSTREAM",
      `${ctx.host} refused the connection: check CONFLUENCE_BASE_URL (host and port) and that Confluence is up.`,
      { details, cause: error },
    );
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new SpecGateError(
      "E_UPSTREAM",
      `The TLS certificate of ${ctx.host} is not trusted (${code}). For an internal CA, set CONFLUENCE_CA_CERT=/path/to/ca.pem (or start SpecGate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem).`,
      { details, cause: error, retryable: false },
    );
  }
  return new SpecGateError(
    "E_UPSTREAM",
    `The connection to Confluence failed while reading ${ctx.what} (${code}). Retry in a moment.`,
    { details, cause: error },
  );
}

function credentialsHint(ctx: FailureContext): string {
  if (ctx.auth === "none")
    return "This Confluence does not allow anonymous reading: set CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN (Cloud) or CONFLUENCE_PAT (Data Center).";
  if (ctx.flavour === "cloud") {
    return ctx.auth === "bearer"
      ? "Cloud needs CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN (Basic auth with an API token from id.atlassian.com); CONFLUENCE_PAT is a Data Center credential."
      : "Cloud needs CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN: the account's e-mail and an API token from id.atlassian.com (not the password). Check that the token is not expired or revoked.";
  }
  return ctx.auth === "bearer"
    ? "Data Center needs a valid CONFLUENCE_PAT (a personal access token from your profile's settings); check that it has not expired or been revoked."
    : "Data Center needs CONFLUENCE_PAT (a personal access token, preferred) or CONFLUENCE_EMAIL (the username) + CONFLUENCE_API_TOKEN (the password).";
}

/** The short reason in a Confluence error body (v1 `message`, v2 `errors[0]`), cleaned and truncated. */
export function upstreamReason(body: string): string | undefined {
  let reason: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; errors?: { title?: unknown; detail?: unknown }[] };
    if (typeof parsed.message === "string") reason = parsed.message;
    else if (Array.isArray(parsed.errors) && parsed.errors[0]) {
      const e = parsed.errors[0];
      reason = [e.title, e.detail].filter((x): x is string => typeof x === "string" && x.length > 0).join(": ");
    }
  } catch {
    reason = body.startsWith("<") ? undefined : body.split("\n")[0];
  }
  if (!reason) return undefined;
  const clean = reason.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean || undefined;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
