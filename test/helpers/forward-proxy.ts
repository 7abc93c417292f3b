/**
 * A forward proxy on loopback, as corporate networks run: CONNECT tunnels (for https targets) and
 * plain requests in absolute form (for http targets), optionally behind proxy credentials. It
 * records what it saw, so tests can tell what went through it.
 *
 *   const proxy = await ForwardProxy.start({ auth: { user: "alice", password: "s3cret" } });
 *   env.HTTPS_PROXY = proxy.url("alice", "s3cret");
 *   proxy.seen; // [{ kind: "connect", target: "127.0.0.1:4321", ... }]
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { connect, type AddressInfo, type Socket } from "node:net";

export interface ProxySighting {
  kind: "connect" | "forward";
  /** `host:port` for a tunnel; the absolute URL of a forwarded request. */
  target: string;
  headers: IncomingMessage["headers"];
  /** What the proxy answered itself (407, 403), or 200 when it passed the request on. */
  status: number;
}

export interface ForwardProxyOptions {
  auth?: { user: string; password: string };
  /** Hosts (`host:port`) it refuses with 403. */
  deny?: string[];
  /** Serve the proxy itself over TLS (an `https://` proxy URL) with this key and certificate. */
  tls?: { key: Buffer; cert: Buffer };
}

export class ForwardProxy {
  readonly seen: ProxySighting[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(private readonly options: ForwardProxyOptions) {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const target = req.url ?? "";
      const status = this.verdict(req, new URL(target).host);
      this.seen.push({ kind: "forward", target, headers: req.headers, status });
      if (status !== 200) {
        res.writeHead(status, status === 407 ? { "proxy-authenticate": 'Basic realm="proxy"' } : {});
        return void res.end();
      }
      const headers = { ...req.headers };
      delete headers["proxy-authorization"];
      delete headers["proxy-connection"];
      const upstream = request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    };
    this.server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
    this.server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
      const target = req.url ?? "";
      const status = this.verdict(req, target);
      this.seen.push({ kind: "connect", target, headers: req.headers, status });
      if (status !== 200) {
        client.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      const [host, port] = splitHostPort(target);
      const upstream = connect(port, host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      this.track(upstream);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    this.server.on(options.tls ? "secureConnection" : "connection", (socket: Socket) => this.track(socket));
  }

  static async start(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
    const proxy = new ForwardProxy(options);
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  /** The proxy URL, with credentials when given. */
  url(user?: string, password?: string): string {
    const auth = user ? `${encodeURIComponent(user)}:${encodeURIComponent(password ?? "")}@` : "";
    return `${this.options.tls ? "https" : "http"}://${auth}127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private verdict(req: IncomingMessage, host: string): number {
    if (this.options.deny?.includes(host)) return 403;
    const { auth } = this.options;
    if (!auth) return 200;
    const expected = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString("base64")}`;
    return req.headers["proxy-authorization"] === expected ? 200 : 407;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }
}

function splitHostPort(target: string): [string, number] {
  const i = target.lastIndexOf(":");
  return [target.slice(0, i).replace(/^\[|\]$/g, ""), Number(target.slice(i + 1))];
}
