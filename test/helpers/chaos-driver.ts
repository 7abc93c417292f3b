/**
 * An in-memory L2 driver with switchable faults, for facade tests that need failure modes a
 * real server cannot produce on demand: every call can throw, hang, or be delayed.
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
  private subscribers: ((m: string) => void)[] = [];
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
    const re = new RegExp(`^${pattern.replace(/\\(.)/g, "$1").split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    let n = 0;
    for (const key of [...this.store.keys()]) if (re.test(key) && (!filter || filter(key)) && this.store.delete(key)) n++;
    return n;
  }
  async countMatching(): Promise<Record<string, number>> {
    await this.chaos();
    return {};
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
  async publish(_channel: string, message: string): Promise<void> {
    await this.chaos();
    for (const s of this.subscribers) s(message);
  }
  async subscribe(_channel: string, onMessage: (m: string) => void, onSubscribed: () => void): Promise<void> {
    this.subscribers.push(onMessage);
    onSubscribed();
  }
  async info(): Promise<RemoteInfo> {
    await this.chaos();
    return { mode: "chaos", version: "0", keys: this.store.size, memoryBytes: 0, masters: 1 };
  }
  async close(): Promise<void> {
    this.connected = false;
  }

  private async chaos(): Promise<void> {
    this.calls++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.mode === "throw") throw new Error("chaos: connection reset");
    if (this.mode === "hang") await new Promise(() => undefined);
  }
}
