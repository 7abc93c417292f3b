/**
 * Mutual TLS for Confluence tests: certificates made with the openssl CLI in a temporary
 * directory, and an https front that requires a client certificate from its CA and passes the
 * requests on to a fake Confluence (as a TLS-terminating gateway in front of a wiki would).
 *
 *   const pki = await makePki();          // pki.files.clientCert, clientKey, ca, strangerCert…
 *   const front = await MtlsFront.start(pki, fake.origin);
 *   env.CONFLUENCE_BASE_URL = front.origin + fake.contextPath;
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { request } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Pki {
  dir: string;
  files: {
    /** The CA that issued the server and client certificates. */
    ca: string;
    serverCert: string;
    serverKey: string;
    clientCert: string;
    clientKey: string;
    /** A client certificate from another CA, which the front does not trust. */
    strangerCert: string;
    strangerKey: string;
  };
  remove(): Promise<void>;
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  await run("openssl", args, { cwd: dir, timeout: 60_000 });
}

/** A key (P-256) and a certificate for `subject`, issued by `ca` (self-signed without one). */
async function issue(dir: string, name: string, subject: string, ca?: string, ext?: string): Promise<void> {
  const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`];
  if (!ca) {
    await openssl(dir, "req", "-x509", ...newKey, "-out", `${name}.pem`, "-days", "2", "-subj", subject);
    return;
  }
  await openssl(dir, "req", ...newKey, "-out", `${name}.csr`, "-subj", subject);
  const extArgs: string[] = [];
  if (ext) {
    await writeFile(path.join(dir, `${name}.ext`), `${ext}\n`);
    extArgs.push("-extfile", `${name}.ext`);
  }
  await openssl(
    dir,
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.pem`,
    "-CAkey",
    `${ca}.key`,
    "-CAcreateserial",
    "-out",
    `${name}.pem`,
    "-days",
    "2",
    ...extArgs,
  );
}

export async function makePki(): Promise<Pki> {
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-mtls-"));
  await issue(dir, "ca", "/CN=SpecGate Test CA");
  await issue(dir, "other-ca", "/CN=Some Other CA");
  await issue(dir, "server", "/CN=localhost", "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1");
  await issue(dir, "client", "/CN=specgate-client", "ca", "extendedKeyUsage=clientAuth");
  await issue(dir, "stranger", "/CN=stranger", "other-ca", "extendedKeyUsage=clientAuth");
  const f = (name: string) => path.join(dir, name);
  return {
    dir,
    files: {
      ca: f("ca.pem"),
      serverCert: f("server.pem"),
      serverKey: f("server.key"),
      clientCert: f("client.pem"),
      clientKey: f("client.key"),
      strangerCert: f("stranger.pem"),
      strangerKey: f("stranger.key"),
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface FrontSighting {
  /** The CN of the client certificate presented. */
  client: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/** An https server that requires a client certificate issued by the PKI's CA, in front of `upstream`. */
export class MtlsFront {
  readonly seen: FrontSighting[] = [];
  /** TLS handshakes it refused (no certificate, or one it does not trust). */
  readonly refused: string[] = [];
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(
    private readonly server: Server,
    upstream: string,
  ) {
    server.on("request", (req, res) => {
      const cert = (req.socket as TLSSocket).getPeerCertificate();
      this.seen.push({ client: String(cert.subject?.CN ?? ""), path: req.url ?? "", headers: req.headers });
      const forward = request(new URL(req.url ?? "/", upstream), { method: req.method, headers: req.headers }, (a) => {
        res.writeHead(a.statusCode ?? 502, a.headers);
        a.pipe(res);
      });
      forward.on("error", () => res.destroy());
      req.pipe(forward);
    });
    server.on("tlsClientError", (error: NodeJS.ErrnoException) => this.refused.push(error.code ?? error.message));
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  static async start(pki: Pki, upstream: string): Promise<MtlsFront> {
    const [key, cert, ca] = await Promise.all(
      [pki.files.serverKey, pki.files.serverCert, pki.files.ca].map((f) => readFile(f)),
    );
    const server = createServer({ key, cert, ca, requestCert: true, rejectUnauthorized: true });
    const front = new MtlsFront(server, upstream);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    front.port = (server.address() as AddressInfo).port;
    return front;
  }

  get origin(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
