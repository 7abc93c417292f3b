/**
 * The memory guard (RULE-PERF-003/007): keeps the process under its RSS cap by refusing work,
 * never by crashing.
 *
 * Three checks run at admission, all cheap:
 * 1. Sampled RSS at or above the high-water mark (default 80 % of the cap, and at least 64 MB
 *    below it) → ask the caches to shed and collect garbage (at most every 250 ms); still at or
 *    above it, less the heap V8 keeps free if a collection ran in the last second → refuse with
 *    E_OVERLOADED.
 * 2. Bytes in flight: every admitted call (and every HTTP body being read) reserves an estimate
 *    of the memory it will hold; a reservation that would push the total past the budget (default
 *    45 % of the cap) is refused — except when nothing else is in flight, so one large document is
 *    never starved forever.
 * 3. RSS plus the reservation must stay under the high-water mark, alone or not: memory no
 *    estimate sees (uncollected garbage, answers being serialised, the process' own baseline)
 *    gets that margin. Heap V8 has committed but holds nothing in (freed by an earlier call's
 *    collection) counts as room: new work fills it before RSS grows. A call alone first gets a
 *    garbage collection; if it still does not fit it waits (E_OVERLOADED). One that could never fit (over 75 % of the cap) is refused for good
 *    (E_TOO_LARGE, naming the variable to raise).
 * A timer re-samples RSS while the process is idle so shedding happens even without traffic.
 * Crossing the high-water mark also runs a full garbage collection (at most once a second, see
 * ./gc.ts): V8 collects lazily, and a guard that refuses all work would otherwise wait on garbage
 * that nothing triggers a collection for.
 */
import { getHeapStatistics } from "node:v8";
import { SpecGateError } from "../errors.js";
import { collectGarbage } from "./gc.js";

/** How long after a collection the heap V8 holds free counts as room even at the high-water mark. */
const COLLECTED_FRESH_MS = 1000;
/**
 * How old an RSS reading a reservation accepts. Reading RSS is a read of /proc, tens of
 * microseconds on a busy server: a reservation under {@link SMALL_RESERVATION} (a small request
 * body, a cached call's) takes a reading up to {@link SMALL_RESERVATION_AGE_MS} old, which the
 * memory no reservation sees cannot outgrow by much; a larger one reads RSS again after 5 ms.
 */
const SMALL_RESERVATION = 1024 * 1024;
const SMALL_RESERVATION_AGE_MS = 50;
const RESERVATION_AGE_MS = 5;

