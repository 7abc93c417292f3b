/**
 * Attacks on the transports, each against a fresh spawned server, with what they cost: peak RSS
 * (the kernel's VmHWM from /proc) against the memory cap, legitimate calls served while the
 * attack runs, and the longest event-loop stall (the server's own perf_hooks monitor, read from
 * /metrics before and after; over stdio, how long the session took to answer the next call).
 *
 * With `--base <dir>` (a checkout of an earlier commit, built, with node_modules) every attack
 * also runs against that build, in the same run, so each row has a before and an after. What the
 * defences cost ordinary calls: bench/transport-cost.ts.
 *
 *   node --import tsx bench/attacks.ts [--base /path/to/older/checkout]
 */
import { spawn } from "node:child_process";
import { connect } from "node:net";
import path from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { FakeConfluence, corpusPages } from "../test/helpers/fake-confluence.js";
import { loadDocuments, mixCall } from "../test/helpers/load.js";
import { peakRssMb } from "../test/helpers/proc.js";
import { ROOT, printTable, serveHttp, writeResults, type ServedHttp } from "./lib.js";

const baseArg = process.argv.indexOf("--base");
const BUILDS: [string, string][] = [
  ...(baseArg > 0 ? [["before", path.resolve(process.argv[baseArg + 1]!)] as [string, string]] : []),
  ["after", ROOT],
];
const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-06-18",
};
const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "attack", version: "1" } },
});

type Proc = ServedHttp;

function http(root: string, env: Record<string, string>): Promise<Proc> {
  return serveHttp(root, env);
}

/** `serve --stdio` with a line reader: `ask(id, line)` writes lines and resolves with the answer to `id` and every line before it. */
function stdio(root: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [path.join(root, "dist/cli.js"), "serve", "--stdio"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
  });
  const lines: string[] = [];
  let buf = "";
  let wake = () => undefined as void;
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    buf += d;
    for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n")) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    wake();
  });
  child.stderr.resume();
  const ask = async (id: string, ...write: (string | Buffer)[]): Promise<{ answer: string; before: string[] }> => {
    const from = lines.length;
    for (const w of write)
      child.stdin.write(Buffer.concat([Buffer.isBuffer(w) ? w : Buffer.from(w), Buffer.from("\n")]));
    for (;;) {
      const i = lines.findIndex((l, j) => j >= from && l.includes(`"id":"${id}"`));
      if (i !== -1) return { answer: lines[i]!, before: lines.slice(from, i) };
      if (child.exitCode !== null) throw new Error("stdio server exited");
      await new Promise<void>((r) => (wake = r));
    }
  };
  const request = (id: string, method: string, params?: unknown) =>
    JSON.stringify({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
  return {
    child,
    ask,
    request,
    init: () =>
      ask(
        "init",
        request("init", "initialize", {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "a", version: "1" },
        }),
        '{"jsonrpc":"2.0","method":"notifications/initialized"}',
      ),
    stop: () => child.kill("SIGKILL"),
  };
}

/** The server's longest event-loop delay since the previous scrape (prom-client resets it on each). */
async function stallMs(p: Proc): Promise<number> {
  const text = await (await fetch(`${p.base}/metrics`)).text();
  return Math.round(Number(/^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text)?.[1] ?? Number.NaN) * 1000);
}

