/**
 * Failures of the network path to Confluence that the generic messages (upstream-errors.ts) would
 * misdescribe: a proxy that refuses the tunnel or asks for credentials, a proxy that cannot be
 * reached, and a TLS server that wants (another) client certificate. Each becomes a coded error
 * that names the variable to fix. Never quotes the proxy's credentials.
 */
import { SpecGateError } from "../../errors.js";
import { withoutCredentials } from "./network.js";
import { networkCode } from "./retry.js";
import type { ConfluenceSettings } from "./settings.js";

/** TLS alerts a server sends when it wants a client certificate, or does not accept the one given. */
const CLIENT_CERT_ALERT =
  /ALERT_(CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_(EXPIRED|REVOKED|UNKNOWN|UNSUPPORTED)|ACCESS_DENIED)/;

/** The error for `error` if it is one of the failures above; undefined otherwise. */
export function networkPathError(error: unknown, settings: ConfluenceSettings): SpecGateError | undefined {
  const { baseUrl, network } = settings;
  const host = baseUrl.host;
  const code = networkCode(error) ?? "unknown";
  const message = error instanceof Error ? error.message : "";
  const details = { network: code, upstream: "confluence" };
  if (network.proxy) {
    const proxy = withoutCredentials(network.proxy);
    const variable = baseUrl.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY";
    const status = /^Proxy response \((\d{3})\)|^Proxy Authentication Required \((407)\)$/.exec(message);
    const proxyStatus = status ? Number(status[1] ?? status[2]) : undefined;
    if (proxyStatus === 407)
      return new SpecGateError(
        "E_AUTH",
        `The proxy ${proxy} asks for credentials (407): give them in ${variable} as http://user:password@host:port.`,
        { details: { ...details, proxy, status: 407 }, cause: error },
      );
    if (proxyStatus !== undefined)
      return new SpecGateError(
        "E_UPSTREAM",
        `The proxy ${proxy} refused to connect SpecGate to ${host} (HTTP ${proxyStatus}). Ask for ${host} to be allowed through it, or add ${baseUrl.hostname} to NO_PROXY if it is reachable directly.`,
        { details: { ...details, proxy, status: proxyStatus }, cause: error, retryable: proxyStatus >= 500 },
      );
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN")
      return new SpecGateError(
        "E_UPSTREAM",
        `Cannot reach the proxy ${proxy} (${code}): check ${variable}, or add ${baseUrl.hostname} to NO_PROXY if Confluence is reachable directly.`,
        { details: { ...details, proxy }, cause: error, retryable: code !== "ENOTFOUND" },
      );
  }
  if (baseUrl.protocol !== "https:") return undefined;
  const hasCert = network.tls.cert !== undefined;
  if (CLIENT_CERT_ALERT.test(code))
    return new SpecGateError(
      "E_AUTH",
      hasCert
        ? `${host} refused the TLS connection (${code}): it does not accept the certificate in CONFLUENCE_CLIENT_CERT. Check that a CA the server trusts issued it and that it has not expired.`
        : `${host} refused the TLS connection (${code}): it requires a client certificate. Set CONFLUENCE_CLIENT_CERT and CONFLUENCE_CLIENT_KEY (PEM files).`,
      { details, cause: error, retryable: false },
    );
  // A server that checks client certificates after the TLS 1.3 handshake often just closes the
  // connection: the request was written and not one byte came back. Called once the retries are
  // spent, so a keep-alive race (which does not repeat on fresh connections) is ruled out.
  const socket = (error as { socket?: { bytesWritten?: number; bytesRead?: number } } | undefined)?.socket;
  if (code === "UND_ERR_SOCKET" && socket?.bytesRead === 0 && (socket.bytesWritten ?? 0) > 0)
    return new SpecGateError(
      "E_AUTH",
      hasCert
        ? `${host} closed the TLS connection without answering: servers that check client certificates do this when they do not accept the one given. Check that a CA the server trusts issued CONFLUENCE_CLIENT_CERT and that it has not expired.`
        : `${host} closed the TLS connection without answering: servers that require a client certificate do this when none is given. Set CONFLUENCE_CLIENT_CERT and CONFLUENCE_CLIENT_KEY (PEM files).`,
      { details, cause: error, retryable: false },
    );
  return undefined;
}
