/**
 * The MCP Inspector's web UI against `specgate serve --http`, driven in headless Chromium the way
 * a user clicks through it: open the UI with the server's URL, connect over Streamable HTTP, list
 * the tools, run `html_to_md` and read the Markdown on the page.
 *
 * The Inspector (v2) reaches the server through its own backend, so SpecGate sees no browser
 * Origin there. Browser clients that call `/mcp` directly (the Inspector v1's "Direct" connection,
 * a web app on a dev server) are covered by a page served from a loopback origin on another port,
 * which runs an MCP session with fetch — CORS preflight included — and by the same page served
 * under a foreign name (mapped to 127.0.0.1 inside Chromium), which the server refuses.
 *
 * Chromium is Debian's /usr/bin/chromium (CI installs it; `CHROMIUM_BIN` points elsewhere); no
 * browser is downloaded.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patient } from "../helpers/patience.js";
import { freePort } from "../helpers/redis-server.js";
import { ROOT, startHttp, stopChild, type SpawnedServer } from "../helpers/spawn.js";
import { ensureBuilt } from "../helpers/specgate-process.js";

const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
const INSPECTOR = path.join(ROOT, "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
/** Resolved to 127.0.0.1 inside Chromium only: a page from a site that is not this machine. */
const FOREIGN_HOST = "rebind.specgate.test";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

interface Inspector {
  url: string;
  token: string;
  child: ChildProcessWithoutNullStreams;
}

/**
 * Starts the Inspector's web UI (its bin without `--cli`) on a free port, with its session token
 * set by us, the browser auto-open off and secrets in memory; resolves once it says it is up.
 */
async function startInspector(): Promise<Inspector> {
  const home = await tempDir("specgate-inspector-");
  const token = randomBytes(32).toString("hex");
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [INSPECTOR], {
      cwd: home,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        CLIENT_PORT: String(port),
        MCP_SANDBOX_PORT: "0",
        MCP_APP_ORIGIN_PORT: "0",
        MCP_STORAGE_DIR: path.join(home, "storage"),
        MCP_AUTO_OPEN_ENABLED: "false",
        MCP_INSPECTOR_API_TOKEN: token,
        MCP_INSPECTOR_SECRET_STORE: "memory",
      },
    });
    let output = "";
    const up = await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the Inspector did not start:\n${output}`));
      }, patient(30_000));
      const onData = (d: string) => {
        output += d;
        if (/up and running/.test(output)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      child.stdout.setEncoding("utf8").on("data", onData);
      child.stderr.setEncoding("utf8").on("data", onData);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (up) {
      cleanup.push(() => stopChild(child));
      return { url: `http://127.0.0.1:${port}`, token, child };
    }
    // The free port was taken in between: one more try.
    if (attempt >= 2 || !/IN USE/i.test(output)) throw new Error(`the Inspector exited:\n${output}`);
  }
}

async function startChromium(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does).`);
  const profile = await tempDir("specgate-chromium-");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-gpu",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      `--host-resolver-rules=MAP ${FOREIGN_HOST} 127.0.0.1`,
    ],
    timeout: patient(30_000),
  });
  cleanup.push(() => context.close());
  return context;
}

/**
 * A page that is a minimal browser MCP client: initialize, initialized, tools/call html_to_md,
 * each a cross-origin fetch with the MCP headers (so Chromium sends a CORS preflight first). It
 * writes the Markdown, or the error, into #result.
 */
function clientPage(mcpUrl: string): string {
  const script = `
    const url = ${JSON.stringify(mcpUrl)};
    const out = document.getElementById("result");
    async function rpc(body, session) {
      const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
      if (session) Object.assign(headers, { "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" });
      const r = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
      const text = await r.text();
      const data = text.split("\\n").find((l) => l.startsWith("data:"));
      return { session: r.headers.get("mcp-session-id"), reply: data ? JSON.parse(data.slice(5)) : text ? JSON.parse(text) : null };
    }
    (async () => {
      const init = await rpc({ jsonrpc: "2.0", id: 1, method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "page", version: "1" } } });
      if (!init.session) throw new Error("no mcp-session-id readable");
      await rpc({ jsonrpc: "2.0", method: "notifications/initialized" }, init.session);
      const call = await rpc({ jsonrpc: "2.0", id: 2, method: "tools/call",
        params: { name: "html_to_md", arguments: { html: "<h3>Straight from the page</h3>" } } }, init.session);
      out.textContent = "markdown: " + call.reply.result.structuredContent.markdown;
    })().catch((e) => { out.textContent = "error: " + e.name + ": " + e.message; });`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>client</title></head><body><pre id="result"></pre><script type="module">${script}</script></body></html>`;
}