async function sdkClient(url: string): Promise<Client> {
  const c = new Client({ name: "legit", version: "1" });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

interface Row {
  attack: string;
  build: string;
  capMb: number;
  peakRssMb: number;
  legit: string;
  stallMs: number | undefined;
  outcome: string;
}

type Attack = { name: string; capMb: number; run(root: string): Promise<Omit<Row, "attack" | "build" | "capMb">> };

const docs = loadDocuments();
const grow = (s: string) => s.repeat(Math.ceil((150 * 1024) / s.length));
const docs150 = { ...docs, md: grow(docs.md), html: grow(docs.html) };
const nested = (n: number) =>
  Buffer.alloc(2 * n)
    .fill("[", 0, n)
    .fill("]", n);

const ATTACKS: Attack[] = [
  {
    name: "32 MB of [×N ]×N on POST /mcp",
    capMb: 1024,
    run: async (root) => {
      const p = await http(root, {});
      await stallMs(p);
      const c = await sdkClient(p.url);
      let done = false;
      let served = 0;
      let tried = 0;
      const loop = (async () => {
        do {
          tried++;
          const r = await c
            .callTool({ name: "html_to_md", arguments: { html: `<p>${tried}</p>` } }, undefined, { timeout: 300_000 })
            .catch(() => ({ isError: true }));
          if (!r.isError) served++;
        } while (!done);
      })();
      const t0 = performance.now();
      const r = await fetch(p.url, { method: "POST", headers: HEADERS, body: nested(16 * 1024 * 1024 - 64) });
      const body = (await r.json()) as { error?: { code: number } };
      const ms = Math.round(performance.now() - t0);
      done = true;
      await loop;
      const out = {
        peakRssMb: Math.round(await peakRssMb(p.child.pid!)),
        legit: `${served}/${tried}`,
        stallMs: await stallMs(p),
        outcome: `HTTP ${r.status}, ${body.error?.code} after ${ms} ms`,
      };
      await c.close();
      await p.stop();
      return out;
    },
  },
  {
    name: "29 MB line of [×N ]×N on stdio",
    capMb: 1024,
    run: async (root) => {
      const s = stdio(root);
      await s.init();
      const t0 = performance.now();
      const { answer, before } = await s.ask(
        "next",
        nested(14_500_000),
        s.request("next", "tools/call", { name: "html_to_md", arguments: { html: "<p>x</p>" } }),
      );
      const ms = Math.round(performance.now() - t0);
      const peak = Math.round(await peakRssMb(s.child.pid!));
      s.stop();
      const refused = before.find((l) => l.includes('"error"'));
      return {
        peakRssMb: peak,
        legit: answer.includes('"isError":true') || answer.includes('"error"') ? "0/1" : "1/1",
        stallMs: ms,
        outcome: refused ? `answered ${/"code":(-?\d+)/.exec(refused)?.[1]}` : "no answer (dropped)",
      };
    },
  },
  {
    name: "57 sockets trickling 1 byte of a 1 MB body",
    capMb: 1024,
    run: async (root) => {
      const p = await http(root, { SPECGATE_HTTP_REQUEST_TIMEOUT_MS: "600000" });
      const sockets = await Promise.all(
        Array.from(
          { length: 57 },
          () =>
            new Promise<ReturnType<typeof connect>>((resolve) => {
              const s = connect({ host: "127.0.0.1", port: p.port });
              s.on("error", () => undefined);
              s.once("data", () => {
                s.write("{"); // after 100 Continue: the handler has run
                resolve(s);
              });
              s.write(
                `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n`,
              );
            }),
        ),
      );
      await stallMs(p);
      const c = await sdkClient(p.url);
      let served = 0;
      for (let i = 0; i < 77; i++) {
        const [name, args] = mixCall(i, false, docs150);
        const r = await c.callTool({ name, arguments: args }).catch(() => ({ isError: true }));
        if (!r.isError) served++;
      }
      const out = {
        peakRssMb: Math.round(await peakRssMb(p.child.pid!)),
        legit: `${served}/77`,
        stallMs: await stallMs(p),
        outcome: `${sockets.filter((s) => !s.destroyed).length} slow sockets still open`,
      };
      sockets.forEach((s) => s.destroy());
      await c.close();
      await p.stop();
      return out;
    },
  },
  {
    name: "20 sessions holding GET streams, SPECGATE_HTTP_MAX_SESSIONS=20",
    capMb: 1024,
    run: async (root) => {
      const p = await http(root, { SPECGATE_HTTP_MAX_SESSIONS: "20" });
      const other = new Agent({ connect: { localAddress: "127.0.0.2" }, connections: 64 });
      const streams: AbortController[] = [];
      for (let i = 0; i < 20; i++) {
        const init = await undiciFetch(p.url, { method: "POST", headers: HEADERS, body: INIT, dispatcher: other });
        await init.text();
        const id = init.headers.get("mcp-session-id");
        if (!id) continue;
        const ctl = new AbortController();
        const get = await undiciFetch(p.url, {
          method: "GET",
          headers: { ...HEADERS, accept: "text/event-stream", "mcp-session-id": id },
          dispatcher: other,
          signal: ctl.signal,
        });
        void (async () => {
          for await (const _ of get.body ?? []) void _;
        })().catch(() => undefined);
        streams.push(ctl);
      }
      await stallMs(p);
      let served = 0;
      for (let i = 0; i < 10; i++) {
        try {
          const c = await sdkClient(p.url);
          if (!(await c.callTool({ name: "html_to_md", arguments: { html: "<p>x</p>" } })).isError) served++;
          await c.close();
        } catch {
          /* refused */
        }
      }
      const held = ((await (await fetch(`${p.base}/healthz`)).json()) as { sessions: number }).sessions;
      const out = {
        peakRssMb: Math.round(await peakRssMb(p.child.pid!)),
        legit: `${served}/10 new clients`,
        stallMs: await stallMs(p),
        outcome: `${held} sessions open after`,
      };
      streams.forEach((s) => s.abort());
      await other.destroy();
      await p.stop();
      return out;
    },
  },
  {
    name: "10 keep-alive requests during the SIGTERM drain",
    capMb: 1024,
    run: async (root) => {
      const fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
      fake.fault({ kind: "stall", times: Infinity });
      const p = await http(root, { ...fake.env(), SPECGATE_SHUTDOWN_TIMEOUT_MS: "5000" });
      const c = await sdkClient(p.url);
      const call = c
        .callTool(
          { name: "confluence_fetch", arguments: { page_id: corpusPages()[0]!.id, bypass_cache: true } },
          undefined,
          { timeout: 60_000 },
        )
        .catch(() => undefined);
      while (((await (await fetch(`${p.base}/healthz`)).json()) as { calls_in_flight: number }).calls_in_flight < 1)
        await new Promise((r) => setTimeout(r, 20));
      const kept = await Promise.all(
        Array.from({ length: 10 }, () =>
          rawExchange(p.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\n\r\n`),
        ),
      );
      p.child.kill("SIGTERM");
      for (;;) {
        const draining = await fetch(`${p.base}/healthz`).then(
          async (r) => ((await r.json()) as { status: string }).status === "draining",
          () => true,
        );
        if (draining) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const replies = await Promise.all(
        kept.map((k) =>
          k.again(
            `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${INIT.length}\r\n\r\n${INIT}`,
          ),
        ),
      );
      const answered = replies.filter((r) => /^HTTP\/1\.1 503/.test(r) && /connection: close/i.test(r)).length;
      await call;
      await new Promise((r) => p.child.once("exit", r));
      await fake.close();
      return {
        peakRssMb: 0,
        legit: "–",
        stallMs: undefined,
        outcome: `${answered}/10 answered 503 + Connection: close, ${10 - answered} closed or reset`,
      };
    },
  },
  {
    name: "malformed lines on stdio (not json, [], null, object id, invalid UTF-8, a batch)",
    capMb: 1024,
    run: async (root) => {
      const s = stdio(root);
      await s.init();
      const lines: (string | Buffer)[] = [
        "not json",
        "[]",
        "null",
        '{"jsonrpc":"2.0","id":{"x":1},"method":"tools/list"}',
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        '[{"jsonrpc":"2.0","id":7,"method":"ping"}]',
      ];
      let answered = 0;
      for (const [i, line] of lines.entries())
        if ((await s.ask(`p${i}`, line, s.request(`p${i}`, "ping"))).before.some((l) => l.includes('"error"')))
          answered++;
      const after = await s.ask(
        "call",
        s.request("call", "tools/call", { name: "html_to_md", arguments: { html: "<p>x</p>" } }),
      );
      const peak = Math.round(await peakRssMb(s.child.pid!));
      s.stop();
      return {
        peakRssMb: peak,
        legit: after.answer.includes('"result"') ? "1/1" : "0/1",
        stallMs: undefined,
        outcome: `${answered}/6 answered with a JSON-RPC error`,
      };
    },
  },
  {
    name: "/healthz and /metrics with a rebinding Host",
    capMb: 1024,
    run: async (root) => {
      const p = await http(root, {});
      const statuses: string[] = [];
      for (const route of ["/healthz", "/metrics"]) {
        const k = await rawExchange(
          p.port,
          `GET ${route} HTTP/1.1\r\nHost: attacker.example:${p.port}\r\nConnection: close\r\n\r\n`,
        );
        statuses.push(/^HTTP\/1\.1 (\d+)/.exec(k.first)?.[1] ?? "?");
      }
      await p.stop();
      return { peakRssMb: 0, legit: "–", stallMs: undefined, outcome: `${statuses.join(" / ")}` };
    },
  },
  {
    name: "tools/call with arguments as an array (stdio)",
    capMb: 1024,
    run: async (root) => {
      const s = stdio(root);
      await s.init();
      const { answer } = await s.ask(
        "bad",
        s.request("bad", "tools/call", { name: "html_to_md", arguments: ["<p>x</p>"] }),
      );
      s.stop();
      const m = /"code":(-?\d+),"message":"([^"]{0,60})/.exec(answer);
      return { peakRssMb: 0, legit: "–", stallMs: undefined, outcome: m ? `${m[1]}: ${m[2]}…` : answer.slice(0, 80) };
    },
  },
];

/** One request on a fresh keep-alive socket; `again` sends another on the same socket and resolves with what came back. */
async function rawExchange(
  port: number,
  first: string,
): Promise<{ first: string; again(req: string): Promise<string> }> {
  const s = connect({ host: "127.0.0.1", port });
  s.setEncoding("utf8");
  s.on("error", () => undefined);
  let buf = "";
  let wake = () => undefined as void;
  let closed = false;
  s.on("data", (d: string) => {
    buf += d;
    wake();
  });
  s.on("close", () => {
    closed = true;
    wake();
  });
  const whole = () => {
    const head = buf.indexOf("\r\n\r\n");
    const len = /content-length: (\d+)/i.exec(buf.slice(0, head))?.[1];
    return head !== -1 && len !== undefined && buf.length >= head + 4 + Number(len);
  };
  const exchange = async (req: string) => {
    buf = "";
    s.write(req);
    while (!whole() && !closed) await new Promise<void>((r) => (wake = r));
    return buf;
  };
  return { first: await exchange(first), again: exchange };
}

const rows: Row[] = [];
for (const attack of ATTACKS) {
  for (const [build, root] of BUILDS) {
    process.stderr.write(`${attack.name} — ${build}\n`);
    const r = await attack.run(root);
    rows.push({ attack: attack.name, build, capMb: attack.capMb, ...r });
  }
}
printTable(
  `Attacks on the transports${BUILDS.length > 1 ? ": before and after, same run" : ""} (each on a fresh server, memory cap 1024 MB)`,
  [
    "attack",
    "build",
    "peak RSS (VmHWM)",
    "legitimate calls served",
    "longest event-loop stall (stdio: time to the next answer)",
    "outcome",
  ],
  rows.map((r) => [
    r.attack,
    r.build,
    r.peakRssMb ? `${r.peakRssMb} MB` : "–",
    r.legit,
    r.stallMs === undefined ? "–" : `${r.stallMs} ms`,
    r.outcome,
  ]),
);

await writeResults("attacks", { builds: BUILDS.map(([b]) => b), rows });
process.exit(0);
