/**
 * Configuration, parsed once at the edge.
 *
 * `loadConfig(env)` is pure: it reads only the object it is given, validates it with zod and
 * returns a frozen, typed {@link Config}. Nothing below the entry points reads `process.env`.
 * A bad value throws a {@link ConfigError} whose message names the variable.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import { networkSecrets, parseCustomHeaders } from "./core/confluence/network.js";
import { trimEndChars } from "./core/text.js";
import { basicCredential } from "./secrets.js";
import { ConfigError } from "./config-error.js";
import { PARSE_ONCE } from "./parse-once.js";

export { ConfigError };

const MB = 1024 * 1024;

/**
 * The groups of MCP tools SPECGATE_TOOLSETS selects from, in the order of the typical flow:
 * confluence (confluence_fetch, html_to_md), lint (speclint_lint), rules (rule_extract), generate
 * (spec_generate, spec_write), check (rule_check), gate (gate_score), cache (cache_stats,
 * cache_invalidate). The default serves them all.
 */
export const TOOLSETS = ["confluence", "lint", "rules", "generate", "check", "gate", "cache"] as const;
export type Toolset = (typeof TOOLSETS)[number];

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes" || v === "on");

const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = z.string().url();

/** SPECGATE_MEMORY_LIMIT_MB when unset. */
const DEFAULT_MEMORY_LIMIT_MB = 1024;

