/** Docker cannot run on the CI machine, so the compose wiring is checked by reading the files. */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const read = (f: string) => readFile(new URL(`../../${f}`, import.meta.url), "utf8");

describe("docker-compose.yml", () => {
  it("runs the server and Redis with health checks and the right wiring", async () => {
    const compose = parse(await read("docker-compose.yml")) as { services: Record<string, any> };
    expect(Object.keys(compose.services).sort()).toEqual(["redis", "specgate"]);
    const { specgate, redis } = compose.services;
    expect(specgate.build).toBe(".");
    expect(specgate.ports).toContain("3000:3000");
    expect(specgate.environment.SPECGATE_HTTP_PORT).toBe("3000");
    expect(specgate.environment.SPECGATE_HTTP_HOST).toBe("0.0.0.0");
    // Beyond loopback the server refuses to start without a token: compose must demand one.
    expect(specgate.environment.SPECGATE_HTTP_TOKEN).toMatch(/^\$\{SPECGATE_HTTP_TOKEN:\?/);
    expect(specgate.environment.REDIS_URL).toBe("redis://redis:6379");
    expect(specgate.depends_on.redis.condition).toBe("service_healthy");
    expect(specgate.healthcheck.test.join(" ")).toContain("/healthz");
    expect(redis.image).toMatch(/^redis:7/);
    expect(redis.healthcheck.test).toEqual(["CMD", "redis-cli", "ping"]);
  });

  it("builds an image that serves HTTP from the compiled CLI", async () => {
    const dockerfile = await read("Dockerfile");
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/cli\.js", "serve", "--http"\]/);
    expect(dockerfile).toMatch(/EXPOSE 3000/);
    const pkg = JSON.parse(await read("package.json")) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.bin.specgate).toBe("dist/cli.js");
    expect(pkg.scripts.build).toMatch(/tsc/);
  });
});
