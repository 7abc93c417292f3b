/**
 * How SpecGate reaches Confluence on a corporate network: the forward proxy (HTTPS_PROXY,
 * HTTP_PROXY, NO_PROXY), a TLS client certificate and a private CA (mutual TLS), and custom
 * headers an API gateway in front of the wiki asks for.
 *
 * Resolved once with the rest of the settings. The PEM files are read and checked here, so a
 * missing, unreadable or mismatched file is one E_CONFIG naming its variable (never its
 * contents). The proxy is chosen once for the configured base URL: the client only ever talks to
 * that origin, so there is nothing to decide per request.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { SpecGateError } from "../../errors.js";
import { basicCredential } from "../../secrets.js";

/** The network part of the Confluence configuration (environment variables, parsed). */
export interface ConfluenceNetworkConfig {
  /** `http_proxy` ?? `HTTP_PROXY`. */
  httpProxy?: string | undefined;
  /** `https_proxy` ?? `HTTPS_PROXY`; an https base falls back to the HTTP proxy. */
  httpsProxy?: string | undefined;
  /** `no_proxy` ?? `NO_PROXY`: hosts reached directly. */
  noProxy?: string | undefined;
  /** CONFLUENCE_CLIENT_CERT: PEM file of the client certificate (with its chain, if any). */
  clientCertFile?: string | undefined;
  /** CONFLUENCE_CLIENT_KEY: PEM file of its private key, unencrypted. */
  clientKeyFile?: string | undefined;
  /** CONFLUENCE_CA_CERT: PEM file of CA certificates trusted for Confluence, beside the public ones. */
  caCertFile?: string | undefined;
  /** CONFLUENCE_CUSTOM_HEADERS, parsed. */
  customHeaders?: readonly (readonly [string, string])[] | undefined;
}

export interface ConfluenceNetwork {
  /** The proxy the base URL is reached through; undefined = directly (none set, or NO_PROXY). */
  proxy: URL | undefined;
  /** TLS options for the connection to Confluence (and to an https proxy: `ca` only). */
  tls: { cert?: string; key?: string; ca?: string[] };
  /** Extra request headers, names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** The header values and the proxy's credentials, to scrub from everything read ({@link networkSecrets}). */
  secrets: readonly string[];
}

/** Headers a custom header may not set: the credentials, the framing, and hop-by-hop ones. */
const RESERVED_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible ASCII, spaces and tabs inside, and any non-ASCII: no control characters (no CR/LF).
const VALUE = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/;

/**
 * `Name=Value,Name2=Value2` as pairs. Throws an Error naming the offending header (never a
 * value) for a malformed entry; see {@link checkCustomHeaders}. A value may hold `=` but not `,`.
 */
export function parseCustomHeaders(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of text.split(",")) {
    if (entry.trim() === "") continue;
    const eq = entry.indexOf("=");
    if (eq < 0) {
      const name = entry.trim();
      throw new Error(`${TOKEN.test(name) ? `"${name}"` : `header ${out.length + 1}`} has no "=": write Name=Value`);
    }
    out.push([entry.slice(0, eq).trim(), entry.slice(eq + 1).trim()]);
  }
  checkCustomHeaders(out);
  return out;
}

/**
 * Throws an Error naming the offending header (never a value) for a name that is not an HTTP
 * token, a duplicate, a value with a control character, or a header SpecGate owns
 * (Authorization, Host, Content-Length, hop-by-hop headers).
 */
export function checkCustomHeaders(entries: readonly (readonly [string, string])[]): void {
  const seen = new Set<string>();
  for (const [i, [name, value]] of entries.entries()) {
    // Not quoted: a malformed entry may be a value typed in the wrong place.
    if (!TOKEN.test(name))
      throw new Error(`the name of header ${i + 1} is not an HTTP token (letters, digits, -, no spaces)`);
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower))
      throw new Error(
        `${name} cannot be set here: SpecGate sets it itself (credentials go in CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN or CONFLUENCE_PAT)`,
      );
    if (seen.has(lower)) throw new Error(`${name} is given twice`);
    if (!VALUE.test(value)) throw new Error(`the value of ${name} holds a control character`);
    seen.add(lower);
  }
}

