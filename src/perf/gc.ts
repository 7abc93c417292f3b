/**
 * A full garbage collection on demand, for the memory guard. V8 collects lazily: after a burst
 * of large requests the heap can hold hundreds of megabytes of garbage, and once the guard
 * refuses new work nothing allocates, so nothing triggers a collection — the server would stay
 * "near its limit" with nothing in flight. The guard therefore collects when RSS crosses the
 * high-water mark (at most once a second).
 *
 * `global.gc` exists under `node --expose-gc`; otherwise the flag is set at run time, the first
 * time a collection is wanted, and a fresh context hands out the `gc` function.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collector: (() => void) | null | undefined;

/** Runs a full, synchronous garbage collection; false when this runtime offers none. */
export function collectGarbage(): boolean {
  if (collector === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === "function") collector = exposed;
    else {
      try {
        setFlagsFromString("--expose-gc");
        const gc = runInNewContext("gc") as unknown;
        collector = typeof gc === "function" ? (gc as () => void) : null;
      } catch {
        collector = null;
      }
    }
  }
  if (!collector) return false;
  collector();
  return true;
}
