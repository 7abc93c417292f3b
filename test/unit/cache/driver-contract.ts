/**
 * The L2 driver contract (src/cache/types.ts `RemoteCacheDriver`), as tests: one function that
 * registers the same suite against any driver. Every driver the facade may be given runs it —
 * the Redis driver on a real redis-server and a Redis Cluster (test/e2e/redis-driver.test.ts),
 * and the chaos driver the facade's fault tests use (test/unit/cache/chaos-driver.test.ts) — so
 * a fault test never passes only because its stand-in behaves unlike Redis.
 *
 * Not in the contract: timeouts, retries, the breaker (RemoteTier adds those around any driver).
 */
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RemoteCacheDriver } from "../../../src/cache/types.js";
import { escapeGlob } from "../../../src/cache/remote-tier.js";
import { until } from "../../helpers/cache.js";

export interface DriverUnderTest {
  driver: RemoteCacheDriver;
  /** Releases whatever the factory started besides the driver (closing the driver is the suite's). */
  dispose?(): Promise<void>;
}

export function driverContract(name: string, make: () => Promise<DriverUnderTest>): void {
  describe(`L2 driver contract: ${name}`, () => {
    let made: DriverUnderTest;
    let driver: RemoteCacheDriver;
    /** A key space of this test only: the drivers may share one server between tests. */
    let ns: string;

    beforeEach(async () => {
      made = await make();
      driver = made.driver;
      ns = `contract:${randomUUID().slice(0, 8)}:`;
    });
    afterEach(async () => {
      await driver.close();
      await made.dispose?.();
    });

    it("is ready once made, answers PING and names itself", async () => {
      expect(driver.ready()).toBe(true);
      await expect(driver.ping()).resolves.toBeUndefined();
      expect(driver.name).toMatch(/^[\w-]+$/);
    });

    it("returns the exact bytes set under a key, undefined for a missing key, and the last write wins", async () => {
      const binary = Buffer.from([0x00, 0x01, 0xff, 0x7f, 0x80, 0x0a, 0x0d]);
      const large = Buffer.alloc(256 * 1024, 0xa5);
      await driver.set(`${ns}binary`, binary, 60_000);
      await driver.set(`${ns}large`, large, 60_000);
      await driver.set(`${ns}text`, Buffer.from("첫 번째"), 60_000);
      await driver.set(`${ns}text`, Buffer.from("두 번째"), 60_000);
      expect(await driver.get(`${ns}binary`)).toEqual(binary);
      expect(Buffer.compare((await driver.get(`${ns}large`))!, large)).toBe(0);
      expect((await driver.get(`${ns}text`))?.toString()).toBe("두 번째");
      expect(await driver.get(`${ns}missing`)).toBeUndefined();
    });

    it("forgets a value once its TTL has passed", async () => {
      await driver.set(`${ns}short`, Buffer.from("x"), 100);
      await driver.set(`${ns}long`, Buffer.from("y"), 60_000);
      await until(async () => (await driver.get(`${ns}short`)) === undefined, 5000, "the short-lived value to expire");
      expect((await driver.get(`${ns}long`))?.toString()).toBe("y");
    });

    it("deletes the keys given and counts only those that existed", async () => {
      await driver.set(`${ns}a`, Buffer.from("1"), 60_000);
      await driver.set(`${ns}b`, Buffer.from("2"), 60_000);
      expect(await driver.delete([`${ns}a`, `${ns}b`, `${ns}never`])).toBe(2);
      expect(await driver.get(`${ns}a`)).toBeUndefined();
      expect(await driver.delete([`${ns}a`])).toBe(0);
    });

    it("deletes by Redis glob, literal where escaped, and only the keys the filter keeps", async () => {
      for (const k of ["page:1", "page:2", "page:30", "lint:1", "p*ge:9"])
        await driver.set(`${ns}${k}`, Buffer.from(k), 60_000);
      await driver.set(`other${ns}page:1`, Buffer.from("outside"), 60_000);
      const head = escapeGlob(ns);
      expect(await driver.deleteMatching(`${head}page:?`, (key) => !key.endsWith(":2"))).toBe(1);
      expect(await driver.get(`${ns}page:1`)).toBeUndefined();
      expect((await driver.get(`${ns}page:2`))?.toString()).toBe("page:2");
      expect((await driver.get(`${ns}page:30`))?.toString()).toBe("page:30");
      // `p\*ge:*` is the literal `p*ge:` followed by anything, not `page:…`.
      expect(await driver.deleteMatching(`${head}${escapeGlob("p*ge:")}*`)).toBe(1);
      expect((await driver.get(`${ns}page:30`))?.toString()).toBe("page:30");
      expect(await driver.deleteMatching(`${head}*`)).toBe(3);
      expect((await driver.get(`other${ns}page:1`))?.toString()).toBe("outside");
      await driver.delete([`other${ns}page:1`]);
    });

    it("counts keys matching a glob per group, skipping keys the grouping leaves out", async () => {
      for (const k of ["lint:1", "lint:2", "convert:1", "skip:1"])
        await driver.set(`${ns}${k}`, Buffer.from(k), 60_000);
      const counts = await driver.countMatching(`${escapeGlob(ns)}*`, (key) => {
        const group = key.slice(ns.length).split(":", 1)[0];
        return group === "skip" ? undefined : group;
      });
      expect(counts).toEqual({ lint: 2, convert: 1 });
    });

    it("gives a lock to one owner at a time: only the holder extends or releases it", async () => {
      const lock = `${ns}lock`;
      expect(await driver.acquireLock(lock, "owner-a", 60_000)).toBe(true);
      expect(await driver.acquireLock(lock, "owner-b", 60_000)).toBe(false);
      expect(await driver.extendLock(lock, "owner-b", 60_000)).toBe(false);
      expect(await driver.releaseLock(lock, "owner-b")).toBe(false);
      expect(await driver.extendLock(lock, "owner-a", 60_000)).toBe(true);
      expect(await driver.releaseLock(lock, "owner-a")).toBe(true);
      expect(await driver.releaseLock(lock, "owner-a")).toBe(false);
      expect(await driver.acquireLock(lock, "owner-b", 60_000)).toBe(true);
    });

    it("lets a lock whose holder stopped refreshing it expire, and the old holder can no longer extend it", async () => {
      const lock = `${ns}expiring`;
      expect(await driver.acquireLock(lock, "gone", 100)).toBe(true);
      await until(() => driver.acquireLock(lock, "next", 60_000), 5000, "the abandoned lock to expire");
      expect(await driver.extendLock(lock, "gone", 60_000)).toBe(false);
      expect(await driver.releaseLock(lock, "gone")).toBe(false);
      expect(await driver.releaseLock(lock, "next")).toBe(true);
    });

    it("delivers what is published on a channel to its subscriber, after telling it the subscription is live", async () => {
      const channel = `${ns}events`;
      const received: string[] = [];
      const first = '{"v":1,"t":"inv","kind":"lint"}';
      let arrived!: () => void;
      const delivered = new Promise<void>((resolve) => (arrived = resolve));
      await new Promise<void>((subscribed) => {
        void driver.subscribe(
          channel,
          (message) => {
            received.push(message);
            if (received.includes("last") && received.includes(first)) arrived();
          },
          subscribed,
        );
      });
      await driver.publish(`${ns}elsewhere`, "not for this channel");
      await driver.publish(channel, first);
      await driver.publish(channel, "last");
      await delivered;
      // A cluster relays a publication from whichever master took it: order is not guaranteed there.
      expect([...received].sort()).toEqual([first, "last"].sort());
    });

    it("reports whole-server figures", async () => {
      await driver.set(`${ns}counted`, Buffer.from("x"), 60_000);
      const info = await driver.info();
      expect(info.keys).toBeGreaterThanOrEqual(1);
      expect(info.masters).toBeGreaterThanOrEqual(1);
      expect(info.memoryBytes).toBeGreaterThanOrEqual(0);
      expect(info.mode).toBe(driver.name);
      expect(typeof info.version).toBe("string");
    });

    it("is no longer ready once closed", async () => {
      await driver.close();
      expect(driver.ready()).toBe(false);
    });
  });
}
