/** The memory guard's admission rules, with an injected RSS and garbage collector. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryGuard } from "../../src/perf/memory-guard.js";
import type { SpecGateError } from "../../src/errors.js";

const MB = 1024 * 1024;

function guard(rss: { value: number }, collected: { count: number; freeTo?: number }) {
  return new MemoryGuard({
    limitBytes: 256 * MB,
    rss: () => rss.value,
    collect: () => {
      collected.count++;
      if (collected.freeTo !== undefined) rss.value = collected.freeTo;
      return true;
    },
  });
}

function code(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (error) {
    return (error as SpecGateError).code;
  }
}

describe("memory guard", () => {
  it("keeps a 64 MB margin under a small cap and a budget that leaves room for the process itself", () => {
    const g = guard({ value: 120 * MB }, { count: 0 });
    expect(g.highWaterBytes).toBe(192 * MB);
    expect(g.budgetBytes).toBe(72 * MB); // 192 − 120, under 45 % of 256
    const big = new MemoryGuard({ limitBytes: 1024 * MB, rss: () => 120 * MB, collect: () => false });
    expect(big.highWaterBytes).toBe(Math.floor(1024 * MB * 0.8));
    expect(big.budgetBytes).toBe(Math.floor(1024 * MB * 0.45));
  });

  it("refuses for good what could never fit (E_TOO_LARGE), and makes a lone call wait when RSS plus its cost passes the mark", () => {
    const rss = { value: 100 * MB };
    const g = guard(rss, { count: 0 });
    expect(code(() => g.reserve(200 * MB, "a big call"))).toBe("E_TOO_LARGE");
    expect(code(() => g.reserve(100 * MB, "a call"))).toBe("E_OVERLOADED");
    const r = g.reserve(80 * MB, "a call");
    expect(r.bytes).toBe(80 * MB);
    r.release();
  });

  it("collects garbage before refusing a lone call, and admits it when that frees enough", () => {
    const rss = { value: 150 * MB };
    const collected = { count: 0, freeTo: 90 * MB };
    const g = guard(rss, collected);
    const r = g.reserve(80 * MB, "a call");
    expect(collected.count).toBe(1);
    r.release();
  });

  it("counts heap that V8 holds free as room while another call is in flight, but never past the high-water mark itself", () => {
    const rss = { value: 700 * MB };
    const free = { value: 0 };
    const g = new MemoryGuard({
      limitBytes: 1024 * MB,
      rss: () => rss.value,
      reusable: () => free.value,
      collect: () => false,
    });
    expect(g.highWaterBytes).toBe(Math.floor(819.2 * MB));
    const running = g.reserve(10 * MB, "a small call");
    // 700 MB in use + 140 MB is past the 819 MB mark: refused while none of it is reusable.
    expect(code(() => g.reserve(140 * MB, "a call"))).toBe("E_OVERLOADED");
    // 150 MB of that RSS is freed heap the call fills first: 550 + 140 fits.
    free.value = 150 * MB;
    g.reserve(140 * MB, "a call").release();
    running.release();
    // At or over the mark nothing is admitted, whatever the heap holds free.
    const full = new MemoryGuard({
      limitBytes: 1024 * MB,
      rss: () => 830 * MB,
      reusable: () => 500 * MB,
      collect: () => false,
    });
    expect(code(() => full.reserve(1, "a call"))).toBe("E_OVERLOADED");
  });

  it("collects garbage when RSS crosses the high-water mark, at most every 250 ms", () => {
    const rss = { value: 200 * MB };
    const collected = { count: 0 };
    const g = guard(rss, collected);
    expect(code(() => g.reserve(1, "a call"))).toBe("E_OVERLOADED");
    expect(code(() => g.reserve(1, "a call"))).toBe("E_OVERLOADED");
    expect(collected.count).toBe(1);
  });

  it("admits a call when RSS is over the mark only until the collection it triggers brings it under", () => {
    const rss = { value: 200 * MB };
    const collected = { count: 0, freeTo: 120 * MB };
    const g = guard(rss, collected);
    g.reserve(10 * MB, "a call").release();
    expect(collected.count).toBe(1);
  });

  it("at the mark, counts the heap V8 keeps free only right after a collection", () => {
    const free = { value: 0 };
    const options = { limitBytes: 256 * MB, rss: () => 200 * MB, reusable: () => free.value };
    // A collection ran and left 40 MB of committed heap empty: 160 MB in use, a small call fits.
    const collecting = new MemoryGuard({ ...options, collect: () => ((free.value = 40 * MB), true) });
    collecting.reserve(10 * MB, "a call").release();
    // No collection could run: free heap alone does not open the mark.
    free.value = 40 * MB;
    const stuck = new MemoryGuard({ ...options, collect: () => false });
    expect(code(() => stuck.reserve(10 * MB, "a call"))).toBe("E_OVERLOADED");
  });

  it("relieve() collects after a large body only when memory is at least half used", () => {
    const rss = { value: 100 * MB };
    const collected = { count: 0 };
    const g = guard(rss, collected);
    g.relieve();
    expect(collected.count).toBe(0);
    rss.value = 150 * MB;
    g.relieve();
    expect(collected.count).toBe(1);
  });

  describe("how fresh a reading each reservation takes", () => {
    afterEach(() => vi.useRealTimers());

    it("a small reservation takes a reading up to 50 ms old; a large one reads RSS again after 5 ms", () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(1_000_000);
      let reads = 0;
      const rss = { value: 100 * MB };
      const g = new MemoryGuard({
        limitBytes: 1024 * MB,
        rss: () => (reads++, rss.value),
        collect: () => false,
      });
      const readsBefore = reads;
      g.reserve(64 * 1024).release();
      expect(reads - readsBefore).toBe(1);
      vi.setSystemTime(1_000_020);
      g.reserve(64 * 1024).release();
      expect(reads - readsBefore).toBe(1);
      // RSS crossed the mark 20 ms ago: a large reservation sees it, and is refused.
      rss.value = 900 * MB;
      expect(code(() => g.reserve(2 * MB, "a large call"))).toBe("E_OVERLOADED");
      expect(reads - readsBefore).toBeGreaterThanOrEqual(2);
      // A small one is refused as well once its reading is that new one.
      expect(code(() => g.reserve(64 * 1024, "a small body"))).toBe("E_OVERLOADED");
      rss.value = 100 * MB;
      vi.setSystemTime(1_000_080);
      expect(code(() => g.reserve(64 * 1024, "a small body"))).toBe("ok");
    });
  });
});
