/**
 * The memory guard (RULE-PERF-003/007): keeps the process under its RSS cap by refusing work,
 * never by crashing.
 *
 * Two checks run at admission, both cheap:
 * 1. Sampled RSS at or above the high-water mark (default 80 % of the cap) → refuse with
 *    E_OVERLOADED and ask the caches to shed.
 * 2. Bytes in flight: every admitted call (and every HTTP body being read) reserves an estimate
 *    of the memory it will hold; a reservation that would push the total past the budget (default
 *    45 % of the cap) is refused — except when nothing else is in flight, so one large document is
 *    never starved forever.
 * A timer re-samples RSS while the process is idle so shedding happens even without traffic.
 */
import { SpecGateError } from "../errors.js";

export interface MemoryGuardOptions {
  limitBytes: number;
  highWaterRatio?: number;
  budgetRatio?: number;
  sampleIntervalMs?: number;
  rss?: () => number;
  /** Called (at most once per sample interval) when RSS crosses the high-water mark. */
  onPressure?: () => void;
}

export interface Reservation {
  readonly bytes: number;
  release(): void;
}

export interface MemorySnapshot {
  rssBytes: number;
  limitBytes: number;
  highWaterBytes: number;
  budgetBytes: number;
  inFlightBytes: number;
  overloaded: boolean;
}

export class MemoryGuard {
  readonly limitBytes: number;
  readonly highWaterBytes: number;
  readonly budgetBytes: number;
  private readonly rss: () => number;
  private readonly onPressure: (() => void) | undefined;
  private readonly sampleIntervalMs: number;
  private inFlight = 0;
  private lastRss = 0;
  private lastSampleAt = 0;
  private lastPressureAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: MemoryGuardOptions) {
    this.limitBytes = options.limitBytes;
    this.highWaterBytes = Math.floor(options.limitBytes * (options.highWaterRatio ?? 0.8));
    this.budgetBytes = Math.floor(options.limitBytes * (options.budgetRatio ?? 0.45));
    this.rss = options.rss ?? (() => process.memoryUsage.rss());
    this.onPressure = options.onPressure;
    this.sampleIntervalMs = options.sampleIntervalMs ?? 250;
  }

  start(): this {
    if (!this.timer) {
      this.timer = setInterval(() => this.sample(true), this.sampleIntervalMs);
      this.timer.unref();
    }
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Reserves `bytes` or throws E_OVERLOADED. The caller must `release()` the reservation when
   * its work ends (success or failure).
   */
  reserve(bytes: number, what = "this call"): Reservation {
    const rss = this.sample(false);
    if (rss >= this.highWaterBytes) {
      this.pressure();
      throw new SpecGateError(
        "E_OVERLOADED",
        `The server is near its memory limit (${mb(rss)} of ${mb(this.limitBytes)} MB in use) and refused ${what}. Retry in a few seconds.`,
        { retryAfterMs: 2000, details: { reason: "memory" } },
      );
    }
    const size = Math.max(0, Math.ceil(bytes));
    if (this.inFlight > 0 && this.inFlight + size > this.budgetBytes) {
      throw new SpecGateError(
        "E_OVERLOADED",
        `The server is busy with ${mb(this.inFlight)} MB of documents in flight and refused ${what} (${mb(size)} MB). Retry in a few seconds.`,
        { retryAfterMs: 1000, details: { reason: "memory_budget" } },
      );
    }
    this.inFlight += size;
    let released = false;
    return {
      bytes: size,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= size;
      },
    };
  }

  snapshot(): MemorySnapshot {
    const rss = this.sample(false);
    return {
      rssBytes: rss,
      limitBytes: this.limitBytes,
      highWaterBytes: this.highWaterBytes,
      budgetBytes: this.budgetBytes,
      inFlightBytes: this.inFlight,
      overloaded: rss >= this.highWaterBytes,
    };
  }

  /** RSS, re-read at most every few milliseconds (it costs a syscall). */
  private sample(fromTimer: boolean): number {
    const now = Date.now();
    if (fromTimer || now - this.lastSampleAt >= 5) {
      this.lastRss = this.rss();
      this.lastSampleAt = now;
      if (fromTimer && this.lastRss >= this.highWaterBytes) this.pressure();
    }
    return this.lastRss;
  }

  private pressure(): void {
    const now = Date.now();
    if (now - this.lastPressureAt < this.sampleIntervalMs) return;
    this.lastPressureAt = now;
    this.onPressure?.();
  }
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}
