/**
 * The one bounded "map and keep going" loop: every batch (documents of a lint or an extraction,
 * pages of a fetch, files on the command line) runs its items with bounded concurrency, in input
 * order, each item's failure kept as its own entry instead of failing the batch.
 */
import pLimit from "p-limit";
import { toSpecGateError, type SpecGateError } from "../errors.js";
import { yieldToLoop } from "../signals.js";

export type Settled<R> = { ok: true; value: R } | { ok: false; error: SpecGateError };

export interface MapSettledOptions {
  /** Items in flight at once (default 8). */
  concurrency?: number | undefined;
  /** Once aborted, items not yet started fail with the abort's reason. */
  signal?: AbortSignal | undefined;
  /** Called after each item settles, with how many have. */
  onSettled?: (done: number) => void | undefined;
  /** Give the event loop a turn between items (for callers serving other requests meanwhile). */
  yieldBetween?: boolean | undefined;
}

export async function mapSettled<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options: MapSettledOptions = {},
): Promise<Settled<R>[]> {
  const { signal, onSettled, yieldBetween = false } = options;
  const limit = pLimit(Math.max(1, Math.min(options.concurrency ?? 8, items.length || 1)));
  let done = 0;
  return Promise.all(
    items.map((item, index) =>
      limit(async (): Promise<Settled<R>> => {
        try {
          if (signal?.aborted) throw signal.reason;
          return { ok: true, value: await fn(item, index) };
        } catch (error) {
          return { ok: false, error: toSpecGateError(error, signal) };
        } finally {
          onSettled?.(++done);
          if (yieldBetween) await yieldToLoop();
        }
      }),
    ),
  );
}
