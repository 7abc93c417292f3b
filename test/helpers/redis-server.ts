/**
 * Real redis-server processes for tests, on free loopback ports, never the machine's own Redis
 * on 6379. Each server runs without persistence (`--save "" --appendonly no`) in its own temp
 * directory; `kill()` (SIGKILL), `pause()` (SIGSTOP: the port accepts but nothing answers),
 * `resume()` (SIGCONT) and `restart()` (same port) drive the fault tests.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { patient } from "./patience.js";

const execFileAsync = promisify(execFile);
export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";
export const REDIS_CLI = process.env.REDIS_CLI_BIN ?? "/usr/bin/redis-cli";

export interface RedisProcess {
  readonly port: number;
  /** `redis://[:password@]127.0.0.1:port`. */
  readonly url: string;
  readonly dir: string;
  pid(): number | undefined;
  /** SIGKILL: the server vanishes, connections reset. */
  kill(): Promise<void>;
  /** SIGSTOP: connections stay open and accept bytes, nothing is answered. */
  pause(): void;
  resume(): void;
  /** Starts a fresh server on the same port (after kill()/stop()). */
  restart(options?: { password?: string }): Promise<void>;
  /** SIGTERM and wait; removes the directory. */
  stop(): Promise<void>;
  /** Runs redis-cli against this server and returns its output. */
  cli(...args: string[]): Promise<string>;
}

export interface StartRedisOptions {
  port?: number;
  password?: string;
  args?: string[];
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-redis-"));
  let port = options.port ?? (await freePort());
  let password = options.password;
  let child: ChildProcess | undefined;

  const launch = async () => {
    const args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--daemonize",
      "no",
    ];
    if (password) args.push("--requirepass", password);
    args.push(...(options.args ?? []));
    const proc = spawn(REDIS_SERVER, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr!.on("data", (d: Buffer) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    child = proc;
    const ok = await Promise.race([waitForPing(port, password, patient(10_000)), exited.then(() => false)]);
    if (!ok) throw new Error(`redis-server on port ${port} did not start: ${stderr.trim()}`);
  };

  try {
    await launch();
  } catch (error) {
    if (options.port !== undefined) throw error;
    port = await freePort(); // the free port was taken in between: one more try
    await launch();
  }

  const handle: RedisProcess = {
    get port() {
      return port;
    },
    get url() {
      return password ? `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`;
    },
    dir,
    pid: () => child?.pid,
    kill: async () => {
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise((resolve) => proc.once("exit", resolve));
      proc.kill("SIGKILL");
      await exited;
    },
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
    restart: async (opts = {}) => {
      if (opts.password !== undefined) password = opts.password || undefined;
      await launch();
    },
    stop: async () => {
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGCONT");
        const exited = new Promise((resolve) => proc.once("exit", resolve));
        proc.kill("SIGTERM");
        const timer = setTimeout(() => proc.kill("SIGKILL"), patient(3000));
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
    cli: async (...args: string[]) => {
      const auth = password ? ["-a", password, "--no-auth-warning"] : [];
      const { stdout } = await execFileAsync(REDIS_CLI, ["-h", "127.0.0.1", "-p", String(port), ...auth, ...args]);
      return stdout;
    },
  };
  return handle;
}

/** Polls with a raw RESP PING (AUTH first when a password is set) until the server answers. */
export async function waitForPing(port: number, password: string | undefined, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingOnce(port, password)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

function pingOnce(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let data = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.on("data", (d) => {
      data += String(d);
      if (data.includes("+PONG")) done(true);
      else if (data.includes("-LOADING")) done(false);
    });
    socket.once("connect", () => socket.write(`${password ? `AUTH ${password}\r\n` : ""}PING\r\n`));
  });
}

export interface RedisClusterProcess {
  readonly nodes: RedisProcess[];
  /** `127.0.0.1:port` of every node, for REDIS_CLUSTER_NODES. */
  readonly addresses: string[];
  stop(): Promise<void>;
}

/**
 * Three (or `size`) masters with `--cluster-enabled yes`, joined by `redis-cli --cluster create`
 * with no replicas. Resolves once every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(size = 3): Promise<RedisClusterProcess> {
  const nodes: RedisProcess[] = [];
  try {
    for (let i = 0; i < size; i++) {
      nodes.push(
        await startRedis({
          args: ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"],
        }),
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await execFileAsync(REDIS_CLI, ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"], {
      timeout: patient(30_000),
    });
    const deadline = Date.now() + patient(20_000);
    for (const node of nodes) {
      while (!(await node.cli("cluster", "info")).includes("cluster_state:ok")) {
        if (Date.now() > deadline) throw new Error("the Redis cluster did not reach cluster_state:ok");
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { nodes, addresses, stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))) };
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
}

/** A Sentinel (redis-server --sentinel) monitoring `master` as `name`, quorum 1. */
export async function startSentinel(master: RedisProcess, name = "mymaster"): Promise<RedisProcess & { name: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-sentinel-"));
  const port = await freePort();
  const conf = path.join(dir, "sentinel.conf");
  await writeFile(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} 2000`,
      `sentinel failover-timeout ${name} 5000`,
      "",
    ].join("\n"),
  );
  const proc = spawn(REDIS_SERVER, [conf, "--sentinel"], { stdio: "ignore" });
  if (!(await waitForPing(port, undefined, patient(10_000)))) {
    proc.kill("SIGKILL");
    throw new Error("redis sentinel did not start");
  }
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  return {
    name,
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    pid: () => proc.pid,
    kill: async () => {
      proc.kill("SIGKILL");
      await exited;
    },
    pause: () => void proc.kill("SIGSTOP"),
    resume: () => void proc.kill("SIGCONT"),
    restart: async () => {
      throw new Error("a sentinel cannot be restarted");
    },
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
    cli: async (...args: string[]) =>
      (await execFileAsync(REDIS_CLI, ["-h", "127.0.0.1", "-p", String(port), ...args])).stdout,
  };
}
