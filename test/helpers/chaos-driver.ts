/**
 * An in-memory L2 driver with switchable faults, for facade tests that need failure modes a
 * real server cannot produce on demand: every call can throw, hang, or be delayed. With faults
 * off it honours the driver contract as the Redis driver does (test/unit/cache/driver-contract.ts).
 */
import type { RemoteCacheDriver, RemoteInfo } from "../../src/cache/types.js";

export type ChaosMode = "ok" | "throw" | "hang";

export class ChaosDriver implements RemoteCacheDriver {
  readonly name = "chaos";
  mode: ChaosMode = "ok";
  delayMs = 0;
  calls = 0;
  readonly store = new Map<string, { value: Buffer; expires: number }>();
  private readyListeners: (() => void)[] = [];
  private subscribers: { channel: string; onMessage: (m: string) => void }[] = [];
  connected = true;

  /** Simulates the connection coming back (fires the driver's ready listeners). */
  reconnect(): void {
    this.connected = true;
    this.mode = "ok";
    for (const l of this.readyListeners) l();
  }

  ready(): boolean {
    return this.connected;
  }
  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }
  async ping(): Promise<void> {
    await this.chaos();
  }
  async get(key: string): Promise<Buffer | undefined> {
    await this.chaos();
    const e = this.store.get(key);
    return e && e.expires > Date.now() ? e.value : undefined;
  }
  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    await this.chaos();
    this.store.set(key, { value, expires: Date.now() + ttlMs });
  }
  async delete(keys: readonly string[]): Promise<number> {
    await this.chaos();
    return keys.filter((k) => this.store.delete(k)).length;
  }
  async deleteMatching(pattern: string, filter?: (key: string) => boolean): Promise<number> {
    await this.chaos();
    const re = redisGlob(pattern);
    let n = 0;
    for (const key of this.liveKeys()) if (re.test(key) && (!filter || filter(key)) && this.store.delete(key)) n++;
    return n;
  }
  async countMatching(pattern: string, group: (key: string) => string | undefined): Promise<Record<string, number>> {
    await this.chaos();
    const re = redisGlob(pattern);
    const counts: Record<string, number> = {};
    for (const key of this.liveKeys()) {
      const g = re.test(key) ? group(key) : undefined;
      if (g !== undefined) counts[g] = (counts[g] ?? 0) + 1;
    }
    return counts;
  }
  async acquireLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    await this.chaos();
    const e = this.store.get(key);
    if (e && e.expires > Date.now()) return false;
    this.store.set(key, { value: Buffer.from(token), expires: Date.now() + ttlMs });
    return true;
  }
  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    await this.chaos();
    const e = this.store.get(key);
    if (!e || e.value.toString() !== token) return false;
    e.expires = Date.now() + ttlMs;
    return true;
  }
  async releaseLock(key: string, token: string): Promise<boolean> {
    await this.chaos();
    const e = this.store.get(key);
    return e !== undefined && e.value.toString() === token && this.store.delete(key);
  }
  async publish(channel: string, message: string): Promise<void> {
    await this.chaos();
    for (const s of this.subscribers) if (s.channel === channel) s.onMessage(message);
  }
  async subscribe(channel: string, onMessage: (m: string) => void, onSubscribed: () => void): Promise<void> {
    this.subscribers.push({ channel, onMessage });
    onSubscribed();
  }
  async info(): Promise<RemoteInfo> {
    await this.chaos();
    return { mode: "chaos", version: "0", keys: this.store.size, memoryBytes: 0, masters: 1 };
  }
  async close(): Promise<void> {
    this.connected = false;
  }

  private liveKeys(): string[] {
    const now = Date.now();
    return [...this.store].filter(([, e]) => e.expires > now).map(([key]) => key);
  }

  private async chaos(): Promise<void> {
    this.calls++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.mode === "throw") throw new Error("chaos: connection reset");
    if (this.mode === "hang") await new Promise(() => undefined);
  }
}

/** A Redis glob (`*`, `?`, a backslash-escaped character as itself) as a RegExp; `[…]` classes are taken literally. */
function redisGlob(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
