/**
 * A fake GitHub REST API: a real HTTP server on loopback with in-memory issues, pull requests and
 * comments — enough of the API for the gate's sticky comment and the HITL issues, with GitHub's
 * pagination (`per_page`, `page`, `Link: rel="next"`), its auth errors, and scripted failures
 * (rate limits, 5xx, read-only tokens).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string };
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason?: string | null;
  labels: { name: string }[];
  html_url: string;
  pull_request?: { url: string };
  comments: FakeComment[];
}
export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Only for requests with this method. */
  method?: string;
  /** Answer only after this many milliseconds. */
  delayMs?: number;
}
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

export interface FakeGitHub {
  /** REST API root, e.g. http://127.0.0.1:PORT or http://127.0.0.1:PORT/api/v3. */
  apiUrl: string;
  token: string;
  requests: LoggedRequest[];
  /** Writes (POST/PATCH/DELETE) answer 403 "Resource not accessible by integration", like a fork PR's token. */
  readOnly: boolean;
  repo(fullName: string): { issues: Map<number, FakeIssue> };
  addPullRequest(fullName: string, number: number): FakeIssue;
  addComment(fullName: string, number: number, body: string): FakeComment;
  /** The next matching requests get these answers, in order. */
  script(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { token?: string; prefix?: string } = {}): Promise<FakeGitHub> {
  const token = options.token ?? "ghs_fake_token_0123456789";
  const prefix = options.prefix ?? "";
  const repos = new Map<string, { issues: Map<number, FakeIssue>; next: number }>();
  const scripted: ScriptedResponse[] = [];
  let commentId = 1000;
  let base = "";

  const repo = (name: string) => {
    let r = repos.get(name);
    if (!r) repos.set(name, (r = { issues: new Map(), next: 1 }));
    return r;
  };

  const fake: FakeGitHub = {
    apiUrl: "",
    token,
    requests: [],
    readOnly: false,
    repo: (name) => repo(name),
    addPullRequest(name, number) {
      const r = repo(name);
      const pr: FakeIssue = {
        number,
        title: `PR ${number}`,
        body: "",
        state: "open",
        labels: [],
        html_url: `https://github.test/${name}/pull/${number}`,
        pull_request: { url: "x" },
        comments: [],
      };
      r.issues.set(number, pr);
      r.next = Math.max(r.next, number + 1);
      return pr;
    },
    addComment(name, number, body) {
      const c: FakeComment = {
        id: ++commentId,
        body,
        html_url: `https://github.test/${name}/issues/${number}#issuecomment-${commentId}`,
        user: { login: "someone" },
      };
      repo(name).issues.get(number)!.comments.push(c);
      return c;
    },
    script: (...responses) => void scripted.push(...responses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };

  const paginate = (res: ServerResponse, url: URL, items: unknown[]) => {
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
    const page = Number(url.searchParams.get("page") ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url.href);
      next.searchParams.set("page", String(page + 1));
      headers.link = `<${next.href}>; rel="next", <${next.href}>; rel="last"`;
    }
    send(res, 200, slice, headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", base);
    const method = req.method ?? "GET";
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    fake.requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      ...(body !== undefined ? { body } : {}),
    });

    const i = scripted.findIndex((s) => !s.method || s.method === method);
    if (i >= 0) {
      const s = scripted.splice(i, 1)[0]!;
      if (s.delayMs) await new Promise((resolve) => setTimeout(resolve, s.delayMs));
      if (res.destroyed) return;
      return send(res, s.status, s.body, s.headers);
    }
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
    if (fake.readOnly && method !== "GET") return send(res, 403, { message: "Resource not accessible by integration" });

    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path))) {
      const issue = repos.get(m[1]!)?.issues.get(Number(m[2]));
      if (!issue) return send(res, 404, { message: "Not Found" });
      if (method === "GET") return paginate(res, url, issue.comments);
      if (method === "POST")
        return send(res, 201, fake.addComment(m[1]!, issue.number, (body as { body: string }).body));
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path)) && method === "PATCH") {
      for (const issue of repos.get(m[1]!)?.issues.values() ?? []) {
        const c = issue.comments.find((x) => x.id === Number(m![2]));
        if (c) {
          c.body = (body as { body: string }).body;
          return send(res, 200, c);
        }
      }
      return send(res, 404, { message: "Not Found" });
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(path))) {
      const r = repos.get(m[1]!);
      if (!r) return send(res, 404, { message: "Not Found" });
      if (method === "GET") {
        const want = (url.searchParams.get("labels") ?? "").split(",").filter(Boolean);
        const state = url.searchParams.get("state") ?? "open";
        const list = [...r.issues.values()]
          .filter(
            (x) => (state === "all" || x.state === state) && want.every((l) => x.labels.some((y) => y.name === l)),
          )
          .sort((a, b) => b.number - a.number)
          .map(({ comments: _c, ...rest }) => rest);
        return paginate(res, url, list);
      }
      if (method === "POST") {
        const b = body as { title: string; body: string; labels?: string[] };
        const number = r.next++;
        const issue: FakeIssue = {
          number,
          title: b.title,
          body: b.body,
          state: "open",
          labels: (b.labels ?? []).map((name) => ({ name })),
          html_url: `https://github.test/${m[1]}/issues/${number}`,
          comments: [],
        };
        r.issues.set(number, issue);
        const { comments: _c, ...out } = issue;
        return send(res, 201, out);
      }
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(path)) && method === "PATCH") {
      const issue = repos.get(m[1]!)?.issues.get(Number(m[2]));
      if (!issue) return send(res, 404, { message: "Not Found" });
      const b = body as Partial<{
        title: string;
        body: string;
        state: "open" | "closed";
        state_reason: string;
        labels: string[];
      }>;
      if (b.title !== undefined) issue.title = b.title;
      if (b.body !== undefined) issue.body = b.body;
      if (b.state !== undefined) issue.state = b.state;
      if (b.state_reason !== undefined) issue.state_reason = b.state_reason;
      if (b.labels !== undefined) issue.labels = b.labels.map((name) => ({ name }));
      const { comments: _c, ...out } = issue;
      return send(res, 200, out);
    }
    send(res, 404, { message: "Not Found" });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.apiUrl = `${base}${prefix}`;
  return fake;
}