/** How many CORS preflights to /mcp the server has answered with `status` (from /metrics). */
async function preflights(base: string, status: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text
    .split("\n")
    .find(
      (l) =>
        l.startsWith("specgate_http_request_duration_seconds_count{") &&
        l.includes('route="/mcp"') &&
        l.includes('method="OPTIONS"') &&
        l.includes(`status="${status}"`),
    );
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("MCP Inspector web UI in headless Chromium against the HTTP server", () => {
  let specgate: SpawnedServer;
  let inspector: Inspector;
  let browser: BrowserContext;
  let pages: Server;

  beforeAll(async () => {
    await ensureBuilt();
    // Started together; each is stopped at the end even when another failed to start.
    const started = await Promise.allSettled([
      startHttp({ LOG_LEVEL: "warn" }).then((s) => {
        cleanup.push(() => s.stop());
        return s;
      }),
      startInspector(),
      startChromium(),
    ]);
    const [server, ui, chromiumContext] = started;
    if (server.status === "rejected") throw server.reason;
    if (ui.status === "rejected") throw ui.reason;
    if (chromiumContext.status === "rejected") throw chromiumContext.reason;
    [specgate, inspector, browser] = [server.value, ui.value, chromiumContext.value];
    pages = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(clientPage(specgate.url));
    });
    await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
    cleanup.push(
      () =>
        new Promise((resolve) => {
          pages.close(resolve);
          pages.closeAllConnections(); // Chromium's idle keep-alive connections
        }),
    );
  });

  it("connects over Streamable HTTP, lists the tools and shows html_to_md's Markdown", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(patient(15_000));
    // The UI's deep link: the server's URL, the transport, and autoConnect set to the session token.
    const query = new URLSearchParams({
      MCP_INSPECTOR_API_TOKEN: inspector.token,
      serverUrl: specgate.url,
      transport: "http",
      autoConnect: inspector.token,
    });
    await page.goto(`${inspector.url}/?${query.toString()}`);

    await page.getByText(specgate.url, { exact: true }).waitFor();
    await page.getByText("Connected", { exact: true }).waitFor();

    await page.locator("label", { hasText: /^Tools$/ }).click();
    for (const tool of ["html_to_md", "speclint_lint", "rule_extract", "rule_check"])
      await page.getByText(tool, { exact: true }).waitFor();

    await page.getByText("html_to_md", { exact: true }).click();
    await page.getByRole("textbox", { name: /^html/ }).fill("<h2>Hello from Chromium</h2><p>A <b>bold</b> move.</p>");
    await page.getByRole("button", { name: "Execute Tool" }).click();

    // The result's text content is its JSON (up to 64 KB), which the UI shows in an editor: the
    // line holding the Markdown, as a JSON string (the editor is Ace).
    const line = page.locator(".ace_line", { hasText: "Hello from Chromium" }).first();
    await line.waitFor();
    expect(await line.textContent()).toBe('  "markdown": "## Hello from Chromium\\n\\nA **bold** move.\\n",');
    await page.close();
  });

  it("a page on another loopback origin runs an MCP session directly against /mcp", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(patient(15_000));
    const port = (pages.address() as AddressInfo).port;
    const before = await preflights(specgate.base, "204");
    await page.goto(`http://localhost:${port}/`);
    const result = page.locator("#result");
    await result.filter({ hasText: /\S/ }).waitFor();
    expect(await result.textContent()).toBe("markdown: ### Straight from the page\n");
    // Chromium asked first, and was answered yes.
    expect(await preflights(specgate.base, "204")).toBeGreaterThan(before);
    await page.close();
  });

  it("the same page served under a foreign name is refused: the browser gets no session", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(patient(15_000));
    const port = (pages.address() as AddressInfo).port;
    const before = await preflights(specgate.base, "403");
    await page.goto(`http://${FOREIGN_HOST}:${port}/`);
    const result = page.locator("#result");
    await result.filter({ hasText: /\S/ }).waitFor();
    expect(await result.textContent()).toMatch(/^error: TypeError: Failed to fetch/);
    // The server refused Chromium's preflight, so the POST was never sent.
    expect(await preflights(specgate.base, "403")).toBeGreaterThan(before);
    await page.close();
  });
});