/** The environment variables SpecGate reads, with defaults. Unknown variables are ignored. */
const EnvSchema = z.object({
  SPECGATE_HTTP_HOST: z.string().min(1).default("127.0.0.1"),
  SPECGATE_HTTP_PORT: port.optional(),
  PORT: port.optional(),
  SPECGATE_HTTP_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  SPECGATE_HTTP_ALLOWED_ORIGINS: list.optional(),
  SPECGATE_HTTP_ALLOWED_HOSTS: list.optional(),
  SPECGATE_HTTP_MAX_BODY_MB: positiveInt.max(256).default(32),
  SPECGATE_HTTP_STATELESS: bool.default(false),
  SPECGATE_HTTP_MAX_SESSIONS: positiveInt.default(1000),
  SPECGATE_HTTP_SESSION_IDLE_S: positiveInt.default(1800),
  SPECGATE_HTTP_CLIENT_SHARE: positiveInt.max(100, "must be a percentage from 1 to 100").default(25),
  SPECGATE_HTTP_RATE_LIMIT_RPS: z.coerce.number().min(0).default(0),
  SPECGATE_HTTP_RATE_LIMIT_BURST: positiveInt.optional(),
  SPECGATE_HTTP_TRUST_PROXY: bool.default(false),
  SPECGATE_HTTP_CORS_ORIGINS: list.optional(),
  SPECGATE_HTTP_HEADERS_TIMEOUT_MS: positiveInt.max(600_000).default(15_000),
  SPECGATE_HTTP_REQUEST_TIMEOUT_MS: positiveInt.max(3_600_000).default(60_000),
  SPECGATE_MEMORY_LIMIT_MB: positiveInt.min(128).default(DEFAULT_MEMORY_LIMIT_MB),
  SPECGATE_MAX_CONCURRENCY: positiveInt.max(1024).default(16),
  SPECGATE_MAX_QUEUE: positiveInt.default(1000),
  SPECGATE_TOOL_TIMEOUT_MS: positiveInt.max(600_000).default(30_000),
  SPECGATE_MAX_RESULT_MB: positiveInt.max(1024).default(32),
  SPECGATE_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  SPECGATE_WORKER_MIN_KB: z.coerce
    .number()
    .int()
    .min(0)
    .max(10 * 1024)
    .default(128),
  SPECGATE_WORKER_YOUNG_MB: positiveInt.min(8).max(512).optional(),
  SPECGATE_SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  SPECGATE_CACHE_L1_MB: positiveInt.default(128),
  SPECGATE_CACHE_PREFIX: z.string().min(1).default("specgate:"),
  SPECGATE_WORKSPACE: z.string().min(1).optional(),
  SPECGATE_DOCS_URL: url.refine((v) => /^https?:\/\//i.test(v), "must be an http(s) URL").optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
    .optional(),
  REDIS_CLUSTER_NODES: list.optional(),
  REDIS_SENTINELS: list.optional(),
  REDIS_SENTINEL_MASTER: z.string().min(1).default("mymaster"),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_TLS: bool.default(false),
  SPECGATE_REDIS_TIMEOUT_MS: positiveInt.max(10_000).default(50),
  SPECGATE_REDIS_CONNECT_TIMEOUT_MS: positiveInt.max(60_000).default(2000),
  SPECGATE_REDIS_BREAKER_THRESHOLD: positiveInt.max(1000).default(5),
  SPECGATE_REDIS_BREAKER_COOLDOWN_MS: positiveInt.max(600_000).default(5000),
  SPECGATE_CACHE_LOCK_TTL_MS: positiveInt.min(100).max(600_000).default(10_000),
  SPECGATE_CACHE_L1_TTL_S: positiveInt.max(86_400).default(300),
  CONFLUENCE_BASE_URL: url.optional(),
  CONFLUENCE_EMAIL: z.string().min(1).optional(),
  CONFLUENCE_API_TOKEN: z.string().min(1).optional(),
  CONFLUENCE_PAT: z.string().min(1).optional(),
  CONFLUENCE_AUTH: z.enum(["basic", "bearer", "none"]).optional(),
  CONFLUENCE_FLAVOUR: z
    .enum(["cloud", "datacenter", "server", "dc"])
    .transform((v) => (v === "cloud" ? "cloud" : "datacenter"))
    .optional(),
  SPECGATE_CONFLUENCE_CONCURRENCY: positiveInt.max(64).default(16),
  SPECGATE_CONFLUENCE_FRESH_S: z.coerce.number().int().min(0).max(3600).default(30),
  SPECGATE_CONFLUENCE_TIMEOUT_MS: positiveInt.max(120_000).default(20_000),
  CONFLUENCE_CLIENT_CERT: z.string().min(1).optional(),
  CONFLUENCE_CLIENT_KEY: z.string().min(1).optional(),
  CONFLUENCE_CA_CERT: z.string().min(1).optional(),
  CONFLUENCE_CUSTOM_HEADERS: z.string().optional(),
  // The standard proxy variables; the lower-case form wins, as with curl and undici.
  https_proxy: z.string().optional(),
  HTTPS_PROXY: z.string().optional(),
  http_proxy: z.string().optional(),
  HTTP_PROXY: z.string().optional(),
  no_proxy: z.string().optional(),
  NO_PROXY: z.string().optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_API_URL: url.default("https://api.github.com"),
  GITHUB_REPOSITORY: z.string().optional(),
  GITHUB_SERVER_URL: url.default("https://github.com"),
  GITHUB_SHA: z.string().optional(),
  GITHUB_EVENT_PATH: z.string().optional(),
  GITHUB_STEP_SUMMARY: z.string().optional(),
  SPECGATE_TOOLSETS: list.optional(),
  SPECGATE_READ_ONLY: bool.default(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface Config {
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly token: string | undefined;
    /** `undefined` = the defaults derived from host and port; `["*"]` = any. */
    readonly allowedOrigins: readonly string[] | undefined;
    readonly allowedHosts: readonly string[] | undefined;
    readonly maxBodyBytes: number;
    readonly stateless: boolean;
    readonly maxSessions: number;
    readonly sessionIdleMs: number;
    /**
     * Percent of the sessions, and of the memory for request bodies still arriving, that one
     * client (address, or the first X-Forwarded-For address behind a trusted proxy) may hold.
     */
    readonly clientSharePercent: number;
    /** Requests per second per client on /mcp; 0 = no limit. */
    readonly rateLimitPerSecond: number;
    readonly rateLimitBurst: number;
    /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
    readonly trustProxy: boolean;
    /** Browser origins allowed to call /mcp cross-origin (CORS); none by default. */
    readonly corsOrigins: readonly string[];
    /** A client must send its request headers within this long (slow-header attacks). */
    readonly headersTimeoutMs: number;
    /** …and its whole request (headers and body) within this long (slow-body attacks). */
    readonly requestTimeoutMs: number;
  };
  readonly limits: {
    readonly memoryLimitBytes: number;
    readonly maxConcurrency: number;
    readonly maxQueue: number;
    /** Default per-call deadline; tools may declare a shorter or longer one (capped by this × 2). */
    readonly toolTimeoutMs: number;
    readonly shutdownTimeoutMs: number;
    /** Inputs (documents, pages) above this are refused with E_TOO_LARGE. */
    readonly maxDocumentBytes: number;
    /** The largest answer one call may return, in characters of its JSON (E_TOO_LARGE above). */
    readonly maxResultBytes: number;
    /** Worker threads for CPU-heavy tool work; 0 = everything on the main thread. */
    readonly workers: number;
    /** Inputs shorter than this (characters) are worked on the main thread, where they are faster. */
    readonly workerMinChars: number;
    /** Each worker's young generation (V8's nursery), in MB. */
    readonly workerYoungMb: number;
  };
  readonly cache: {
    readonly l1MaxBytes: number;
    readonly prefix: string;
    readonly redisUrl: string | undefined;
    readonly redisClusterNodes: readonly string[] | undefined;
    /** Sentinel `host:port` list; with it, `redisSentinelMaster` names the monitored master. */
    readonly redisSentinels: readonly string[] | undefined;
    readonly redisSentinelMaster: string;
    readonly redisSentinelPassword: string | undefined;
    /** Credentials for cluster nodes and sentinel-managed servers (REDIS_URL carries its own). */
    readonly redisUsername: string | undefined;
    readonly redisPassword: string | undefined;
    /** TLS for cluster nodes and sentinel-managed servers (REDIS_URL uses `rediss://`). */
    readonly redisTls: boolean;
    /** Upper bound of one L2 read (writes and scans get a few times more). */
    readonly redisTimeoutMs: number;
    readonly redisConnectTimeoutMs: number;
    /** Consecutive L2 failures that open the circuit breaker. */
    readonly breakerThreshold: number;
    /** How long an open breaker skips L2 before probing it again. */
    readonly breakerCooldownMs: number;
    /** Expiry of a distributed single-flight lock (refreshed while its holder computes). */
    readonly lockTtlMs: number;
    /** With an L2, L1 keeps entries at most this long, bounding staleness after a missed invalidation. */
    readonly l1MaxTtlWithRemoteMs: number;
  };
  readonly confluence: {
    readonly baseUrl: string | undefined;
    readonly email: string | undefined;
    readonly apiToken: string | undefined;
    readonly pat: string | undefined;
    /** `none` = anonymous access (public wikis). Default: chosen from the credentials given. */
    readonly auth: "basic" | "bearer" | "none" | undefined;
    /** Default: `cloud` for `*.atlassian.net`, `datacenter` otherwise. */
    readonly flavour: "cloud" | "datacenter" | undefined;
    /** Upstream requests in flight at once (separate from the tool semaphore). */
    readonly concurrency: number;
    /** A cached page older than this is revalidated with a version-only request (0 = always). */
    readonly freshMs: number;
    /** Per-request bound on waiting for response headers and between body chunks. */
    readonly requestTimeoutMs: number;
    /** The forward proxy for http:// and https:// bases (HTTP_PROXY, HTTPS_PROXY; may carry credentials). */
    readonly httpProxy: string | undefined;
    readonly httpsProxy: string | undefined;
    /** Hosts reached without the proxy (NO_PROXY). */
    readonly noProxy: string | undefined;
    /** Absolute paths of the PEM files for mutual TLS and a private CA. */
    readonly clientCertFile: string | undefined;
    readonly clientKeyFile: string | undefined;
    readonly caCertFile: string | undefined;
    /** Sent on every Confluence request (CONFLUENCE_CUSTOM_HEADERS); the values are secrets. */
    readonly customHeaders: readonly (readonly [string, string])[];
  };
  readonly github: {
    readonly token: string | undefined;
    readonly apiUrl: string;
    readonly repository: string | undefined;
    /** Web URL for links to code (GitHub Enterprise: its own). */
    readonly serverUrl: string;
    /** The GitHub Actions context, when running in Actions: commit, event payload file, job summary file. */
    readonly sha: string | undefined;
    readonly eventPath: string | undefined;
    readonly stepSummary: string | undefined;
  };
  /** Root under which `spec_generate` may write and rulesets may be loaded from. */
  readonly workspace: string;
  /**
   * Absolute base URL of SpecGate's docs for SARIF `helpUri`s (`<docsUrl>/rules/<code>.md`);
   * `undefined` = the default (src/core/lint/catalog.ts DEFAULT_DOCS_URL).
   */
  readonly docsUrl: string | undefined;
  /** Which MCP tools the server lists and runs. */
  readonly mcp: {
    /** SPECGATE_TOOLSETS; every toolset by default. */
    readonly toolsets: readonly Toolset[];
    /** SPECGATE_READ_ONLY: only tools whose readOnlyHint is true (nothing that writes or invalidates). */
    readonly readOnly: boolean;
  };
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

/** `host:port`, `[v6]:port` or a `redis://` / `rediss://` URL with a port. */
const REDIS_NODE = /^(?:rediss?:\/\/(?:[^@/\s]+@)?)?(?:\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}\/?$/;

/** Below this memory cap (MB) the default is no worker threads (SPECGATE_WORKERS=0). */
export const MIN_WORKER_CAP_MB = 512;

/** Maximum size of one document, page or HTML input: 10 MB. */
export const MAX_DOCUMENT_BYTES = 10 * MB;

/**
 * Parses the environment into a frozen Config. Empty strings count as unset, so
 * `REDIS_URL= specgate serve` behaves like no Redis at all.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = {}, cwd = "."): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") cleaned[key] = value.trim();
  }
  const parsed = EnvSchema.safeParse(cleaned, PARSE_ONCE);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      return `${name}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration — ${lines.join("; ")}`);
  }
  const e = parsed.data;
  const redisModes = [
    e.REDIS_URL && "REDIS_URL",
    e.REDIS_CLUSTER_NODES?.length && "REDIS_CLUSTER_NODES",
    e.REDIS_SENTINELS?.length && "REDIS_SENTINELS",
  ].filter(Boolean);
  if (redisModes.length > 1) {
    throw new ConfigError(
      `Invalid configuration — ${redisModes.join(", ")}: set only one of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS`,
    );
  }
  for (const [name, nodes] of [
    ["REDIS_CLUSTER_NODES", e.REDIS_CLUSTER_NODES],
    ["REDIS_SENTINELS", e.REDIS_SENTINELS],
  ] as const) {
    const bad = nodes?.find((n) => !REDIS_NODE.test(n));
    if (bad !== undefined)
      throw new ConfigError(`Invalid configuration — ${name}: "${bad}" is not host:port or redis[s]://host:port`);
  }
  let customHeaders: [string, string][];
  try {
    customHeaders = parseCustomHeaders(e.CONFLUENCE_CUSTOM_HEADERS ?? "");
  } catch (error) {
    throw new ConfigError(`Invalid configuration — CONFLUENCE_CUSTOM_HEADERS: ${(error as Error).message}`);
  }
  const file = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  const toolsets = parseToolsets(e.SPECGATE_TOOLSETS);
  const config: Config = {
    http: {
      host: e.SPECGATE_HTTP_HOST,
      port: e.SPECGATE_HTTP_PORT ?? e.PORT ?? 3000,
      token: e.SPECGATE_HTTP_TOKEN,
      allowedOrigins: e.SPECGATE_HTTP_ALLOWED_ORIGINS,
      allowedHosts: e.SPECGATE_HTTP_ALLOWED_HOSTS,
      maxBodyBytes: e.SPECGATE_HTTP_MAX_BODY_MB * MB,
      stateless: e.SPECGATE_HTTP_STATELESS,
      maxSessions: e.SPECGATE_HTTP_MAX_SESSIONS,
      sessionIdleMs: e.SPECGATE_HTTP_SESSION_IDLE_S * 1000,
      clientSharePercent: e.SPECGATE_HTTP_CLIENT_SHARE,
      rateLimitPerSecond: e.SPECGATE_HTTP_RATE_LIMIT_RPS,
      rateLimitBurst: e.SPECGATE_HTTP_RATE_LIMIT_BURST ?? Math.max(1, Math.ceil(e.SPECGATE_HTTP_RATE_LIMIT_RPS * 2)),
      trustProxy: e.SPECGATE_HTTP_TRUST_PROXY,
      corsOrigins: e.SPECGATE_HTTP_CORS_ORIGINS ?? [],
      headersTimeoutMs: Math.min(e.SPECGATE_HTTP_HEADERS_TIMEOUT_MS, e.SPECGATE_HTTP_REQUEST_TIMEOUT_MS),
      requestTimeoutMs: e.SPECGATE_HTTP_REQUEST_TIMEOUT_MS,
    },
    limits: {
      memoryLimitBytes: e.SPECGATE_MEMORY_LIMIT_MB * MB,
      maxConcurrency: e.SPECGATE_MAX_CONCURRENCY,
      maxQueue: e.SPECGATE_MAX_QUEUE,
      toolTimeoutMs: e.SPECGATE_TOOL_TIMEOUT_MS,
      shutdownTimeoutMs: e.SPECGATE_SHUTDOWN_TIMEOUT_MS,
      maxDocumentBytes: MAX_DOCUMENT_BYTES,
      maxResultBytes: e.SPECGATE_MAX_RESULT_MB * MB,
      // A worker holds ~30 MB of its own (its heap, the tools' code): under a small cap that
      // room is worth more to the calls themselves.
      workers:
        e.SPECGATE_WORKERS ??
        (e.SPECGATE_MEMORY_LIMIT_MB < MIN_WORKER_CAP_MB ? 0 : Math.max(1, Math.min(availableParallelism(), 4))),
      workerMinChars: e.SPECGATE_WORKER_MIN_KB * 1024,
      // Above V8's 48 MB for a worker: a document's parse makes garbage in bursts, and a larger
      // nursery collects it less often and promotes less of it (bench/cores-gc.ts). Smaller under
      // a small cap, where the room is worth more to the calls themselves.
      workerYoungMb: e.SPECGATE_WORKER_YOUNG_MB ?? (e.SPECGATE_MEMORY_LIMIT_MB < DEFAULT_MEMORY_LIMIT_MB ? 48 : 64),
    },
    cache: {
      l1MaxBytes: e.SPECGATE_CACHE_L1_MB * MB,
      prefix: e.SPECGATE_CACHE_PREFIX,
      redisUrl: e.REDIS_URL,
      redisClusterNodes: e.REDIS_CLUSTER_NODES?.length ? e.REDIS_CLUSTER_NODES : undefined,
      redisSentinels: e.REDIS_SENTINELS?.length ? e.REDIS_SENTINELS : undefined,
      redisSentinelMaster: e.REDIS_SENTINEL_MASTER,
      redisSentinelPassword: e.REDIS_SENTINEL_PASSWORD,
      redisUsername: e.REDIS_USERNAME,
      redisPassword: e.REDIS_PASSWORD,
      redisTls: e.REDIS_TLS,
      redisTimeoutMs: e.SPECGATE_REDIS_TIMEOUT_MS,
      redisConnectTimeoutMs: e.SPECGATE_REDIS_CONNECT_TIMEOUT_MS,
      breakerThreshold: e.SPECGATE_REDIS_BREAKER_THRESHOLD,
      breakerCooldownMs: e.SPECGATE_REDIS_BREAKER_COOLDOWN_MS,
      lockTtlMs: e.SPECGATE_CACHE_LOCK_TTL_MS,
      l1MaxTtlWithRemoteMs: e.SPECGATE_CACHE_L1_TTL_S * 1000,
    },
    confluence: {
      baseUrl: e.CONFLUENCE_BASE_URL === undefined ? undefined : trimEndChars(e.CONFLUENCE_BASE_URL, "/"),
      email: e.CONFLUENCE_EMAIL,
      apiToken: e.CONFLUENCE_API_TOKEN,
      pat: e.CONFLUENCE_PAT,
      auth: e.CONFLUENCE_AUTH,
      flavour: e.CONFLUENCE_FLAVOUR,
      concurrency: e.SPECGATE_CONFLUENCE_CONCURRENCY,
      freshMs: e.SPECGATE_CONFLUENCE_FRESH_S * 1000,
      requestTimeoutMs: e.SPECGATE_CONFLUENCE_TIMEOUT_MS,
      httpProxy: e.http_proxy ?? e.HTTP_PROXY,
      httpsProxy: e.https_proxy ?? e.HTTPS_PROXY,
      noProxy: e.no_proxy ?? e.NO_PROXY,
      clientCertFile: file(e.CONFLUENCE_CLIENT_CERT),
      clientKeyFile: file(e.CONFLUENCE_CLIENT_KEY),
      caCertFile: file(e.CONFLUENCE_CA_CERT),
      customHeaders,
    },
    github: {
      token: e.GITHUB_TOKEN,
      apiUrl: trimEndChars(e.GITHUB_API_URL, "/"),
      repository: e.GITHUB_REPOSITORY,
      serverUrl: trimEndChars(e.GITHUB_SERVER_URL, "/"),
      sha: e.GITHUB_SHA,
      eventPath: e.GITHUB_EVENT_PATH,
      stepSummary: e.GITHUB_STEP_SUMMARY,
    },
    workspace: path.resolve(cwd, e.SPECGATE_WORKSPACE ?? "."),
    docsUrl: e.SPECGATE_DOCS_URL === undefined ? undefined : trimEndChars(e.SPECGATE_DOCS_URL, "/"),
    mcp: { toolsets, readOnly: e.SPECGATE_READ_ONLY },
    logLevel: e.LOG_LEVEL,
  };
  return deepFreeze(config);
}

/** SPECGATE_TOOLSETS: known names only (`all` = every one); unset or empty = every one. */
function parseToolsets(names: readonly string[] | undefined): readonly Toolset[] {
  if (!names?.length) return TOOLSETS;
  const lower = names.map((n) => n.toLowerCase());
  if (lower.includes("all")) return TOOLSETS;
  const unknown = lower.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new ConfigError(
      `Invalid configuration — SPECGATE_TOOLSETS: unknown toolset${unknown.length === 1 ? "" : "s"} ${unknown.map((n) => `"${n}"`).join(", ")}; known: ${TOOLSETS.join(", ")} (or all)`,
    );
  }
  return TOOLSETS.filter((t) => lower.includes(t));
}

/** The secrets a Config holds, for log redaction and leak tests. */
export function configSecrets(config: Config): string[] {
  const out = [
    config.http.token,
    config.confluence.apiToken,
    config.confluence.pat,
    config.github.token,
    config.cache.redisPassword,
    config.cache.redisSentinelPassword,
    ...config.confluence.customHeaders.map(([, value]) => value),
  ];
  for (const proxy of [config.confluence.httpProxy, config.confluence.httpsProxy]) {
    const password = urlPassword(proxy && !proxy.includes("://") ? `http://${proxy}` : proxy);
    if (password) out.push(password);
  }
  for (const address of [
    config.cache.redisUrl,
    ...(config.cache.redisClusterNodes ?? []),
    ...(config.cache.redisSentinels ?? []),
  ]) {
    if (!address || !/^rediss?:\/\//.test(address)) continue;
    const password = urlPassword(address);
    if (password) out.push(password);
  }
  return out.filter((s): s is string => typeof s === "string" && s.length > 0);
}

/**
 * {@link configSecrets} plus what SpecGate derives from them and sends: the Basic credentials
 * `base64(CONFLUENCE_EMAIL:CONFLUENCE_API_TOKEN)` and the proxy's `base64(user:password)`. What logs, errors and results are scrubbed of.
 */
export function configCredentials(config: Config): string[] {
  const out = configSecrets(config);
  const { email, apiToken } = config.confluence;
  if (email && apiToken) out.push(basicCredential(email, apiToken));
  // Custom header values, the proxy's password and its Basic credential (Proxy-Authorization).
  out.push(...networkSecrets(config.confluence));
  return out;
}

/** The decoded password of a URL, if it parses and has one. */
function urlPassword(address: string | undefined): string | undefined {
  if (!address) return undefined;
  try {
    const u = new URL(address);
    return u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    return undefined;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
