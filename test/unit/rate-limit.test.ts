import { describe, expect, it } from "vitest";
import { MemoryTokenBucket } from "../../src/transports/rate-limit.js";

describe("token bucket", () => {
  it("allows the burst, then refuses with a retry time, then refills at the rate", () => {
    let now = 0;
    const bucket = new MemoryTokenBucket({ ratePerSecond: 2, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => bucket.takeSync("a").ok)).toEqual([true, true, true]);
    const refused = bucket.takeSync("a");
    expect(refused).toEqual({ ok: false, retryAfterMs: 500 });
    expect(bucket.takeSync("b").ok).toBe(true); // other clients are unaffected
    now += 500;
    expect(bucket.takeSync("a").ok).toBe(true);
    expect(bucket.takeSync("a").ok).toBe(false);
  });

  it("bounds the number of tracked clients", () => {
    const bucket = new MemoryTokenBucket({ ratePerSecond: 1, burst: 1, maxKeys: 2, now: () => 0 });
    bucket.takeSync("a");
    bucket.takeSync("b");
    bucket.takeSync("c"); // evicts "a"
    expect(bucket.takeSync("a").ok).toBe(true);
  });
});
