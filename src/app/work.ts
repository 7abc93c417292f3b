/**
 * What a use case needs from whoever calls it: a cache (get-or-compute under a producer's policy)
 * and, in the server, a worker pool for large inputs. A tool passes its ToolContext; the CLI and
 * the library, which run one command over local files, pass {@link direct}: no cache, no workers.
 */
import type { CachePolicy } from "../cache/policy.js";
import type { ToolContext } from "../pipeline/tool.js";

export interface Work {
  /** Ends the work (cancellation, deadline). */
  readonly signal?: AbortSignal | undefined;
  /** Runs CPU-heavy work on a worker when the caller has a pool (see ToolContext.offload). */
  readonly offload?: NonNullable<ToolContext["offload"]>;
  /** The cached value for `material` under `policy`, computing it on a miss. */
  cached<T>(policy: CachePolicy, material: unknown, compute: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

const NEVER = new AbortController().signal;

/** Work done in place: every lookup computes, on this thread, ended by `signal` if given. */
export function direct(signal?: AbortSignal): Work {
  return { signal, cached: (_policy, _material, compute) => compute(signal ?? NEVER) };
}
