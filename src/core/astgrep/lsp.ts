/**
 * Warm checks of editor buffers through `ast-grep lsp`: the same binary and the same rule files
 * as a scan, kept running per rule set, so a buffer is checked in a few milliseconds instead of
 * paying a process start (tens of milliseconds, more on a busy machine) per call.
 *
 * A session is a private directory (sgconfig.yml + the rules) and one `ast-grep lsp` child. A
 * buffer is opened as a virtual document under that directory — at its own relative path, so the
 * rules' `files` globs apply exactly as in a scan — its diagnostics (matched by document version)
 * are the matches, and it is closed again. Sessions are kept per rule set (at most
 * {@link MAX_SESSIONS}, the least recently used closed first) and closed after
 * {@link IDLE_MS} unused; a call's signal firing mid-check kills its session (the next call starts
 * a fresh one). Children are unreferenced: they never keep the process alive, and they exit when
 * their standard input closes with it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SpecGateError, throwIfAborted, toSpecGateError } from "../../errors.js";
import { findAstGrep } from "./binary.js";
import { snippetOf, type Match } from "./match.js";

export const MAX_SESSIONS = 4;

/** ES2024's String.prototype.toWellFormed, which Node 20 has (the compiler's lib is ES2023). */
type WellFormed = string & { toWellFormed(): string };
export const IDLE_MS = 60_000;

interface Diagnostic {
  code?: string | number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

class Session {
  private buffer: Buffer = Buffer.alloc(0);
  private nextId = 1;
  private version = 1;
  private readonly waiters = new Map<string, (diagnostics: Diagnostic[]) => void>();
  private readonly replies = new Map<number, (result: unknown) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private failure: SpecGateError | undefined;
  private busy = 0;
  private retiring = false;
  /** The buffer being checked when the server stopped, if it stopped mid-check. */
  current: string | undefined;
  idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly dir: string,
    readonly onGone: () => void,
  ) {
    child.stdout.on("data", (chunk: Buffer) => this.read(chunk));
    child.stdin.on("error", () => undefined);
    child.on("close", () => {
      this.fail(new SpecGateError("E_INTERNAL", "The ast-grep language server stopped."));
      void rm(dir, { recursive: true, force: true });
      onGone();
    });
  }

  async initialize(): Promise<void> {
    const root = pathToFileURL(this.dir).href;
    this.hold(+1);
    try {
      await this.request("initialize", {
        processId: process.pid,
        rootUri: root,
        capabilities: {},
        workspaceFolders: [{ uri: root, name: "specgate" }],
      });
    } finally {
      this.hold(-1);
    }
    this.notify("initialized", {});
  }

  /**
   * The child and its output keep the process alive only while a request is waiting on them:
   * an idle server must not stop a CLI or a test from exiting, a busy one must not let it exit.
   */
  private hold(delta: number): void {
    this.busy += delta;
    if (this.busy === 0 && this.retiring) this.kill();
    const method = this.busy > 0 ? "ref" : "unref";
    this.child[method]();
    (this.child.stdout as unknown as { ref?: () => void; unref?: () => void })[method]?.();
  }

  /** Matches of the rules in each buffer, one buffer at a time (calls on one session queue up). */
  check(
    files: readonly { path: string; content: string }[],
    signal: AbortSignal | undefined,
    opened?: (file: string, pid: number) => void,
  ): Promise<Match[]> {
    this.hold(+1);
    const run = this.queue.then(async () => {
      const matches: Match[] = [];
      for (const file of files) {
        throwIfAborted(signal);
        if (this.failure) throw this.failure;
        const uri = pathToFileURL(path.join(this.dir, file.path)).href;
        const version = this.version++;
        this.current = file.path;
        const diagnostics = await new Promise<Diagnostic[]>((resolve, reject) => {
          const onAbort = () => {
            this.kill();
            reject(toSpecGateError(signal!.reason, signal));
          };
          signal?.addEventListener("abort", onAbort, { once: true });
          this.waiters.set(`${uri}#${version}`, (d) => {
            signal?.removeEventListener("abort", onAbort);
            if (this.failure) reject(this.failure);
            else resolve(d);
          });
          // Lone surrogates would make the message invalid for the server; U+FFFD keeps every column.
          this.notify("textDocument/didOpen", {
            textDocument: { uri, languageId: "", version, text: (file.content as WellFormed).toWellFormed() },
          });
          opened?.(file.path, this.child.pid ?? 0);
        });
        this.notify("textDocument/didClose", { textDocument: { uri } });
        this.current = undefined;
        const lines = file.content.split("\n");
        for (const d of diagnostics) {
          if (d.code === undefined) continue;
          matches.push({
            ruleId: String(d.code),
            file: file.path,
            line: d.range.start.line + 1,
            column: d.range.start.character + 1,
            endLine: d.range.end.line + 1,
            endColumn: d.range.end.character + 1,
            snippet: snippetOf(lines[d.range.start.line] ?? ""),
          });
        }
      }
      return matches;
    });
    this.queue = run.catch(() => undefined);
    return run.finally(() => this.hold(-1));
  }

