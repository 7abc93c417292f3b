/**
 * The fake Confluence setup shared by the confluence_fetch, batch and latency benchmarks: the
 * corpus pages repeated under new ids, and a runtime wired to a fake (a real HTTP server on
 * loopback, test/helpers/fake-confluence.ts) the way the server wires itself to Confluence.
 */
import { loadConfig } from "../src/config.js";
import { createConfluenceClient } from "../src/core/confluence/client.js";
import { createLogger } from "../src/logger.js";
import { createMetrics } from "../src/perf/metrics.js";
import { createRuntime, type Runtime } from "../src/runtime.js";
import { corpusPages, syntheticPage, type FakeConfluence } from "../test/helpers/fake-confluence.js";

export { FakeConfluence, syntheticPage } from "../test/helpers/fake-confluence.js";

export const BENCH_SPACE = "BENCH";
export const BENCH_LABEL = "specgate:type:api-design";

/** `count` pages: real corpus pages repeated under new ids (100000…), so conversion does realistic work. */
export function benchPages(count: number): ReturnType<typeof corpusPages> {
  const corpus = corpusPages();
  return Array.from({ length: count }, (_, i) => {
    const src = corpus[i % corpus.length]!;
    return syntheticPage(String(100_000 + i), {
      title: `${src.title} ${i}`,
      storage: src.storage,
      spaceKey: BENCH_SPACE,
      labels: [BENCH_LABEL],
    });
  });
}

/** A fresh runtime (empty cache, no open connections) with a Confluence client pointed at `fake`. */
export function runtimeFor(fake: FakeConfluence, env: Record<string, string> = {}): Runtime {
  return confluenceRuntime({ ...fake.env(), ...env });
}

/** The same from the environment alone (CONFLUENCE_BASE_URL and credentials), e.g. in a child process. */
export function confluenceRuntime(env: Record<string, string>): Runtime {
  const config = loadConfig({ LOG_LEVEL: "silent", ...env });
  const metrics = createMetrics({ defaultMetrics: false });
  const confluence = createConfluenceClient(config, { metrics });
  return createRuntime({
    config,
    metrics,
    logger: createLogger({ level: "silent" }),
    services: { confluence },
    onClose: () => confluence.close(),
  });
}
