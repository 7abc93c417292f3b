/**
 * An upstream that reflects the request's headers — a proxy's or gateway's error page, a debug
 * endpoint — must not hand the caller SpecGate's Confluence credentials. The fake Confluence
 * (a real loopback server) answers 400 and 500 with every request header echoed as JSON, as
 * plain text and URL-encoded in a query string. Nothing the caller or the log sees may hold the
 * credential in any form: the token as written, URL-encoded, Base64-encoded, the whole Basic
 * credential, or the PAT of a Bearer header.
 *
 * The server's log goes to an unscrubbed sink here, so what is proven is that the upstream body is
 * cleaned where it enters; the logger's own scrubbing is tested on its own below.
 */
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { configCredentials, loadConfig } from "../../src/config.js";
import { createConfluenceClient, type ConfluenceClient } from "../../src/core/confluence/client.js";
import { createLogger } from "../../src/logger.js";
import { FakeConfluence, corpusPages } from "../helpers/fake-confluence.js";
import { connectInMemory, memoryLogger, type Harness } from "../helpers/runtime.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { runBin } from "../helpers/spawn.js";

const EMAIL = "bot@example.com";
// `+`, `/`, `=` and a space: the URL-encoded form differs from the raw one.
const TOKEN = "ATATT3x/Fq+Secret=Token 7a1c";
const PAT = "dc-PAT+secret/93be=";
const PAGE = "1844969501";

/** Every form the credential may take in an echo. */
function forms(secret: string, user?: string): Record<string, string> {
  const out: Record<string, string> = {
    raw: secret,
    "url-encoded": encodeURIComponent(secret),
    "form-encoded": new URLSearchParams({ x: secret }).toString().slice(2),
    base64: Buffer.from(secret).toString("base64"),
    base64url: Buffer.from(secret).toString("base64url"),
  };
  if (user !== undefined) {
    const basic = Buffer.from(`${user}:${secret}`).toString("base64");
    out.basic = basic;
    out["url-encoded basic"] = encodeURIComponent(`Basic ${basic}`);
    out["basic of another user"] = Buffer.from(`someone-else:${secret}`).toString("base64").slice(8, -4);
  }
  return out;
}

function expectClean(text: string, secretForms: Record<string, string>): void {
  for (const [name, form] of Object.entries(secretForms))
    expect(text.includes(form), `${name} (${form}) leaked`).toBe(false);
}

let h: Harness | undefined;
let fake: FakeConfluence | undefined;
let client: ConfluenceClient | undefined;
afterEach(async () => {
  await h?.close();
  await client?.close();
  await fake?.close();
  h = client = fake = undefined;
});

const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe("credentials reflected by an upstream", () => {
  for (const flavour of ["cloud", "datacenter"] as const) {
    it(`${flavour}: 400 and 500 echoes reach neither the tool result nor the log`, async () => {
      fake = await FakeConfluence.start({
        flavour,
        pages: corpusPages(),
        auth: flavour === "cloud" ? { email: EMAIL, token: TOKEN } : { pat: PAT },
      });
      const secretForms = flavour === "cloud" ? forms(TOKEN, EMAIL) : forms(PAT);
      const log = memoryLogger("debug");
      const config = loadConfig({ LOG_LEVEL: "debug", ...fake.env() });
      client = createConfluenceClient(config, { logger: log.logger.child({ service: "confluence" }) });
      h = await connectInMemory({
        env: { ...fake.env(), SPECGATE_TOOL_TIMEOUT_MS: "20000" },
        logger: log.logger,
        runtime: { services: { confluence: client } },
      });

      const seen: string[] = [];
      const call = async (args: Record<string, unknown>) => {
        const r = (await h!.client.callTool({
          name: "confluence_fetch",
          arguments: { ...args, bypass_cache: true },
        })) as CallToolResult;
        seen.push(JSON.stringify(r));
        return r;
      };
      for (const echo of ["json", "text", "query"] as const) {
        fake.fault({ kind: "echo", status: 400, echo, match: PAGE });
        const r = await call({ page_id: PAGE });
        expect(r.isError).toBe(true);
        expect(text(r)).toMatch(/^E_INVALID_INPUT: Confluence rejected the request for page 1844969501 \(400\)/);
      }
      // The echo really carried the credential, which was replaced where it entered.
      expect(seen.join("\n")).toContain("[redacted]");

      fake.fault({ kind: "echo", status: 400, echo: "json", match: "/content/search" });
      expect((await call({ cql: "space = QM" })).isError).toBe(true);

      fake.fault({ kind: "echo", status: 500, echo: "json", match: PAGE, times: 3 });
      const failed = await call({ page_id: PAGE });
      expect(failed.isError).toBe(true);
      expect(text(failed)).toMatch(/^E_UPSTREAM/);

      // One page of several fails: its error is part of a successful result.
      fake.fault({ kind: "echo", status: 400, echo: "text", match: PAGE });
      const mixed = await call({ page_ids: [PAGE, "27821303"] });
      expect(mixed.isError).toBeFalsy();
      expect(JSON.stringify(mixed.structuredContent)).toMatch(/E_INVALID_INPUT/);

      // The bodies were logged (at debug), scrubbed.
      expect(log.text()).toMatch(/confluence refused the request/);
      expectClean(seen.join("\n"), secretForms);
      expectClean(log.text(), secretForms);
    });
  }

  it("the CLI's fetch prints neither the credential nor its encodings, at debug level", async () => {
    await ensureBuilt();
    fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages(), auth: { email: EMAIL, token: TOKEN } });
    fake.fault({ kind: "echo", status: 400, echo: "text", match: PAGE });
    const run = await runBin(["fetch", "--page-id", PAGE], { env: { ...fake.env(), LOG_LEVEL: "debug" } });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/E_INVALID_INPUT: Confluence rejected the request for page 1844969501 \(400\)/);
    expectClean(run.stdout + run.stderr, forms(TOKEN, EMAIL));
  });
});

describe("the log scrubber", () => {
  it("removes every form of the configured credentials, Basic and Bearer included", () => {
    const config = loadConfig({
      CONFLUENCE_BASE_URL: "https://wiki.example.com/confluence",
      CONFLUENCE_EMAIL: EMAIL,
      CONFLUENCE_API_TOKEN: TOKEN,
      CONFLUENCE_PAT: PAT,
    });
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ level: "debug", secrets: configCredentials(config), destination: sink });
    const all = {
      ...forms(TOKEN, EMAIL),
      ...Object.fromEntries(Object.entries(forms(PAT)).map(([k, v]) => [`pat ${k}`, v])),
    };
    for (const [name, form] of Object.entries(all))
      logger.debug({ body: `upstream said: ${form}` }, `echo of the ${name} form`);
    logger.debug(
      { headers: { Authorization: `Bearer ${PAT}` }, line: `authorization: Basic ${forms(TOKEN, EMAIL).basic}` },
      "request headers",
    );
    const text = chunks.join("");
    expect(text.split("\n").filter(Boolean)).toHaveLength(Object.keys(all).length + 1);
    expectClean(text, all);
    expect(text).toContain("[redacted]");
  });
});
