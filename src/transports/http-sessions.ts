/**
 * The MCP sessions of the Streamable HTTP transport (stateful mode), and who may hold how many.
 *
 * A session is busy while one of its POSTs or DELETEs is being handled; an open GET event
 * stream is not activity (it stays open by design, for as long as the client likes). So:
 * - at most `maxSessions` sessions; a new one evicts the longest-idle session that is not busy,
 *   streaming or not, and is refused (503) only when every session is busy;
 * - at most `perClient` of them from one client (address); a client at its share replaces its
 *   own longest-idle session, so one client can neither fill the table nor starve others;
 * - a session idle for `idleMs` (no request but its stream) is closed by `sweep`.
 * Closing a session ends its GET stream; the client's next request gets 404 and it re-initialises.
 */
import type { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";

export interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
  /** Who opened it (see SessionTable). */
  readonly client: string;
  /** When its last POST or DELETE ended, or its stream was opened. */
  lastSeen: number;
  /** POSTs and DELETEs being handled: a busy session is never evicted or expired. */
  active: number;
}

export interface SessionLimits {
  maxSessions: number;
  /** Percent of maxSessions one client may hold (at least one session). */
  clientSharePercent: number;
  idleMs: number;
}

export type Admission = { ok: true } | { ok: false; message: string };

export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  readonly perClient: number;

  constructor(
    private readonly limits: SessionLimits,
    private readonly closeSession: (session: Session) => Promise<void>,
  ) {
    this.perClient = Math.max(1, Math.floor((limits.maxSessions * limits.clientSharePercent) / 100));
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  set(id: string, session: Session): void {
    this.sessions.set(id, session);
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  values(): IterableIterator<Session> {
    return this.sessions.values();
  }

  clear(): void {
    this.sessions.clear();
  }

  /** Makes room for a new session of `client`, evicting as described above, or says why not. */
  admit(client: string): Admission {
    let own = 0;
    for (const s of this.sessions.values()) if (s.client === client) own++;
    if (own >= this.perClient && !this.evictIdlest((s) => s.client === client)) {
      return {
        ok: false,
        message: `This client already holds ${own} sessions, its share of this server (SPECGATE_HTTP_CLIENT_SHARE), and all are busy; close one (DELETE) or retry later.`,
      };
    }
    if (this.sessions.size >= this.limits.maxSessions && !this.evictIdlest(() => true)) {
      return { ok: false, message: "Too many open sessions, all busy; retry later." };
    }
    return { ok: true };
  }

  /** Closes sessions idle for longer than the idle time. */
  sweep(now = Date.now()): void {
    const cutoff = now - this.limits.idleMs;
    for (const [id, s] of this.sessions) {
      if (s.active === 0 && s.lastSeen < cutoff) this.evict(id, s);
    }
  }

  private evictIdlest(among: (s: Session) => boolean): boolean {
    let victim: [string, Session] | undefined;
    for (const entry of this.sessions) {
      const s = entry[1];
      if (s.active === 0 && among(s) && (!victim || s.lastSeen < victim[1].lastSeen)) victim = entry;
    }
    if (victim) this.evict(...victim);
    return victim !== undefined;
  }

  private evict(id: string, session: Session): void {
    this.sessions.delete(id);
    void this.closeSession(session);
  }
}
