import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Spawned servers and redis-server processes are real; keep the worker count modest on 2 cores.
    maxWorkers: 4,
    reporters: ["default"],
  },
});
