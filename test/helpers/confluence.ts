/** Shared set-up for Confluence tests: a client (and config) pointed at a fake Confluence. */
import { loadConfig, type Config } from "../../src/config.js";
import { ConfluenceClient } from "../../src/core/confluence/client.js";
import { resolveConfluenceSettings } from "../../src/core/confluence/settings.js";
import type { Metrics } from "../../src/perf/metrics.js";
import type { FakeConfluence } from "./fake-confluence.js";

export interface ClientForOptions {
  env?: Record<string, string>;
  metrics?: Metrics;
  maxDocumentBytes?: number;
  now?: () => number;
}

/** A client for `fake` with fast backoff (tests never wait seconds for a plain 500). */
export function clientFor(
  fake: FakeConfluence,
  options: ClientForOptions = {},
): { client: ConfluenceClient; config: Config } {
  const config = loadConfig({ LOG_LEVEL: "silent", ...fake.env(), ...options.env });
  const client = new ConfluenceClient({
    settings: resolveConfluenceSettings(config),
    backoff: { baseMs: 20, capMs: 100 },
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.maxDocumentBytes ? { maxDocumentBytes: options.maxDocumentBytes } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { client, config };
}

/** Request options for one operation, with a fresh tally. */
export function req(signal: AbortSignal = AbortSignal.timeout(20_000), deadlineAt?: number) {
  return { signal, deadlineAt, tally: { requests: 0, retries: 0 } };
}