  /** Closes the server once no check is waiting on it (least recently used past the limit). */
  retire(): void {
    if (this.busy === 0) this.kill();
    else this.retiring = true;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  kill(): void {
    this.onGone();
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }

  private fail(error: SpecGateError): void {
    this.failure ??= error;
    for (const resolve of this.waiters.values()) resolve([]);
    this.waiters.clear();
    for (const resolve of this.replies.values()) resolve(undefined);
    this.replies.clear();
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (result) => (this.failure ? reject(this.failure) : resolve(result)));
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  private notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  private send(message: unknown): void {
    const body = JSON.stringify(message);
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** LSP framing: `Content-Length: n` headers, a blank line, n bytes of JSON. */
  private read(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(
        /content-length:\s*(\d+)/i.exec(this.buffer.subarray(0, end).toString("latin1"))?.[1] ?? Number.NaN,
      );
      if (!Number.isFinite(length)) {
        this.fail(
          new SpecGateError("E_INTERNAL", "The ast-grep language server wrote a message SpecGate cannot read."),
        );
        this.kill();
        return;
      }
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString("utf8")) as {
        id?: number;
        method?: string;
        result?: unknown;
        params?: { uri?: string; version?: number; diagnostics?: Diagnostic[] };
      };
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (message.method === "textDocument/publishDiagnostics") {
        const key = `${message.params?.uri}#${message.params?.version}`;
        const waiter = this.waiters.get(key);
        if (waiter) {
          this.waiters.delete(key);
          waiter(message.params?.diagnostics ?? []);
        }
      } else if (message.method !== undefined && message.id !== undefined) {
        this.send({ jsonrpc: "2.0", id: message.id, result: null }); // a request from the server (e.g. registerCapability)
      } else if (message.id !== undefined) {
        this.replies.get(message.id)?.(message.result);
        this.replies.delete(message.id);
      }
    }
  }
}

const sessions = new Map<string, Promise<Session>>();

async function start(key: string, rulesYaml: string): Promise<Session> {
  const { command, prefix } = await findAstGrep();
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-lsp-"));
  await mkdir(path.join(dir, "rules"));
  await writeFile(path.join(dir, "sgconfig.yml"), "ruleDirs:\n  - rules\n");
  await writeFile(path.join(dir, "rules", "rules.yml"), rulesYaml);
  const child = spawn(command, [...prefix, "lsp"], {
    cwd: dir,
    stdio: ["pipe", "pipe", "ignore"],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
  });
  child.unref();
  for (const stream of [child.stdin, child.stdout] as unknown as { unref?: () => void }[]) stream.unref?.();
  const mine = sessions.get(key);
  const session = new Session(child as unknown as ChildProcessWithoutNullStreams, dir, () => {
    if (mine !== undefined && sessions.get(key) === mine) sessions.delete(key);
  });
  await session.initialize();
  return session;
}

/**
 * The matches of `rulesYaml` (ast-grep rule documents) in `files`, through a warm language
 * server for that rule set. Rejects with E_TIMEOUT / E_CANCELLED when the signal fires. A server
 * that stops mid-check is replaced and the check tried once more; if it stops again on the same
 * buffer, that buffer is named in an E_INVALID_INPUT.
 */
export async function checkBuffers(
  rulesYaml: string,
  files: readonly { path: string; content: string }[],
  signal?: AbortSignal,
  /** Told when each buffer has been handed to the server (and the server's process id). */
  opened?: (file: string, pid: number) => void,
): Promise<Match[]> {
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    const session = await sessionFor(rulesYaml);
    clearTimeout(session.idle);
    try {
      return await session.check(files, signal, opened);
    } catch (error) {
      if (signal?.aborted || !session.failed) throw error;
      if (attempt >= 2) {
        throw new SpecGateError(
          "E_INVALID_INPUT",
          `ast-grep's language server stopped while checking ${session.current ?? "the files"}; check that file with \`paths\` instead, or leave it out.`,
          { cause: error },
        );
      }
    } finally {
      if (!session.failed) {
        session.idle = setTimeout(() => session.kill(), IDLE_MS);
        session.idle.unref();
      }
    }
  }
}

async function sessionFor(rulesYaml: string): Promise<Session> {
  const key = createHash("sha256").update(rulesYaml).digest("base64url");
  let pending = sessions.get(key);
  if (pending) {
    sessions.delete(key); // re-insert: most recently used last
    sessions.set(key, pending);
  } else {
    pending = start(key, rulesYaml);
    sessions.set(key, pending);
    const mine = pending;
    pending.catch(() => sessions.get(key) === mine && sessions.delete(key));
    while (sessions.size > MAX_SESSIONS) {
      const [, victim] = sessions.entries().next().value!;
      void victim.then(
        (s) => s.retire(),
        () => undefined,
      );
      sessions.delete(sessions.keys().next().value!);
    }
  }
  return pending;
}

/** Closes every session (tests, shutdown). */
export function closeSessions(): void {
  for (const pending of sessions.values())
    void pending.then(
      (s) => s.kill(),
      () => undefined,
    );
  sessions.clear();
}
