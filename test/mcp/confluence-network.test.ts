/**
 * confluence_fetch end to end on a corporate network: the runtime is built by the composition
 * root from the environment (as `specgate serve` does), called through a real SDK Client, and
 * reaches the fake Confluence through a forward proxy (CONNECT) and an https front that requires
 * a client certificate, with a custom header a gateway would ask for.
 */
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../src/bootstrap.js";
import { configCredentials, loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createServer } from "../../src/server.js";
import { TOOLS } from "../../src/tools/index.js";
import { FakeConfluence, corpusPages } from "../helpers/fake-confluence.js";
import { ForwardProxy } from "../helpers/forward-proxy.js";
import { MtlsFront, makePki, type Pki } from "../helpers/mtls.js";

const SUPPORT = "1844969501";
const GATEWAY_KEY = "gw-key-90210-secret";
const PROXY_PASSWORD = "proxy-pw-31337";

let pki: Pki;
let fake: FakeConfluence;
let front: MtlsFront;
let proxy: ForwardProxy;
beforeAll(async () => {
  pki = await makePki();
  fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
  front = await MtlsFront.start(pki, fake.origin);
  proxy = await ForwardProxy.start({ auth: { user: "svc", password: PROXY_PASSWORD } });
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await front?.close();
  await fake?.close();
  await pki?.remove();
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A server built from `env` by bootstrap, and an SDK client connected to it; its log lines in memory. */
async function serve(env: Record<string, string>) {
  const config = loadConfig({ ...fake.env(), ...env });
  let log = "";
  const sink = new Writable({
    write(chunk, _e, cb) {
      log += String(chunk);
      cb();
    },
  });
  const logger = createLogger({ level: "debug", secrets: configCredentials(config), destination: sink });
  const runtime = await bootstrap(config, { logger });
  const specgate = createServer({ runtime, tools: TOOLS });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "specgate-test", version: "1.0.0" });
  await Promise.all([specgate.server.connect(b), client.connect(a)]);
  closers.push(async () => {
    await client.close();
    await specgate.close();
  });
  return { client, log: () => log };
}

const text = (r: Record<string, unknown>) => (r.content as { text: string }[])[0]!.text;

function corporateEnv(): Record<string, string> {
  return {
    CONFLUENCE_BASE_URL: front.origin + fake.contextPath,
    HTTPS_PROXY: proxy.url("svc", PROXY_PASSWORD),
    CONFLUENCE_CLIENT_CERT: pki.files.clientCert,
    CONFLUENCE_CLIENT_KEY: pki.files.clientKey,
    CONFLUENCE_CA_CERT: pki.files.ca,
    CONFLUENCE_CUSTOM_HEADERS: `X-Gateway-Key=${GATEWAY_KEY}`,
  };
}

describe("confluence_fetch through a proxy, with a client certificate and custom headers", () => {
  it("fetches a page; the proxy saw a tunnel, the wiki saw the certificate and the header; nothing leaks", async () => {
    const { client, log } = await serve(corporateEnv());
    const r = await client.callTool({ name: "confluence_fetch", arguments: { page_id: SUPPORT } });
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as { documents: { id: string; title: string; markdown?: string }[] };
    expect(out.documents[0]).toMatchObject({ id: SUPPORT, title: "지원" });
    expect(out.documents[0]!.markdown?.length).toBeGreaterThan(0);

    expect(proxy.seen.some((s) => s.kind === "connect" && s.target === new URL(front.origin).host)).toBe(true);
    const seen = front.seen.find((s) => s.path.includes(SUPPORT));
    expect(seen).toMatchObject({ client: "specgate-client" });
    expect(seen!.headers["x-gateway-key"]).toBe(GATEWAY_KEY);

    await sleep(20);
    const everything = JSON.stringify(r) + log();
    expect(everything).not.toContain(GATEWAY_KEY);
    expect(everything).not.toContain(PROXY_PASSWORD);
    expect(log()).toMatch(/go through a proxy/);
  });

  it("without the client certificate: E_AUTH naming the variables, and the server keeps serving", async () => {
    const env = corporateEnv();
    delete env.CONFLUENCE_CLIENT_CERT;
    delete env.CONFLUENCE_CLIENT_KEY;
    const { client } = await serve(env);
    const r = await client.callTool({ name: "confluence_fetch", arguments: { page_id: SUPPORT } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^E_AUTH: .*CONFLUENCE_CLIENT_CERT and CONFLUENCE_CLIENT_KEY/);
    const ok = await client.callTool({ name: "html_to_md", arguments: { html: "<p>ok</p>" } });
    expect(ok.isError).toBeFalsy();
  });

  it("a key file that cannot be read: a warning at startup, then E_CONFIG naming CONFLUENCE_CLIENT_KEY", async () => {
    const { client, log } = await serve({ ...corporateEnv(), CONFLUENCE_CLIENT_KEY: `${pki.dir}/absent.key` });
    await sleep(20);
    const warning = log()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: string; msg: string; reason?: string })
      .find((l) => l.msg.includes("Confluence settings are unusable"));
    expect(warning?.level).toBe("warn");
    expect(warning?.reason).toMatch(/CONFLUENCE_CLIENT_KEY names .*absent\.key/);
    const r = await client.callTool({ name: "confluence_fetch", arguments: { page_id: SUPPORT } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^E_CONFIG: .*CONFLUENCE_CLIENT_KEY/);
  });
});
