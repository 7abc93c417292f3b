/**
 * A small circuit breaker for L2. Closed: every operation goes through, consecutive failures are
 * counted. At `threshold` failures it opens: operations are skipped (the caller serves from L1
 * and the factory) for `cooldownMs`. Then it is half-open: exactly one operation (the probe) goes
 * through; success closes the breaker, failure opens it for another cooldown.
 *
 * Successes reported while open are ignored: they come from operations started before the
 * breaker opened and say nothing about the server now. Time comes from an injectable clock.
 */
import type { BreakerState } from "./types.js";

export interface CircuitBreakerOptions {
  threshold: number;
  cooldownMs: number;
  now?: () => number;
  onChange?: (state: BreakerState, previous: BreakerState) => void;
}

export class CircuitBreaker {
  private current: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly onChange: ((state: BreakerState, previous: BreakerState) => void) | undefined;

  constructor(options: CircuitBreakerOptions) {
    this.threshold = Math.max(1, options.threshold);
    this.cooldownMs = Math.max(0, options.cooldownMs);
    this.now = options.now ?? (() => performance.now());
    this.onChange = options.onChange;
  }

  /** The state now (an open breaker whose cooldown is over reads as half-open). */
  get state(): BreakerState {
    if (this.current === "open" && this.now() - this.openedAt >= this.cooldownMs) this.transition("half-open");
    return this.current;
  }

  /** Milliseconds until an open breaker lets a probe through (0 when not open). */
  get retryInMs(): number {
    return this.state === "open" ? Math.max(0, this.openedAt + this.cooldownMs - this.now()) : 0;
  }

  /**
   * May an operation run now? In half-open state only one caller gets `true` (the probe) until
   * it reports its result.
   */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    if (this.current === "half-open") {
      this.probing = false;
      this.failures = 0;
      this.transition("closed");
    } else if (this.current === "closed") {
      this.failures = 0;
    }
  }

  failure(): void {
    if (this.current === "half-open") {
      this.probing = false;
      this.open();
    } else if (this.current === "closed" && ++this.failures >= this.threshold) {
      this.open();
    }
  }

  /** An operation ended without telling anything about the server (e.g. its caller cancelled). */
  abandon(): void {
    if (this.current === "half-open") this.probing = false;
  }

  /** The connection came back: let the next operation probe without waiting for the cooldown. */
  probeNow(): void {
    if (this.current === "open") {
      this.openedAt = this.now() - this.cooldownMs;
      this.transition("half-open");
    }
  }

  private open(): void {
    this.failures = 0;
    this.openedAt = this.now();
    this.transition("open");
  }

  private transition(next: BreakerState): void {
    if (next === this.current) return;
    const previous = this.current;
    this.current = next;
    if (next !== "half-open") this.probing = false;
    this.onChange?.(next, previous);
  }
}
