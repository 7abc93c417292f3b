/**
 * From the configuration (its Confluence part, {@link ConfluenceConfig}) to what the client needs: the wiki base URL, the flavour and the
 * Authorization header, and how the network is crossed (proxy, client certificate, custom headers:
 * network.ts). Missing or contradictory settings become one E_CONFIG error that names
 * the variables to set — raised when confluence_fetch is called, never at startup, because the
 * other tools work without Confluence.
 */
import { SpecGateError } from "../../errors.js";
import { resolveNetwork, type ConfluenceNetwork } from "./network.js";
import type { ConfluenceConfig } from "./ports.js";
import { basicCredential } from "../../secrets.js";
import type { Flavour } from "./types.js";
import { trimEndChars } from "../text.js";

export type ConfluenceAuth =
  { kind: "basic"; user: string; secret: string } | { kind: "bearer"; token: string } | { kind: "none" };

export interface ConfluenceSettings {
  /** The wiki base, no trailing slash: `https://acme.atlassian.net/wiki`, `https://dc.example.com/confluence`. */
  baseUrl: URL;
  flavour: Flavour;
  auth: ConfluenceAuth;
  concurrency: number;
  freshMs: number;
  requestTimeoutMs: number;
  /** Proxy, TLS client certificate and CA, custom headers (network.ts). */
  network: ConfluenceNetwork;
}

const SETUP_HINT =
  "Set CONFLUENCE_BASE_URL (Cloud: https://<site>.atlassian.net/wiki; Data Center: your wiki's base URL) and credentials: " +
  "CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN for Cloud, or CONFLUENCE_PAT (a personal access token) for Data Center.";

/** True for Atlassian-hosted sites. */
export function isCloudHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h.endsWith(".atlassian.net") || h.endsWith(".jira.com");
}

/**
 * Resolves the Confluence settings, or throws E_CONFIG naming what to set.
 * Auth: `CONFLUENCE_AUTH` wins; otherwise a PAT means Bearer and email + token mean Basic; with
 * both, Cloud takes Basic and Data Center takes Bearer.
 */
export function resolveConfluenceSettings(config: { readonly confluence: ConfluenceConfig }): ConfluenceSettings {
  const c = config.confluence;
  if (!c.baseUrl)
    throw new SpecGateError("E_CONFIG", `Confluence is not configured. ${SETUP_HINT}`, {
      details: { missing: ["CONFLUENCE_BASE_URL"] },
    });
  let baseUrl: URL;
  try {
    baseUrl = new URL(c.baseUrl);
  } catch {
    throw new SpecGateError("E_CONFIG", `CONFLUENCE_BASE_URL is not a URL. ${SETUP_HINT}`);
  }
  if (baseUrl.protocol !== "https:" && baseUrl.protocol !== "http:") {
    throw new SpecGateError("E_CONFIG", "CONFLUENCE_BASE_URL must be an http(s) URL.");
  }
  if (baseUrl.username || baseUrl.password) {
    throw new SpecGateError(
      "E_CONFIG",
      "CONFLUENCE_BASE_URL must not carry credentials; use CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN or CONFLUENCE_PAT.",
    );
  }
  const flavour: Flavour = c.flavour ?? (isCloudHost(baseUrl.hostname) ? "cloud" : "datacenter");
  baseUrl.search = "";
  baseUrl.hash = "";
  let path = trimEndChars(baseUrl.pathname, "/");
  // The most common Cloud mistake: the site URL without /wiki.
  if (flavour === "cloud" && path === "" && isCloudHost(baseUrl.hostname)) path = "/wiki";
  baseUrl.pathname = path === "" ? "/" : path;

  const auth = chooseAuth(config, flavour);
  return {
    baseUrl,
    flavour,
    auth,
    concurrency: c.concurrency,
    freshMs: c.freshMs,
    requestTimeoutMs: c.requestTimeoutMs,
    network: resolveNetwork(baseUrl, c),
  };
}

function chooseAuth(config: { readonly confluence: ConfluenceConfig }, flavour: Flavour): ConfluenceAuth {
  const { email, apiToken, pat, auth } = config.confluence;
  const basic = email && apiToken ? ({ kind: "basic", user: email, secret: apiToken } as const) : undefined;
  const bearer = pat ? ({ kind: "bearer", token: pat } as const) : undefined;
  if (auth === "none") return { kind: "none" };
  if (auth === "basic") {
    if (basic) return basic;
    throw new SpecGateError(
      "E_CONFIG",
      "CONFLUENCE_AUTH=basic needs CONFLUENCE_EMAIL (the Data Center username on Data Center) and CONFLUENCE_API_TOKEN.",
      {
        details: {
          missing: [email ? undefined : "CONFLUENCE_EMAIL", apiToken ? undefined : "CONFLUENCE_API_TOKEN"].filter(
            Boolean,
          ),
        },
      },
    );
  }
  if (auth === "bearer") {
    if (bearer) return bearer;
    throw new SpecGateError("E_CONFIG", "CONFLUENCE_AUTH=bearer needs CONFLUENCE_PAT (a personal access token).", {
      details: { missing: ["CONFLUENCE_PAT"] },
    });
  }
  if (basic && bearer) return flavour === "cloud" ? basic : bearer;
  if (basic) return basic;
  if (bearer) return bearer;
  if (email || apiToken) {
    const missing = email ? "CONFLUENCE_API_TOKEN" : "CONFLUENCE_EMAIL";
    throw new SpecGateError(
      "E_CONFIG",
      `Confluence credentials are incomplete: set ${missing} too (Basic auth needs both CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN).`,
      {
        details: { missing: [missing] },
      },
    );
  }
  const need =
    flavour === "cloud"
      ? "CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN (an API token from id.atlassian.com)"
      : "CONFLUENCE_PAT (a personal access token)";
  throw new SpecGateError(
    "E_CONFIG",
    `Confluence credentials are missing: ${flavour === "cloud" ? "Cloud" : "Data Center"} needs ${need}. For a wiki that allows anonymous reading, set CONFLUENCE_AUTH=none.`,
    { details: { missing: flavour === "cloud" ? ["CONFLUENCE_EMAIL", "CONFLUENCE_API_TOKEN"] : ["CONFLUENCE_PAT"] } },
  );
}

/** The Authorization header value for these settings, or undefined for anonymous access. */
export function authorizationHeader(auth: ConfluenceAuth): string | undefined {
  if (auth.kind === "basic") return `Basic ${basicCredential(auth.user, auth.secret)}`;
  if (auth.kind === "bearer") return `Bearer ${auth.token}`;
  return undefined;
}
