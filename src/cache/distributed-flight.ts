/**
 * Distributed single flight: on a miss of an expensive kind, the instances that miss the same
 * key agree through Redis on one of them computing.
 *
 *   1. `SET <lock> <token> NX PX ttl`. Won: read L2 once more (the previous holder may have just
 *      filled it), else compute while refreshing the lock every ttl/3, return the value at once,
 *      and in the background write L2, announce "filled" on the bus, release the lock
 *      (compare-and-delete: a lock that expired and was taken by another is never deleted).
 *   2. Lost: wait for the "filled" message or a growing poll delay (20 → 250 ms), then read L2.
 *      A hit ends the wait. A miss means the holder is still at work, failed (it released the
 *      lock) or died (its lock expires): try the lock again.
 *   3. L2 unavailable (the lock command failed, or the breaker opened while polling): compute
 *      locally. The caller's signal bounds all waiting.
 */
import { randomUUID } from "node:crypto";
import { throwIfAborted, toSpecGateError } from "../errors.js";
import type { RemoteTier } from "./remote-tier.js";

export interface LockedComputeOptions<T> {
  tier: RemoteTier;
  key: string;
  /** Unique per attempt: identifies this holder to the compare-and-delete release. */
  owner: string;
  lockTtlMs: number;
  signal: AbortSignal;
  compute(signal: AbortSignal): Promise<T>;
  /** Stores a computed value in both tiers; resolves once L2 has it (or gave up). */
  store(value: T): Promise<unknown>;
  announce(key: string): Promise<unknown>;
  fills: FillWaiters;
}

export type LockedResult<T> = { value: T; role: "holder" | "waiter" | "unavailable" };

const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

export async function computeLocked<T>(o: LockedComputeOptions<T>): Promise<LockedResult<T>> {
  const token = `${o.owner}:${randomUUID()}`;
  let delay = FIRST_POLL_MS;
  for (;;) {
    throwIfAborted(o.signal);
    const acquired = await o.tier.acquireLock(o.key, token, o.lockTtlMs);
    if (acquired === undefined) return { value: await computeAndStore(o), role: "unavailable" };
    if (acquired) return holdAndCompute(o, token);
    await o.fills.wait(o.key, delay, o.signal);
    delay = Math.min(delay * 2, MAX_POLL_MS);
    const read = await o.tier.get<T>(o.key);
    if (read.status === "hit") return { value: read.value, role: "waiter" };
    // One slow poll is no reason to duplicate the work; an open breaker is.
    if (read.status === "unavailable" && o.tier.breakerState() === "open")
      return { value: await computeAndStore(o), role: "unavailable" };
  }
}

async function holdAndCompute<T>(o: LockedComputeOptions<T>, token: string): Promise<LockedResult<T>> {
  const again = await o.tier.get<T>(o.key);
  if (again.status === "hit") {
    void o.tier.releaseLock(o.key, token);
    return { value: again.value, role: "waiter" };
  }
  const refresher = setInterval(
    () => void o.tier.extendLock(o.key, token, o.lockTtlMs),
    Math.max(50, Math.floor(o.lockTtlMs / 3)),
  );
  refresher.unref();
  let value: T;
  try {
    value = await o.compute(o.signal);
  } catch (error) {
    clearInterval(refresher);
    // Errors are never cached: let a waiter take the lock and try for itself.
    void o.tier.releaseLock(o.key, token);
    throw error;
  }
  clearInterval(refresher);
  const written = o.store(value);
  void (async () => {
    await written;
    await o.announce(o.key);
    await o.tier.releaseLock(o.key, token);
  })();
  return { value, role: "holder" };
}

async function computeAndStore<T>(o: LockedComputeOptions<T>): Promise<T> {
  const value = await o.compute(o.signal);
  void o.store(value);
  return value;
}

/** Callers waiting for a key to be filled by another instance; woken by the bus. */
export class FillWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Resolves when `key` is announced, after `ms`, or rejects when `signal` aborts. */
  wait(key: string, ms: number, signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    return new Promise<void>((resolve, reject) => {
      const set = this.waiting.get(key) ?? new Set<() => void>();
      this.waiting.set(key, set);
      const cleanup = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        set.delete(wake);
        if (set.size === 0 && this.waiting.get(key) === set) this.waiting.delete(key);
      };
      const wake = () => {
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        reject(toSpecGateError(signal.reason, signal));
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  notify(key: string): void {
    const set = this.waiting.get(key);
    if (!set) return;
    for (const wake of [...set]) wake();
  }

  get size(): number {
    return this.waiting.size;
  }
}
