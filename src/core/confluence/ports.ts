/**
 * What the Confluence module needs from the rest of the process, declared here so that it
 * imports no infrastructure: a cache, a metrics sink and its own settings. The composition root
 * (src/bootstrap.ts, and the confluence_fetch tool for the per-call cache) passes the
 * implementations; the process's cache facade and metrics registry fit these shapes as they are.
 */
import type { ConfluenceNetworkConfig } from "./network.js";

/**
 * A producer's cache policy (plain data): the namespace of its keys, their lifetime, the
 * producer's version (bump it when what is stored changes) and whether a miss takes the
 * distributed lock so that every instance sharing the cache computes once.
 */
export interface CachePolicyOf<N extends string = string> {
  readonly namespace: N;
  readonly ttlSeconds: number;
  readonly version: number;
  readonly lock: boolean;
}

/** The cache calls the page store makes: read, write, and get-or-compute once. */
export interface ConfluenceCache {
  get<T>(policy: CachePolicyOf, material: unknown): Promise<{ value: T } | undefined>;
  set(policy: CachePolicyOf, material: unknown, value: unknown): Promise<void>;
  /**
   * The cached value, or `compute` run once for every identical concurrent caller (in every
   * instance when the policy locks). `ttlMs` overrides the policy's lifetime; `bypass` skips
   * reading; `signal` bounds this caller's wait.
   */
  getOrCompute<T>(
    policy: CachePolicyOf,
    material: unknown,
    compute: (signal: AbortSignal) => Promise<T>,
    options: { bypass?: boolean; signal?: AbortSignal; ttlMs?: number },
  ): Promise<{ value: T }>;
}

/** Where the HTTP layer records each upstream request: its status (or `error`) and seconds to the answer. */
export interface UpstreamMetrics {
  readonly upstreamRequestDuration: { observe(labels: { service: string; status: string }, seconds: number): void };
}

/** The Confluence part of the process configuration, as the module reads it (proxy, mTLS and headers: network.ts). */
export interface ConfluenceConfig extends ConfluenceNetworkConfig {
  baseUrl?: string | undefined;
  flavour?: "cloud" | "datacenter" | undefined;
  email?: string | undefined;
  apiToken?: string | undefined;
  pat?: string | undefined;
  auth?: "basic" | "bearer" | "none" | undefined;
  concurrency: number;
  freshMs: number;
  requestTimeoutMs: number;
}
