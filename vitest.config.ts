import { defineConfig } from "vitest/config";

// The suite must pass on a shared 2-core machine while another process keeps both cores busy.
// Tests wait for events, never for sleeps, and assert no time or throughput (those are the
// benchmark's); the bounds below only decide how long a broken test takes to say so, and are
// generous because a loaded machine can run many times slower than a quiet one.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 30_000 } },
    // Spawned servers and redis-server processes are real; keep the worker count modest on 2 cores.
    maxWorkers: 4,
    reporters: ["default"],
  },
});
