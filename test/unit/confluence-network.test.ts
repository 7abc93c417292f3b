/**
 * The Confluence client on a corporate network: through a forward proxy (CONNECT tunnels and
 * forwarded requests), past NO_PROXY, with a TLS client certificate, and with custom headers.
 * Every server here is real and on loopback: the fake Confluence, a forward proxy, an https
 * front that requires a client certificate (certificates made with openssl for the run).
 */
import { readFile } from "node:fs/promises";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configCredentials, loadConfig, type Config } from "../../src/config.js";
import { ConfluenceClient } from "../../src/core/confluence/client.js";
import { bypassesProxy } from "../../src/core/confluence/network.js";
import { resolveConfluenceSettings } from "../../src/core/confluence/settings.js";
import { SpecGateError } from "../../src/errors.js";
import { createLogger } from "../../src/logger.js";
import { req } from "../helpers/confluence.js";
import { FakeConfluence, corpusPages } from "../helpers/fake-confluence.js";
import { ForwardProxy } from "../helpers/forward-proxy.js";
import { MtlsFront, makePki, type Pki } from "../helpers/mtls.js";

const SUPPORT = "1844969501";

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
}, 120_000);
afterAll(async () => {
  await pki?.remove();
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function fakeConfluence(flavour: "cloud" | "datacenter" = "cloud"): Promise<FakeConfluence> {
  const fake = await FakeConfluence.start({ flavour, pages: corpusPages() });
  closers.push(() => fake.close());
  return fake;
}

async function proxy(options: Parameters<typeof ForwardProxy.start>[0] = {}): Promise<ForwardProxy> {
  const p = await ForwardProxy.start(options);
  closers.push(() => p.close());
  return p;
}

async function front(fake: FakeConfluence): Promise<MtlsFront> {
  const f = await MtlsFront.start(pki, fake.origin);
  closers.push(() => f.close());
  return f;
}

function logSink() {
  let text = "";
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

/** A client for `fake` with `env` on top of its credentials, logging at debug into a sink. */
function client(fake: FakeConfluence, env: Record<string, string>) {
  const config: Config = loadConfig({ ...fake.env(), ...env });
  const log = logSink();
  const logger = createLogger({ level: "debug", secrets: configCredentials(config), destination: log.stream });
  const c = new ConfluenceClient({
    settings: resolveConfluenceSettings(config),
    backoff: { baseMs: 20, capMs: 100 },
    logger,
  });
  closers.push(() => c.close());
  return { client: c, config, log: log.text };
}

async function failure(promise: Promise<unknown>): Promise<SpecGateError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SpecGateError);
    return error as SpecGateError;
  }
  throw new Error("expected a failure");
}

