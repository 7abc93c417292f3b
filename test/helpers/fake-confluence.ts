/**
 * A fake Confluence: a real HTTP server on loopback that answers like Confluence Cloud (REST v2
 * pages, labels and spaces; v1 content and CQL search with `_links.next` cursors) or Data Center
 * (v1 content, `?spaceKey&title`, CQL with start/limit), with switchable faults.
 *
 *   const fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
 *   const config = loadConfig(fake.env());
 *   fake.fault({ kind: "429", match: "/api/v2/pages/", retryAfter: "1" });
 *
 * Exported for other suites and benchmarks: per-request latency, a request counter and log,
 * and the number of open sockets (to prove nothing leaks).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  accountIdOf,
  CqlError,
  matchesCql,
  pageAtVersion,
  parseCql,
  spaceIdOf,
  v1Content,
  v2Page,
  type FakeComment,
  type FakePage,
} from "./fake-confluence-data.js";

export { corpusPages, syntheticPage, type FakeComment, type FakePage } from "./fake-confluence-data.js";

export type FaultKind =
  | "429"
  | "503"
  | "500"
  | "reset"
  | "stall"
  | "stall-headers"
  | "slow-body"
  | "truncate"
  | "401"
  | "403"
  | "404"
  | "html"
  | "redirect"
  | "echo";

export interface Fault {
  kind: FaultKind;
  /** Substring of, or RegExp over, the path + query after the context path. Default: every request. */
  match?: string | RegExp;
  /** How many matching requests it hits (default 1; Infinity for all). */
  times?: number;
  /** `Retry-After` for 429/503 (seconds or an HTTP date). */
  retryAfter?: string;
  /** `X-RateLimit-Reset` for 429 (sent with `X-RateLimit-Remaining: 0`). */
  rateLimitReset?: string;
  /** slow-body: delay between the body's chunks (default 40 ms). */
  chunkDelayMs?: number;
  /** redirect: the Location header. */
  location?: string;
  /** echo: the status answered (default 400). */
  status?: number;
  /**
   * echo: how the request's headers come back, as a proxy or gateway that reflects them would:
   * `json` (default) in a Confluence-style error's `message` and `headers`, `text` as plain lines,
   * `query` URL-encoded in a query string.
   */
  echo?: "json" | "text" | "query";
}

export interface FakeConfluenceOptions {
  flavour?: "cloud" | "datacenter";
  /** Default `/wiki` (Cloud) or `/confluence` (Data Center). */
  contextPath?: string;
  pages?: FakePage[];
  latencyMs?: number;
  /** Most results one search request returns, whatever `limit` asks (default 25). */
  searchPageSize?: number;
  /** Most labels a v2 page carries inline (`include-labels`) before `hasMore` (default 50). */
  inlineLabelCap?: number;
  /** Credentials it accepts (default: Basic for Cloud, a PAT for Data Center). */
  auth?: { email: string; token: string } | { pat: string } | "none";
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number | "fault";
  /** Date.now() when the request arrived (before the configured latency). */
  at: number;
  /** The request's headers, as received. */
  headers: IncomingMessage["headers"];
}