/** Whether NO_PROXY exempts `url` (curl's and undici's rules: `*`, suffixes, optional `:port`). */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  const value = (noProxy ?? "").trim();
  if (value === "") return false;
  if (value === "*") return true;
  const host = url.hostname.toLowerCase();
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  for (const raw of value.split(/[,\s]+/)) {
    if (!raw) continue;
    const m = /^(.+):(\d+)$/.exec(raw);
    const entry = (m ? m[1]! : raw).replace(/^\*?\./, "").toLowerCase();
    if (m && Number(m[2]) !== port) continue;
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** `url` without its credentials, for logs and messages: its origin (scheme, host, port). */
export function withoutCredentials(url: URL): string {
  return url.origin;
}

/** The proxy for `baseUrl`: the https or http one by its scheme, unless NO_PROXY exempts it. */
export function proxyFor(baseUrl: URL, c: ConfluenceNetworkConfig): URL | undefined {
  const chosen = baseUrl.protocol === "https:" ? (c.httpsProxy ?? c.httpProxy) : c.httpProxy;
  if (!chosen || bypassesProxy(baseUrl, c.noProxy)) return undefined;
  const name = baseUrl.protocol === "https:" && c.httpsProxy ? "HTTPS_PROXY" : "HTTP_PROXY";
  let proxy: URL;
  try {
    proxy = new URL(chosen.includes("://") ? chosen : `http://${chosen}`);
  } catch {
    throw new SpecGateError("E_CONFIG", `${name} is not a URL: write http://proxy.example.com:3128.`);
  }
  if (proxy.protocol !== "http:" && proxy.protocol !== "https:")
    throw new SpecGateError("E_CONFIG", `${name} must be an http:// or https:// proxy URL.`);
  return proxy;
}

/** Resolves the proxy, reads and checks the PEM files, and checks the custom headers. Throws E_CONFIG. */
export function resolveNetwork(baseUrl: URL, c: ConfluenceNetworkConfig): ConfluenceNetwork {
  const proxy = proxyFor(baseUrl, c);
  const tls: ConfluenceNetwork["tls"] = {};
  if (Boolean(c.clientCertFile) !== Boolean(c.clientKeyFile)) {
    const missing = c.clientCertFile ? "CONFLUENCE_CLIENT_KEY" : "CONFLUENCE_CLIENT_CERT";
    throw new SpecGateError(
      "E_CONFIG",
      `A TLS client certificate needs both CONFLUENCE_CLIENT_CERT and CONFLUENCE_CLIENT_KEY: set ${missing} too.`,
      { details: { missing: [missing] } },
    );
  }
  if (c.clientCertFile && c.clientKeyFile) {
    const cert = readPem("CONFLUENCE_CLIENT_CERT", c.clientCertFile);
    const key = readPem("CONFLUENCE_CLIENT_KEY", c.clientKeyFile);
    const certificate = parseCertificate("CONFLUENCE_CLIENT_CERT", c.clientCertFile, cert);
    let privateKey;
    try {
      privateKey = createPrivateKey(key);
    } catch {
      // The error of an encrypted or malformed key is not repeated: it could quote the file.
      throw new SpecGateError(
        "E_CONFIG",
        `CONFLUENCE_CLIENT_KEY (${c.clientKeyFile}) is not an unencrypted PEM private key. Decrypt it first (openssl pkey -in key.pem -out plain.pem).`,
        { details: { variable: "CONFLUENCE_CLIENT_KEY" } },
      );
    }
    if (!certificate.checkPrivateKey(privateKey))
      throw new SpecGateError(
        "E_CONFIG",
        `CONFLUENCE_CLIENT_KEY (${c.clientKeyFile}) is not the private key of the certificate in CONFLUENCE_CLIENT_CERT (${c.clientCertFile}).`,
        { details: { variable: "CONFLUENCE_CLIENT_KEY" } },
      );
    tls.cert = cert;
    tls.key = key;
  }
  if (c.caCertFile) {
    const pem = readPem("CONFLUENCE_CA_CERT", c.caCertFile);
    const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (certs.length === 0)
      throw new SpecGateError("E_CONFIG", `CONFLUENCE_CA_CERT (${c.caCertFile}) holds no PEM certificate.`, {
        details: { variable: "CONFLUENCE_CA_CERT" },
      });
    for (const one of certs) parseCertificate("CONFLUENCE_CA_CERT", c.caCertFile, one);
    // Beside the public roots, not instead of them: a proxy or gateway with a public certificate keeps working.
    // node:tls is loaded here, when a CA is configured, not at every start (it is about 8 ms).
    tls.ca = [...process.getBuiltinModule("node:tls").rootCertificates, ...certs];
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of parseCustomHeadersChecked(c.customHeaders ?? [])) headers[name.toLowerCase()] = value;
  return { proxy, tls, headers, secrets: networkSecrets(c) };
}

/**
 * What the network settings add to the secrets scrubbed from bodies, logs and errors: every
 * custom header's value, the proxy's password and the Basic credential sent to it.
 */
export function networkSecrets(c: ConfluenceNetworkConfig): string[] {
  const out: string[] = (c.customHeaders ?? []).map(([, value]) => value);
  for (const raw of [c.httpProxy, c.httpsProxy]) {
    if (!raw) continue;
    try {
      const u = new URL(raw.includes("://") ? raw : `http://${raw}`);
      if (u.password) {
        const user = decodeURIComponent(u.username);
        const password = decodeURIComponent(u.password);
        out.push(password, basicCredential(user, password));
      }
    } catch {
      /* reported as E_CONFIG when the client is built */
    }
  }
  return out.filter((s) => s.length > 0);
}

function parseCustomHeadersChecked(
  entries: readonly (readonly [string, string])[],
): readonly (readonly [string, string])[] {
  // Entries may come from a library caller rather than the environment: the same rules apply.
  try {
    checkCustomHeaders(entries);
  } catch (error) {
    throw new SpecGateError("E_CONFIG", `CONFLUENCE_CUSTOM_HEADERS: ${(error as Error).message}.`, {
      details: { variable: "CONFLUENCE_CUSTOM_HEADERS" },
    });
  }
  return entries;
}

function readPem(variable: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SpecGateError(
      "E_CONFIG",
      `${variable} names ${file}, which cannot be read (${code === "ENOENT" ? "no such file" : code}).`,
      { details: { variable } },
    );
  }
  if (!text.includes("-----BEGIN "))
    throw new SpecGateError("E_CONFIG", `${variable} (${file}) is not a PEM file (no "-----BEGIN" line).`, {
      details: { variable },
    });
  return text;
}

function parseCertificate(variable: string, file: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new SpecGateError("E_CONFIG", `${variable} (${file}) does not start with a valid PEM certificate.`, {
      details: { variable },
    });
  }
}