describe("Confluence through a forward proxy", () => {
  it("forwards plain-http requests through HTTP_PROXY, and the proxy sees them", async () => {
    const fake = await fakeConfluence("datacenter");
    const p = await proxy();
    const { client: c } = client(fake, { HTTP_PROXY: p.url() });
    const page = await c.getPage(SUPPORT, "page", req());
    expect(page.title).toBe("지원");
    expect(p.seen.map((s) => [s.kind, new URL(s.target).pathname])).toContainEqual([
      "forward",
      `${fake.contextPath}/rest/api/content/${SUPPORT}`,
    ]);
    expect(fake.requests).toBe(p.seen.length);
  });

  it("opens a CONNECT tunnel for an https base (HTTPS_PROXY), TLS end to end with Confluence", async () => {
    const fake = await fakeConfluence();
    const f = await front(fake);
    const p = await proxy();
    const { client: c } = client(fake, {
      CONFLUENCE_BASE_URL: f.origin + fake.contextPath,
      HTTPS_PROXY: p.url(),
      CONFLUENCE_CLIENT_CERT: pki.files.clientCert,
      CONFLUENCE_CLIENT_KEY: pki.files.clientKey,
      CONFLUENCE_CA_CERT: pki.files.ca,
    });
    expect((await c.getPage(SUPPORT, "page", req())).title).toBe("지원");
    const target = new URL(f.origin).host;
    expect(p.seen.length).toBeGreaterThan(0);
    expect(p.seen.every((s) => s.kind === "connect" && s.target === target)).toBe(true);
    // The proxy saw a host and port; the wiki's credentials went only inside the tunnel.
    expect(JSON.stringify(p.seen)).not.toMatch(/authorization"/);
    expect(f.seen[0]).toMatchObject({ client: "specgate-client" });
    expect(f.seen[0]!.headers.authorization).toMatch(/^Basic /);
  });

  it("the lower-case variables win over the upper-case ones", async () => {
    const fake = await fakeConfluence("datacenter");
    const used = await proxy();
    const ignored = await proxy();
    const { client: c } = client(fake, { http_proxy: used.url(), HTTP_PROXY: ignored.url() });
    await c.getPage(SUPPORT, "page", req());
    expect(used.seen.length).toBeGreaterThan(0);
    expect(ignored.seen).toEqual([]);
  });

  it.each([["127.0.0.1"], [".0.0.1"], ["*"], ["example.com, 127.0.0.1"]])(
    "goes direct when NO_PROXY=%s exempts the host",
    async (noProxy) => {
      const fake = await fakeConfluence("datacenter");
      const p = await proxy();
      const { client: c } = client(fake, { HTTP_PROXY: p.url(), NO_PROXY: noProxy });
      await c.getPage(SUPPORT, "page", req());
      expect(fake.requests).toBeGreaterThan(0);
      expect(p.seen).toEqual([]);
    },
  );

  it("keeps using the proxy when NO_PROXY names another host or another port", async () => {
    const fake = await fakeConfluence("datacenter");
    const p = await proxy();
    const { client: c } = client(fake, { HTTP_PROXY: p.url(), NO_PROXY: "example.com,127.0.0.1:1" });
    await c.getPage(SUPPORT, "page", req());
    expect(p.seen.length).toBeGreaterThan(0);
  });

  it("sends the proxy credentials from the URL to the proxy only, and never logs them", async () => {
    const fake = await fakeConfluence("datacenter");
    const p = await proxy({ auth: { user: "alice", password: "proxy-pass-7781" } });
    const { client: c, log } = client(fake, { HTTP_PROXY: p.url("alice", "proxy-pass-7781") });
    await c.getPage(SUPPORT, "page", req());
    expect(p.seen[0]).toMatchObject({ status: 200 });
    // The proxy strips Proxy-Authorization before passing the request on; Confluence never sees it.
    expect(fake.log.every((r) => r.headers["proxy-authorization"] === undefined)).toBe(true);
    await sleep(20);
    expect(log()).toMatch(/go through a proxy/);
    expect(log()).toContain(new URL(p.url()).host);
    // A plain-http base through a proxy shows the wiki's credentials to it: SpecGate says so.
    expect(log()).toMatch(/plain http: the proxy sees the Confluence credentials/);
    const basic = Buffer.from("alice:proxy-pass-7781").toString("base64");
    expect(log()).not.toContain("proxy-pass-7781");
    expect(log()).not.toContain(basic);
  });

  it("answers E_AUTH naming the variable when the proxy wants other credentials, without quoting them", async () => {
    const fake = await fakeConfluence();
    const f = await front(fake);
    const p = await proxy({ auth: { user: "alice", password: "right-pass-1234" } });
    const { client: c, log } = client(fake, {
      CONFLUENCE_BASE_URL: f.origin + fake.contextPath,
      HTTPS_PROXY: p.url("alice", "wrong-pass-5678"),
      CONFLUENCE_CA_CERT: pki.files.ca,
      CONFLUENCE_CLIENT_CERT: pki.files.clientCert,
      CONFLUENCE_CLIENT_KEY: pki.files.clientKey,
    });
    const error = await failure(c.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_AUTH");
    expect(error.message).toMatch(/407.*HTTPS_PROXY/);
    expect(p.seen.map((s) => s.status)).toContain(407);
    expect(f.seen).toEqual([]);
    await sleep(20);
    expect(`${error.message} ${JSON.stringify(error.details)} ${log()}`).not.toContain("wrong-pass-5678");
  });

  it("names the proxy and NO_PROXY when the proxy refuses the tunnel, or cannot be reached", async () => {
    const fake = await fakeConfluence();
    const f = await front(fake);
    const host = new URL(f.origin).host;
    const p = await proxy({ deny: [host] });
    const tls = {
      CONFLUENCE_BASE_URL: f.origin + fake.contextPath,
      CONFLUENCE_CA_CERT: pki.files.ca,
      CONFLUENCE_CLIENT_CERT: pki.files.clientCert,
      CONFLUENCE_CLIENT_KEY: pki.files.clientKey,
    };
    const refused = await failure(
      client(fake, { ...tls, HTTPS_PROXY: p.url() }).client.getPage(SUPPORT, "page", req()),
    );
    expect(refused.code).toBe("E_UPSTREAM");
    expect(refused.message).toMatch(/refused to connect SpecGate to 127\.0\.0\.1.*HTTP 403.*NO_PROXY/);

    const gone = await ForwardProxy.start();
    const url = gone.url();
    await gone.close();
    const unreachable = await failure(
      client(fake, { ...tls, HTTPS_PROXY: url }).client.getPage(SUPPORT, "page", req()),
    );
    expect(unreachable.code).toBe("E_UPSTREAM");
    expect(unreachable.message).toMatch(/Cannot reach the proxy .*ECONNREFUSED.*HTTPS_PROXY/);
  });

  it("reaches an https:// proxy, trusting its certificate through CONFLUENCE_CA_CERT", async () => {
    const fake = await fakeConfluence();
    const f = await front(fake);
    const [key, cert] = await Promise.all([readFile(pki.files.serverKey), readFile(pki.files.serverCert)]);
    const p = await proxy({ tls: { key, cert } });
    expect(p.url()).toMatch(/^https:/);
    const { client: c } = client(fake, {
      CONFLUENCE_BASE_URL: f.origin + fake.contextPath,
      HTTPS_PROXY: p.url(),
      CONFLUENCE_CLIENT_CERT: pki.files.clientCert,
      CONFLUENCE_CLIENT_KEY: pki.files.clientKey,
      CONFLUENCE_CA_CERT: pki.files.ca,
    });
    expect((await c.getPage(SUPPORT, "page", req())).title).toBe("지원");
    expect(p.seen.map((s) => s.kind)).toContain("connect");
  });

  it("NO_PROXY matching: host and subdomains, leading dot or *., ports, case, IPv6, *", () => {
    const u = (s: string) => new URL(s);
    expect(bypassesProxy(u("https://wiki.corp.example"), "corp.example")).toBe(true);
    expect(bypassesProxy(u("https://wiki.corp.example"), ".corp.example")).toBe(true);
    expect(bypassesProxy(u("https://wiki.corp.example"), "*.corp.example")).toBe(true);
    expect(bypassesProxy(u("https://WIKI.Corp.Example"), "corp.example")).toBe(true);
    expect(bypassesProxy(u("https://notcorp.example"), "corp.example")).toBe(false);
    expect(bypassesProxy(u("https://wiki.corp.example"), "wiki.corp.example:443")).toBe(true);
    expect(bypassesProxy(u("https://wiki.corp.example:8443"), "wiki.corp.example:443")).toBe(false);
    expect(bypassesProxy(u("http://wiki.corp.example"), "wiki.corp.example:80")).toBe(true);
    expect(bypassesProxy(u("https://[::1]:8443"), "[::1]:8443")).toBe(true);
    expect(bypassesProxy(u("https://anything.example"), "*")).toBe(true);
    expect(bypassesProxy(u("https://anything.example"), "")).toBe(false);
    expect(bypassesProxy(u("https://a.example"), "b.example c.example,a.example")).toBe(true);
  });

  it("counts the proxy's password and its Basic credential among the secrets", () => {
    const config = loadConfig({ HTTPS_PROXY: "http://svc%40corp:p%3Ass-w0rd@proxy:3128" });
    expect(configCredentials(config)).toEqual(
      expect.arrayContaining(["p:ss-w0rd", Buffer.from("svc@corp:p:ss-w0rd").toString("base64")]),
    );
  });

  it("refuses a proxy URL it cannot use, naming the variable", () => {
    const env = { CONFLUENCE_BASE_URL: "https://wiki.example.com", CONFLUENCE_PAT: "pat-123456" };
    expect(() => resolveConfluenceSettings(loadConfig({ ...env, HTTPS_PROXY: "socks5://p:1080" }))).toThrow(
      /HTTPS_PROXY must be an http:\/\/ or https:\/\/ proxy URL/,
    );
    expect(() => resolveConfluenceSettings(loadConfig({ ...env, HTTPS_PROXY: "http://exa mple:80" }))).toThrow(
      /HTTPS_PROXY is not a URL/,
    );
    // A host:port without a scheme is taken as http://host:port, as curl does.
    const settings = resolveConfluenceSettings(loadConfig({ ...env, https_proxy: "proxy.corp:3128" }));
    expect(settings.network.proxy?.href).toBe("http://proxy.corp:3128/");
  });

  it("sends credentials only to the configured base: a redirect to another host is not followed through the proxy", async () => {
    const fake = await fakeConfluence("datacenter");
    const elsewhere = await fakeConfluence("datacenter");
    const p = await proxy();
    const { client: c } = client(fake, { HTTP_PROXY: p.url() });
    const stolen = `http://localhost:${new URL(elsewhere.origin).port}/confluence/rest/api/content/${SUPPORT}`;
    fake.fault({ kind: "redirect", match: SUPPORT, location: stolen });
    const error = await failure(c.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_UPSTREAM");
    expect(error.message).toMatch(/does not follow/);
    expect(elsewhere.requests).toBe(0);
    expect(p.seen.map((s) => new URL(s.target).host)).toEqual([new URL(fake.origin).host]);
    expect(p.seen.some((s) => s.target.includes("localhost"))).toBe(false);
  });
});

describe("Confluence with a TLS client certificate", () => {
  const tlsEnv = () => ({
    CONFLUENCE_CLIENT_CERT: pki.files.clientCert,
    CONFLUENCE_CLIENT_KEY: pki.files.clientKey,
    CONFLUENCE_CA_CERT: pki.files.ca,
  });

  it("presents the certificate to a server that requires one, and reads the page", async () => {
    const fake = await fakeConfluence("datacenter");
    const f = await front(fake);
    const { client: c } = client(fake, { CONFLUENCE_BASE_URL: f.origin + fake.contextPath, ...tlsEnv() });
    expect((await c.getPage(SUPPORT, "page", req())).title).toBe("지원");
    expect(f.seen.map((s) => s.client)).toEqual(["specgate-client"]);
  });

  it("without a certificate: E_AUTH naming CONFLUENCE_CLIENT_CERT and CONFLUENCE_CLIENT_KEY; nothing reaches Confluence", async () => {
    const fake = await fakeConfluence("datacenter");
    const f = await front(fake);
    const { client: c } = client(fake, {
      CONFLUENCE_BASE_URL: f.origin + fake.contextPath,
      CONFLUENCE_CA_CERT: pki.files.ca,
    });
    const error = await failure(c.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_AUTH");
    expect(error.message).toMatch(/requires? a client certificate.*CONFLUENCE_CLIENT_CERT and CONFLUENCE_CLIENT_KEY/);
    expect(error.retryable).toBe(false);
    expect(f.refused.length).toBeGreaterThan(0);
    expect(fake.requests).toBe(0);
  });

  it("with a certificate the server does not trust: E_AUTH saying so", async () => {
    const fake = await fakeConfluence("datacenter");
    const f = await front(fake);
    const { client: c } = client(fake, {
      CONFLUENCE_BASE_URL: f.origin + fake.contextPath,
      CONFLUENCE_CA_CERT: pki.files.ca,
      CONFLUENCE_CLIENT_CERT: pki.files.strangerCert,
      CONFLUENCE_CLIENT_KEY: pki.files.strangerKey,
    });
    const error = await failure(c.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_AUTH");
    expect(error.message).toMatch(/(does|do) not accept .*a CA the server trusts issued/);
    expect(error.message).toContain("CONFLUENCE_CLIENT_CERT");
    expect(fake.requests).toBe(0);
  });

  it("without the private CA, the server's certificate is not trusted (and the message names CONFLUENCE_CA_CERT)", async () => {
    const fake = await fakeConfluence("datacenter");
    const f = await front(fake);
    const { client: c } = client(fake, {
      CONFLUENCE_BASE_URL: f.origin + fake.contextPath,
      CONFLUENCE_CLIENT_CERT: pki.files.clientCert,
      CONFLUENCE_CLIENT_KEY: pki.files.clientKey,
    });
    const error = await failure(c.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_UPSTREAM");
    expect(error.message).toMatch(/not trusted.*CONFLUENCE_CA_CERT/);
  });

  it("refuses missing, unreadable or mismatched PEM files with E_CONFIG naming the variable, never the key", async () => {
    const base = { CONFLUENCE_BASE_URL: "https://wiki.example.com", CONFLUENCE_PAT: "pat-123456" };
    const settle = (env: Record<string, string>) => {
      try {
        resolveConfluenceSettings(loadConfig({ ...base, ...env }));
      } catch (error) {
        return error as SpecGateError;
      }
      throw new Error("expected E_CONFIG");
    };
    const keyText = await readFile(pki.files.clientKey, "utf8");
    const keyBody = keyText.split("\n")[1]!;
    const cases: [Record<string, string>, RegExp][] = [
      [{ CONFLUENCE_CLIENT_CERT: pki.files.clientCert }, /set CONFLUENCE_CLIENT_KEY too/],
      [{ CONFLUENCE_CLIENT_KEY: pki.files.clientKey }, /set CONFLUENCE_CLIENT_CERT too/],
      [
        { CONFLUENCE_CLIENT_CERT: `${pki.dir}/missing.pem`, CONFLUENCE_CLIENT_KEY: pki.files.clientKey },
        /CONFLUENCE_CLIENT_CERT names .*missing\.pem, which cannot be read \(no such file\)/,
      ],
      [
        { CONFLUENCE_CLIENT_CERT: pki.files.clientKey, CONFLUENCE_CLIENT_KEY: pki.files.clientKey },
        /CONFLUENCE_CLIENT_CERT \(.*\) does not start with a valid PEM certificate/,
      ],
      [
        { CONFLUENCE_CLIENT_CERT: pki.files.clientCert, CONFLUENCE_CLIENT_KEY: pki.files.clientCert },
        /CONFLUENCE_CLIENT_KEY \(.*\) is not an unencrypted PEM private key/,
      ],
      [
        { CONFLUENCE_CLIENT_CERT: pki.files.clientCert, CONFLUENCE_CLIENT_KEY: pki.files.strangerKey },
        /CONFLUENCE_CLIENT_KEY \(.*\) is not the private key of the certificate in CONFLUENCE_CLIENT_CERT/,
      ],
      [{ CONFLUENCE_CA_CERT: `${pki.dir}/ca.srl` }, /CONFLUENCE_CA_CERT \(.*\) is not a PEM file/],
      [{ CONFLUENCE_CA_CERT: pki.files.clientKey }, /CONFLUENCE_CA_CERT \(.*\) holds no PEM certificate/],
    ];
    for (const [env, message] of cases) {
      const error = settle(env);
      expect(error.code).toBe("E_CONFIG");
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(keyBody);
    }
  });

  it("resolves relative PEM paths against the working directory", () => {
    const config = loadConfig({ CONFLUENCE_CLIENT_CERT: "certs/client.pem" }, "/srv/specgate");
    expect(config.confluence.clientCertFile).toBe("/srv/specgate/certs/client.pem");
  });
});

describe("Confluence custom headers", () => {
  const HEADERS = "X-Gateway-Key=gw-secret-4242,X-Team=design-docs";

  it("sends them on every request and scrubs their values from what Confluence echoes", async () => {
    const fake = await fakeConfluence();
    const { client: c, config } = client(fake, { CONFLUENCE_CUSTOM_HEADERS: HEADERS });
    await c.getPage(SUPPORT, "page", req());
    await c.search('label = "specgate:type:api-design"', 10, undefined, req());
    expect(fake.requests).toBeGreaterThan(1);
    for (const r of fake.log) {
      expect(r.headers["x-gateway-key"]).toBe("gw-secret-4242");
      expect(r.headers["x-team"]).toBe("design-docs");
      expect(r.headers.authorization).toMatch(/^Basic /);
    }
    expect(configCredentials(config)).toEqual(expect.arrayContaining(["gw-secret-4242", "design-docs"]));

    fake.fault({ kind: "echo", match: SUPPORT, status: 400 });
    const error = await failure(c.getPage(SUPPORT, "page", req()));
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain("gw-secret-4242");
  });

  it("reaches Confluence through the proxy and the TLS front with them", async () => {
    const fake = await fakeConfluence();
    const f = await front(fake);
    const p = await proxy();
    const { client: c } = client(fake, {
      CONFLUENCE_BASE_URL: f.origin + fake.contextPath,
      HTTPS_PROXY: p.url(),
      CONFLUENCE_CLIENT_CERT: pki.files.clientCert,
      CONFLUENCE_CLIENT_KEY: pki.files.clientKey,
      CONFLUENCE_CA_CERT: pki.files.ca,
      CONFLUENCE_CUSTOM_HEADERS: HEADERS,
    });
    await c.getPage(SUPPORT, "page", req());
    expect(f.seen[0]!.headers["x-gateway-key"]).toBe("gw-secret-4242");
    expect(JSON.stringify(p.seen)).not.toContain("gw-secret-4242");
  });

  it.each([
    ["Authorization=Bearer x", /Authorization cannot be set here/],
    ["host=evil.example", /host cannot be set here/],
    ["Content-Length=0", /Content-Length cannot be set here/],
    ["X-A=1,x-a=2", /x-a is given twice/],
    ["X-Ok=1,X-Key gw-secret=1", /the name of header 2 is not an HTTP token/],
    ["X-Key:gw-secret", /header 1 has no "="/],
    ["JustAName", /"JustAName" has no "="/],
  ])("refuses %s at startup with a message naming the variable, not the value", (value, message) => {
    let error: Error | undefined;
    try {
      loadConfig({ CONFLUENCE_CUSTOM_HEADERS: value });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe("ConfigError");
    expect(error?.message).toMatch(/^Invalid configuration — CONFLUENCE_CUSTOM_HEADERS: /);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toMatch(/Bearer x|evil\.example|gw-secret/);
  });

  it("keeps '=' inside a value, and ignores empty entries", () => {
    const config = loadConfig({ CONFLUENCE_CUSTOM_HEADERS: "X-Sig=a=b==, ,X-Other=1" });
    expect(config.confluence.customHeaders).toEqual([
      ["X-Sig", "a=b=="],
      ["X-Other", "1"],
    ]);
  });
});