export class FakeConfluence {
  readonly flavour: "cloud" | "datacenter";
  readonly contextPath: string;
  readonly pages = new Map<string, FakePage>();
  readonly log: LoggedRequest[] = [];
  latencyMs: number;
  searchPageSize: number;
  inlineLabelCap: number;
  private readonly auth: NonNullable<FakeConfluenceOptions["auth"]>;
  private faults: (Fault & { left: number })[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly stalled = new Set<Socket>();
  private readonly server: Server;
  private port = 0;

  private constructor(options: FakeConfluenceOptions) {
    this.flavour = options.flavour ?? "cloud";
    this.contextPath = options.contextPath ?? (this.flavour === "cloud" ? "/wiki" : "/confluence");
    this.latencyMs = options.latencyMs ?? 0;
    this.searchPageSize = options.searchPageSize ?? 25;
    this.inlineLabelCap = options.inlineLabelCap ?? 50;
    this.auth =
      options.auth ??
      (this.flavour === "cloud"
        ? { email: "bot@example.com", token: "cloud-api-token-123" }
        : { pat: "dc-personal-token-456" });
    for (const p of options.pages ?? []) this.addPage(p);
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeConfluenceOptions = {}): Promise<FakeConfluence> {
    const fake = new FakeConfluence(options);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The wiki base, as CONFLUENCE_BASE_URL. */
  get baseUrl(): string {
    return this.origin + this.contextPath;
  }

  /** Requests received so far (faults included). */
  get requests(): number {
    return this.log.length;
  }

  /** Sockets open right now. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Sockets of stalled responses ("stall", "stall-headers") still open: 0 once the client gave up on them. */
  get stalledSockets(): number {
    return this.stalled.size;
  }

  /** The environment that points SpecGate at this server with valid credentials. */
  env(): Record<string, string> {
    const env: Record<string, string> = { CONFLUENCE_BASE_URL: this.baseUrl, CONFLUENCE_FLAVOUR: this.flavour };
    if (this.auth === "none") env.CONFLUENCE_AUTH = "none";
    else if ("pat" in this.auth) env.CONFLUENCE_PAT = this.auth.pat;
    else Object.assign(env, { CONFLUENCE_EMAIL: this.auth.email, CONFLUENCE_API_TOKEN: this.auth.token });
    return env;
  }

  addPage(page: FakePage): void {
    this.pages.set(page.id, { version: 1, ...page });
  }

  /**
   * Edits a page: a new version (and optionally a new body, title or author). The old version
   * stays readable by number. Returns the new version.
   */
  editPage(id: string, change: { storage?: string; title?: string; author?: string } = {}): number {
    const p = this.pages.get(id);
    if (!p) throw new Error(`no page ${id}`);
    const version = (p.version ?? 1) + 1;
    const old = {
      version: p.version ?? 1,
      storage: p.storage,
      title: p.title,
      updatedAt: p.updatedAt,
      author: p.author,
    };
    this.pages.set(id, {
      ...p,
      ...change,
      version,
      updatedAt: new Date().toISOString(),
      history: [...(p.history ?? []), old],
    });
    return version;
  }

  fault(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Requests whose path contains `part`. */
  count(part: string): number {
    return this.log.filter((r) => r.path.includes(part)).length;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? "/", this.origin);
    const rel = url.pathname.startsWith(this.contextPath)
      ? url.pathname.slice(this.contextPath.length) + url.search
      : url.pathname + url.search;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const fault = this.faults.find(
      (f) =>
        f.left > 0 &&
        (f.match === undefined || (typeof f.match === "string" ? rel.includes(f.match) : f.match.test(rel))),
    );
    if (fault) {
      fault.left--;
      this.log.push({ method: req.method ?? "GET", path: rel, status: "fault", at, headers: req.headers });
      return this.applyFault(fault, req, res, rel);
    }
    const [status, body, type] = this.route(req, url, rel);
    this.log.push({ method: req.method ?? "GET", path: rel, status, at, headers: req.headers });
    const payload = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
    if (payload.length <= 1024 * 1024) {
      res.writeHead(status, {
        "content-type": type ?? "application/json;charset=UTF-8",
        "content-length": payload.length,
      });
      res.end(payload);
      return;
    }
    // Big bodies go chunked, without a Content-Length, as Confluence streams them.
    res.writeHead(status, { "content-type": type ?? "application/json;charset=UTF-8" });
    for (let i = 0; i < payload.length && !res.destroyed; i += 256 * 1024) {
      if (!res.write(payload.subarray(i, i + 256 * 1024))) await drainedOrClosed(res);
    }
    res.end();
  }

  private route(req: IncomingMessage, url: URL, _rel: string): [number, unknown, string?] {
    if (!url.pathname.startsWith(`${this.contextPath}/`)) return [404, "Not Found", "text/plain"];
    if (!this.authorised(req.headers.authorization)) {
      return this.flavour === "cloud"
        ? [401, "Client must be authenticated to access this resource.", "text/plain;charset=UTF-8"]
        : [401, "Basic Authentication Failure - Reason : AUTHENTICATED_FAILED", "text/plain;charset=UTF-8"];
    }
    const p = url.pathname.slice(this.contextPath.length);
    const q = url.searchParams;
    const base = this.baseUrl;
    let m: RegExpExecArray | null;
    if (this.flavour === "cloud" && (m = /^\/api\/v2\/(pages|blogposts)\/(\d+)$/.exec(p))) {
      const current = this.visible(m[2]!);
      if (typeof current === "number") return [current, v2Error(current)];
      const page = q.get("version") ? pageAtVersion(current, Number(q.get("version"))) : current;
      if (!page) return [404, v2Error(404)];
      return [
        200,
        v2Page(
          page,
          {
            body: q.get("body-format") === "storage",
            labels: q.get("include-labels") === "true",
            labelCap: this.inlineLabelCap,
          },
          base,
        ),
      ];
    }
    if (this.flavour === "cloud" && (m = /^\/api\/v2\/pages\/(\d+)\/labels$/.exec(p))) {
      const page = this.visible(m[1]!);
      if (typeof page === "number") return [page, v2Error(page)];
      const start = Number(q.get("cursor") ?? 0);
      const limit = Number(q.get("limit") ?? 25);
      const labels = (page.labels ?? []).map((name, i) => ({ id: String(9000 + i), name, prefix: "global" }));
      const slice = labels.slice(start, start + limit);
      const more = start + limit < labels.length;
      return [
        200,
        {
          results: slice,
          _links: {
            base,
            ...(more
              ? { next: `${this.contextPath}/api/v2/pages/${page.id}/labels?cursor=${start + limit}&limit=${limit}` }
              : {}),
          },
        },
      ];
    }
    if (this.flavour === "cloud" && (m = /^\/api\/v2\/pages\/(\d+)\/(footer|inline)-comments$/.exec(p))) {
      const page = this.visible(m[1]!);
      if (typeof page === "number") return [page, v2Error(page)];
      const kind = m[2] as "footer" | "inline";
      const all = (page.comments ?? []).filter((c) => c.kind === kind);
      const start = q.get("cursor") ? Number(Buffer.from(q.get("cursor")!, "base64url").toString("utf8")) : 0;
      const limit = Math.min(Number(q.get("limit") ?? 25), this.searchPageSize);
      const after = start + limit;
      const cursor = Buffer.from(String(after)).toString("base64url");
      return [
        200,
        {
          results: all.slice(start, after).map((c) => v2Comment(c, page.id, q.get("body-format") === "storage")),
          _links: {
            base,
            ...(after < all.length
              ? {
                  next: `${this.contextPath}/api/v2/pages/${page.id}/${kind}-comments?cursor=${cursor}&limit=${limit}&body-format=storage`,
                }
              : {}),
          },
        },
      ];
    }
    if (this.flavour === "cloud" && p === "/rest/api/user" && q.get("accountId")) {
      const name = [...this.pages.values()]
        .flatMap((x) => [x.author ?? "Author", ...(x.comments ?? []).map((c) => c.author)])
        .find((n) => accountIdOf(n) === q.get("accountId"));
      return name
        ? [
            200,
            {
              type: "known",
              accountId: q.get("accountId"),
              email: "someone@example.com",
              publicName: name,
              displayName: name,
            },
          ]
        : [404, { statusCode: 404, message: "No user found", reason: "Not Found" }];
    }
    if ((m = /^\/rest\/api\/content\/(\d+)\/child\/comment$/.exec(p))) {
      const page = this.visible(m[1]!);
      if (typeof page === "number") return [page, v1Error(page, m[1]!)];
      const all = page.comments ?? [];
      const start = Number(q.get("start") ?? 0);
      const limit = Math.min(Number(q.get("limit") ?? 25), this.searchPageSize);
      const slice = all.slice(start, start + limit);
      const next = new URLSearchParams(q);
      next.set("start", String(start + limit));
      return [
        200,
        {
          results: slice.map((c) => v1Comment(c, expandOf(q), page.id)),
          start,
          limit,
          size: slice.length,
          _links: {
            base,
            context: this.contextPath,
            ...(start + limit < all.length
              ? { next: `/rest/api/content/${page.id}/child/comment?${next.toString()}` }
              : {}),
          },
        },
      ];
    }
    if (this.flavour === "cloud" && (m = /^\/api\/v2\/spaces\/(\d+)$/.exec(p))) {
      const key = [...this.pages.values()].map((x) => x.spaceKey).find((k) => spaceIdOf(k) === m![1]);
      return key
        ? [200, { id: m[1], key, name: `${key} space`, type: "global", status: "current" }]
        : [404, v2Error(404)];
    }
    if (p === "/rest/api/content/search") return this.search(q, base);
    if ((m = /^\/rest\/api\/content\/(\d+)$/.exec(p))) {
      const current = this.visible(m[1]!);
      if (typeof current === "number") return [current, v1Error(current, m[1]!)];
      const page =
        q.get("status") === "historical" && q.get("version")
          ? pageAtVersion(current, Number(q.get("version")))
          : current;
      if (!page) return [404, v1Error(404, m[1]!)];
      return [200, v1Content(page, expandOf(q), this.flavour, base)];
    }
    if (p === "/rest/api/content" && q.get("spaceKey") && q.get("title")) {
      const hits = [...this.pages.values()].filter(
        (x) => x.spaceKey === q.get("spaceKey") && x.title === q.get("title") && !x.restricted,
      );
      return [
        200,
        {
          results: hits.map((x) => v1Content(x, expandOf(q), this.flavour, base)),
          start: 0,
          limit: 25,
          size: hits.length,
          _links: { base, context: this.contextPath },
        },
      ];
    }
    return [404, v1Error(404, p)];
  }

  private search(q: URLSearchParams, base: string): [number, unknown] {
    const cql = q.get("cql") ?? "";
    let clauses;
    try {
      clauses = parseCql(cql);
    } catch (error) {
      if (error instanceof CqlError)
        return [
          400,
          {
            statusCode: 400,
            data: { authorized: false, valid: true, errors: [] },
            message: error.message,
            reason: "Bad Request",
          },
        ];
      throw error;
    }
    const matches = [...this.pages.values()].filter((x) => !x.restricted && matchesCql(x, clauses));
    const cursor = q.get("cursor");
    const start = cursor ? Number(Buffer.from(cursor, "base64url").toString("utf8")) : Number(q.get("start") ?? 0);
    const limit = Math.min(Number(q.get("limit") ?? 25), this.searchPageSize);
    const slice = matches.slice(start, start + limit);
    const expand = q.get("expand") ?? "";
    const after = start + slice.length;
    let next: string | undefined;
    if (after < matches.length) {
      const params = new URLSearchParams(
        this.flavour === "cloud"
          ? {
              next: "true",
              cursor: Buffer.from(String(after)).toString("base64url"),
              expand,
              limit: String(limit),
              start: String(after),
              cql,
            }
          : { cql, expand, limit: String(limit), start: String(after) },
      );
      next = `/rest/api/content/search?${params.toString()}`;
    }
    const results = slice.map((x) => v1Content(x, new Set(expand.split(",").filter(Boolean)), this.flavour, base));
    return [
      200,
      {
        results,
        start,
        limit,
        size: results.length,
        totalSize: matches.length,
        cqlQuery: cql,
        _links: { base, context: this.contextPath, ...(next ? { next } : {}) },
      },
    ];
  }

  private trackStall(socket: Socket): void {
    this.stalled.add(socket);
    socket.once("close", () => this.stalled.delete(socket));
  }

  private visible(id: string): FakePage | 403 | 404 {
    const page = this.pages.get(id);
    if (!page) return 404;
    return page.restricted ? 403 : page;
  }

  private authorised(header: string | undefined): boolean {
    if (this.auth === "none") return true;
    if ("pat" in this.auth) return header === `Bearer ${this.auth.pat}`;
    return header === `Basic ${Buffer.from(`${this.auth.email}:${this.auth.token}`).toString("base64")}`;
  }

  private applyFault(f: Fault, req: IncomingMessage, res: ServerResponse, rel: string): void {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const payload = JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(payload),
        ...headers,
      });
      res.end(payload);
    };
    switch (f.kind) {
      case "429":
        return json(
          429,
          { message: "Rate limit exceeded" },
          {
            ...(f.retryAfter ? { "retry-after": f.retryAfter } : {}),
            ...(f.rateLimitReset ? { "x-ratelimit-remaining": "0", "x-ratelimit-reset": f.rateLimitReset } : {}),
          },
        );
      case "503":
        return json(503, { message: "Service Unavailable" }, f.retryAfter ? { "retry-after": f.retryAfter } : {});
      case "500":
        return json(500, { statusCode: 500, message: "Internal server error" });
      case "401":
        res.writeHead(401, { "content-type": "text/plain" });
        return void res.end("Basic Authentication Failure - Reason : AUTHENTICATED_FAILED");
      case "403":
        return json(403, { statusCode: 403, message: "Not permitted to view page" });
      case "404":
        return json(404, v1Error(404, rel));
      case "echo": {
        const status = f.status ?? 400;
        const lines = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`);
        if (f.echo === "text") {
          res.writeHead(status, { "content-type": "text/plain" });
          return void res.end(`Request rejected by gateway. ${lines.join("; ")}\n${lines.join("\n")}`);
        }
        if (f.echo === "query") {
          const query = new URLSearchParams(
            Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]),
          ).toString();
          return json(status, { statusCode: status, message: `Bad request: /login?${query}` });
        }
        return json(status, {
          statusCode: status,
          message: `Bad request. Request headers: ${lines.join("; ")}`,
          headers: req.headers,
        });
      }
      case "html":
        res.writeHead(200, { "content-type": "text/html;charset=UTF-8" });
        return void res.end(
          "<!DOCTYPE html><html><head><title>Log in - Confluence</title></head><body><form id='login'></form></body></html>",
        );
      case "redirect":
        res.writeHead(302, { location: f.location ?? "http://evil.example/steal" });
        return void res.end();
      case "reset": {
        const socket = req.socket as Socket & { resetAndDestroy?: () => void };
        if (socket.resetAndDestroy) socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
      case "stall":
        this.trackStall(req.socket);
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"id":"');
        return; // never finishes
      case "stall-headers":
        this.trackStall(req.socket);
        return; // never answers
      case "truncate": {
        // The real answer's headers and half its body, then the connection drops.
        const [, body] = this.route(req, new URL(this.contextPath + rel, this.origin), rel);
        const payload = Buffer.from(JSON.stringify(body));
        res.writeHead(200, { "content-type": "application/json", "content-length": payload.length });
        res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
        return;
      }
      case "slow-body": {
        const [, body] = this.route(req, new URL(this.contextPath + rel, this.origin), rel);
        const payload = Buffer.from(JSON.stringify(body));
        res.writeHead(200, { "content-type": "application/json", "content-length": payload.length });
        const parts = 8;
        const size = Math.ceil(payload.length / parts);
        let i = 0;
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          res.write(payload.subarray(i * size, (i + 1) * size));
          if (++i >= parts) {
            clearInterval(timer);
            res.end();
          }
        }, f.chunkDelayMs ?? 40);
        return;
      }
    }
  }
}

/** A v2 footer or inline comment (the body only with body-format=storage). */
function v2Comment(c: FakeComment, pageId: string, body: boolean): Record<string, unknown> {
  return {
    id: c.id,
    status: "current",
    title: `Re: page ${pageId}`,
    pageId,
    version: { createdAt: c.created ?? "2025-09-26T08:00:00.000Z", number: 1, authorId: accountIdOf(c.author) },
    body: body ? { storage: { representation: "storage", value: c.storage } } : {},
    ...(c.kind === "inline"
      ? {
          resolutionStatus: c.resolved ? "resolved" : "open",
          properties: { inlineMarkerRef: `marker-${c.id}`, inlineOriginalSelection: c.anchor ?? "" },
        }
      : {}),
    _links: { webui: `/spaces/X/pages/${pageId}?focusedCommentId=${c.id}` },
  };
}

/** A v1 comment with the requested expansions. */
function v1Comment(c: FakeComment, expand: Set<string>, pageId: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, type: "comment", status: "current", title: `Re: ${pageId}` };
  if (expand.has("version"))
    out.version = {
      number: 1,
      when: c.created ?? "2025-09-26T08:00:00.000Z",
      by: { type: "known", accountId: accountIdOf(c.author), email: "someone@example.com", displayName: c.author },
    };
  if (expand.has("body.storage")) out.body = { storage: { value: c.storage, representation: "storage" } };
  out.extensions = {
    location: c.kind,
    ...(c.kind === "inline" && expand.has("extensions.inlineProperties")
      ? { inlineProperties: { markerRef: `marker-${c.id}`, originalSelection: c.anchor ?? "" } }
      : {}),
    ...(expand.has("extensions.resolution")
      ? { resolution: { status: c.resolved ? "resolved" : "open", lastModifier: {}, lastModifiedDate: "" } }
      : {}),
  };
  out.container = { id: pageId, type: "page" };
  return out;
}

function expandOf(q: URLSearchParams): Set<string> {
  return new Set((q.get("expand") ?? "").split(",").filter(Boolean));
}

function v1Error(status: number, id: string): unknown {
  return status === 404
    ? {
        statusCode: 404,
        data: { authorized: false, valid: true, errors: [], successful: false },
        message: `No content found with id : ContentId{id=${id}}`,
        reason: "Not Found",
      }
    : { statusCode: status, message: "Not permitted", reason: "Forbidden" };
}

function v2Error(status: number): unknown {
  return {
    errors: [
      {
        status,
        code: status === 404 ? "NOT_FOUND" : "FORBIDDEN",
        title: status === 404 ? "Not Found" : "Forbidden",
        detail: null,
      },
    ],
  };
}

/** Waits for `drain` or `close`, then drops both listeners (a 10 MB body waits dozens of times). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done).once("close", done);
  });
}
