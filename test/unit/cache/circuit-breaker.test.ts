import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../../src/cache/circuit-breaker.js";
import type { BreakerState } from "../../../src/cache/types.js";

function breaker(threshold = 3, cooldownMs = 1000) {
  let t = 0;
  const changes: string[] = [];
  const b = new CircuitBreaker({
    threshold,
    cooldownMs,
    now: () => t,
    onChange: (s: BreakerState, p: BreakerState) => changes.push(`${p}>${s}`),
  });
  return { b, changes, advance: (ms: number) => (t += ms) };
}

describe("circuit breaker", () => {
  it("opens after `threshold` consecutive failures; a success in between resets the count", () => {
    const { b } = breaker(3);
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe("closed");
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe("open");
    expect(b.allow()).toBe(false);
  });

  it("lets exactly one probe through after the cooldown; success closes it", () => {
    const { b, advance, changes } = breaker(1, 1000);
    b.failure();
    advance(999);
    expect(b.allow()).toBe(false);
    expect(b.retryInMs).toBe(1);
    advance(1);
    expect(b.state).toBe("half-open");
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.success();
    expect(b.state).toBe("closed");
    expect(b.allow()).toBe(true);
    expect(changes).toEqual(["closed>open", "open>half-open", "half-open>closed"]);
  });

  it("reopens for a full cooldown when the probe fails", () => {
    const { b, advance } = breaker(1, 500);
    b.failure();
    advance(500);
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe("open");
    advance(499);
    expect(b.allow()).toBe(false);
    advance(1);
    expect(b.allow()).toBe(true);
  });

  it("ignores late successes of operations started before it opened", () => {
    const { b } = breaker(1);
    b.failure();
    b.success();
    expect(b.state).toBe("open");
  });

  it("probes at once when the connection comes back, and frees an abandoned probe slot", () => {
    const { b } = breaker(1, 60_000);
    b.failure();
    b.probeNow();
    expect(b.state).toBe("half-open");
    expect(b.allow()).toBe(true);
    b.abandon();
    expect(b.allow()).toBe(true);
    b.success();
    expect(b.state).toBe("closed");
  });
});
