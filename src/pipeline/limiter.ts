/**
 * The tool semaphore: p-limit with a bounded queue. A call that would queue past `maxQueue`
 * is refused (E_OVERLOADED) instead of waiting forever; a queued call whose signal fires stops
 * waiting at once and its slot, when reached, is passed on immediately.
 */
import pLimit, { type LimitFunction } from "p-limit";
import { SpecGateError } from "../errors.js";
import { raceSignal } from "../signals.js";

export class Limiter {
  private readonly limit: LimitFunction;
  readonly maxQueue: number;

  constructor(concurrency: number, maxQueue: number) {
    this.limit = pLimit(concurrency);
    this.maxQueue = maxQueue;
  }

  get active(): number {
    return this.limit.activeCount;
  }

  get pending(): number {
    return this.limit.pendingCount;
  }

  get concurrency(): number {
    return this.limit.concurrency;
  }

  /**
   * Runs `task` when a slot is free. The returned promise rejects as soon as `signal` aborts,
   * but the slot stays taken until `task` itself settles: the bound is real even for work that
   * ignores its signal.
   */
  run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.limit.activeCount >= this.limit.concurrency && this.limit.pendingCount >= this.maxQueue) {
      return Promise.reject(
        new SpecGateError(
          "E_OVERLOADED",
          `The server has ${this.limit.pendingCount} calls waiting already. Retry in a few seconds.`,
          {
            retryAfterMs: 1000,
            details: { reason: "queue_full" },
          },
        ),
      );
    }
    const queued = this.limit(async () => {
      if (signal.aborted) throw signal.reason;
      return task();
    });
    return raceSignal(queued, signal);
  }
}
