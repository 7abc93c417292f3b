/**
 * The Docker image, without a Docker engine (CI machines have none): the Dockerfile is read, its
 * build stage's steps are run in a scratch directory as `docker build` would run them, and its
 * health check is run against a real server.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, startHttp } from "../helpers/spawn.js";

const run = promisify(execFile);
const dockerfile = await readFile(path.join(ROOT, "Dockerfile"), "utf8");
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const stages = instructions.reduce<string[][]>(
  (acc, line) => (line.startsWith("FROM ") ? [...acc, [line]] : (acc.at(-1)!.push(line), acc)),
  [],
);
const [buildStage, finalStage] = stages as [string[], string[]];

const scratch = await mkdtemp(path.join(tmpdir(), "specgate-docker-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("Dockerfile", () => {
  it("sends a small build context: no node_modules, .git, build output or tests", async () => {
    const ignored = (await readFile(path.join(ROOT, ".dockerignore"), "utf8")).split("\n").map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining([".git", "node_modules", "dist", "test", "bench"]));
    // Everything the build copies is still in the context.
    const copied = instructions
      .filter((l) => l.startsWith("COPY ") && !l.includes("--from"))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    for (const source of copied) {
      expect(ignored, source).not.toContain(source);
      // A file under an ignored directory is sent only when a `!` line lets it through.
      const dir = source.split("/")[0]!;
      if (dir !== source && (ignored.includes(dir) || ignored.includes(`${dir}/*`)))
        expect(ignored, source).toContain(`!${source}`);
    }
  });

  it("builds with production dependencies and the compiler only, and runs production dependencies only", async () => {
    expect(buildStage[0]).toMatch(/^FROM node:20\S* AS build$/);
    const workdir = buildStage.find((l) => l.startsWith("WORKDIR "))!.slice("WORKDIR ".length);
    // `docker build`'s root is the scratch directory; the steps run where WORKDIR puts them.
    const cwd = path.join(scratch, workdir);
    await mkdir(cwd, { recursive: true });
    for (const line of buildStage.slice(1)) {
      if (line.startsWith("COPY ")) {
        const [, ...parts] = line.split(/\s+/);
        const dest = path.resolve(cwd, parts.pop()!);
        for (const source of parts)
          await cp(
            path.join(ROOT, source),
            parts.length > 1 || dest.endsWith("/") ? path.join(dest, path.basename(source)) : dest,
            { recursive: true },
          );
      } else if (line.startsWith("RUN ")) {
        await run("sh", ["-c", line.slice(4)], {
          cwd,
          env: {
            ...process.env,
            npm_config_prefer_offline: "true",
            npm_config_audit: "false",
            npm_config_fund: "false",
          },
          maxBuffer: 64 << 20,
        });
      }
    }
    expect(existsSync(path.join(cwd, "dist/cli.js"))).toBe(true);
    // The command is the bundle, and the bundled rulesets come parsed.
    expect(existsSync(path.join(cwd, "dist/chunks/meta.json"))).toBe(true);
    expect(existsSync(path.join(cwd, "dist/rulesets/specgate.json"))).toBe(true);
    const tools = ["vitest", "@modelcontextprotocol/inspector", "eslint", "tsx"];
    for (const t of tools) expect(existsSync(path.join(cwd, "node_modules", t)), t).toBe(false);
    expect(finalStage.filter((l) => /npm (ci|install)/.test(l))).toEqual([expect.stringMatching(/npm ci --omit=dev/)]);
    expect(finalStage).toContain("COPY --from=build /build/app/dist ./dist");
  });

  it("runs as `node` with a writable workspace volume that the tools use", () => {
    expect(finalStage).toContain("USER node");
    expect(finalStage.join("\n")).toMatch(/SPECGATE_WORKSPACE=\/workspace/);
    expect(finalStage).toContain("RUN mkdir -p /workspace && chown node:node /workspace");
    expect(finalStage).toContain('VOLUME ["/workspace"]');
  });

  it("checks health on the port the server is told to use", async () => {
    const healthcheck = finalStage.find((l) => l.startsWith("HEALTHCHECK "))!;
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf("CMD ") + 4)) as string[];
    expect(command[0]).toBe("node");
    const server = await startHttp();
    try {
      const port = new URL(server.url).port;
      await expect(
        run(process.execPath, command.slice(1), { env: { ...process.env, SPECGATE_HTTP_PORT: port } }),
      ).resolves.toBeDefined();
      await server.stop();
      // Nothing listens any more: the check fails.
      await expect(
        run(process.execPath, command.slice(1), { env: { ...process.env, SPECGATE_HTTP_PORT: port } }),
      ).rejects.toMatchObject({ code: 1 });
    } finally {
      await server.stop();
    }
  });
});