export interface MemoryGuardOptions {
  limitBytes: number;
  highWaterRatio?: number;
  budgetRatio?: number;
  sampleIntervalMs?: number;
  rss?: () => number;
  /**
   * Bytes inside RSS that new work reuses before RSS grows (default: V8's committed but unused
   * heap; none when `rss` is given, so a simulated RSS stays exact).
   */
  reusable?: () => number;
  /** Called (at most once per sample interval) when RSS crosses the high-water mark. */
  onPressure?: () => void;
  /** Runs a full garbage collection (default: V8's, see ./gc.ts); false when none is available. */
  collect?: () => boolean;
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
  private readonly reusable: () => number;
  private readonly onPressure: (() => void) | undefined;
  private readonly collect: () => boolean;
  private lastCollectAt = 0;
  /** When a collection last ran (not only was asked for). */
  private lastCollectedAt = 0;
  private readonly sampleIntervalMs: number;
  private inFlight = 0;
  private lastRss = 0;
  private lastSampleAt = 0;
  private lastPressureAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: MemoryGuardOptions) {
    this.limitBytes = options.limitBytes;
    // 80 % of the cap, but at least 64 MB below it: what no estimate sees (a large answer being
    // serialised, garbage) is a few large strings whatever the cap, so a small cap needs the
    // margin in absolute terms.
    this.highWaterBytes = Math.floor(
      options.highWaterRatio !== undefined
        ? options.limitBytes * options.highWaterRatio
        : Math.min(options.limitBytes * 0.8, options.limitBytes - 64 * 1024 * 1024),
    );
    this.rss = options.rss ?? (() => process.memoryUsage.rss());
    this.reusable = options.reusable ?? (options.rss ? () => 0 : freeHeapBytes);
    // 45 % of the cap, but no more than what the high-water mark leaves above the process as it
    // starts (its code and libraries: ~120 MB for the server), so a small cap is not promised
    // to in-flight work twice.
    const ratioBudget = options.limitBytes * (options.budgetRatio ?? 0.45);
    this.budgetBytes = Math.floor(
      options.budgetRatio !== undefined
        ? ratioBudget
        : Math.min(ratioBudget, Math.max(options.limitBytes * 0.15, this.highWaterBytes - this.rss())),
    );
    this.onPressure = options.onPressure;
    this.collect = options.collect ?? collectGarbage;
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
    let rss = this.sample(false, bytes < SMALL_RESERVATION ? SMALL_RESERVATION_AGE_MS : RESERVATION_AGE_MS);
    if (rss >= this.highWaterBytes) {
      // A collection (if one is due) re-samples RSS. V8 keeps the heap it freed committed, so
      // right after a collection that free heap is room, not use: garbage V8 had not got round
      // to (it lags when the machine is busy) must not refuse a call that fits once collected.
      this.pressure();
      rss = this.lastRss;
      if (Date.now() - this.lastCollectedAt < COLLECTED_FRESH_MS) rss -= this.reusable();
    }
    if (rss >= this.highWaterBytes) {
      throw new SpecGateError(
        "E_OVERLOADED",
        `The server is near its memory limit (${mb(rss)} of ${mb(this.limitBytes)} MB in use) and refused ${what}. Retry in a few seconds.`,
        { retryAfterMs: 2000, details: { reason: "memory" } },
      );
    }
    const size = Math.max(0, Math.ceil(bytes));
    if (size > this.limitBytes * 0.75) {
      throw new SpecGateError(
        "E_TOO_LARGE",
        `${capitalize(what)} needs about ${mb(size)} MB of memory, more than this server's ${mb(this.limitBytes)} MB limit allows. Split the input, or raise SPECGATE_MEMORY_LIMIT_MB.`,
        { details: { reason: "memory_limit", estimated_mb: mb(size), limit_mb: mb(this.limitBytes) } },
      );
    }
    // What is in use now plus what this call will add must stay under the high-water mark, so
    // that memory no estimate sees (garbage not yet collected, answers being written) has room;
    // the heap V8 holds free is only asked for when RSS alone would not leave that room.
    const used = rss + size > this.highWaterBytes ? rss - this.reusable() : rss;
    if (
      used + size > this.highWaterBytes &&
      (this.inFlight > 0 ||
        !this.collectNow() ||
        this.sample(false, RESERVATION_AGE_MS) - this.reusable() + size > this.highWaterBytes)
    ) {
      throw new SpecGateError(
        "E_OVERLOADED",
        `The server has ${mb(Math.max(0, this.highWaterBytes - used))} MB to spare and ${what} needs about ${mb(size)} MB. Retry in a few seconds.`,
        {
          retryAfterMs: this.inFlight > 0 ? 1000 : 2000,
          details: { reason: this.inFlight > 0 ? "memory_budget" : "memory" },
        },
      );
    }
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

  /**
   * Called after large transient data was dropped (a big request body): collects garbage now
   * when memory is at least half used, rather than when the high-water mark is crossed.
   */
  relieve(): void {
    if (this.sample(true) >= this.limitBytes * 0.5) this.collectNow();
  }

  snapshot(): MemorySnapshot {
    const rss = this.sample(false, RESERVATION_AGE_MS);
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
  private sample(fromTimer: boolean, maxAgeMs = RESERVATION_AGE_MS): number {
    const now = Date.now();
    if (fromTimer || now - this.lastSampleAt >= maxAgeMs) {
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
    this.collectNow();
  }

  /** A full collection (at most once a second) and a fresh RSS sample; false when none ran. */
  private collectNow(): boolean {
    const now = Date.now();
    if (now - this.lastCollectAt < 250) return false;
    this.lastCollectAt = now;
    if (!this.collect()) return false;
    this.lastCollectedAt = Date.now();
    this.lastRss = this.rss();
    this.lastSampleAt = Date.now();
    return true;
  }
}

function freeHeapBytes(): number {
  const heap = getHeapStatistics();
  return Math.max(0, heap.total_heap_size - heap.used_heap_size);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}
