/**
 * The worker pool on real worker threads (the TypeScript worker, loaded through tsx): results
 * identical to the main thread's, errors keep their code across the thread hop, a deadline
 * terminates the job's worker, a worker that runs out of heap fails its call with E_TOO_LARGE,
 * and after either the pool serves the next job on a fresh worker.
 */
import { afterEach, describe, expect, it } from "vitest";
import { extractDocument } from "../../src/core/extract/index.js";
import { lint } from "../../src/core/lint/linter.js";
import { SpecGateError } from "../../src/errors.js";
import { WorkerPool } from "../../src/perf/worker-pool.js";
import type { WorkerTask } from "../../src/perf/worker-jobs.js";
import { createDeadline } from "../../src/signals.js";
import { headings, ruleLines } from "../helpers/large-docs.js";
import { memoryLogger } from "../helpers/runtime.js";

const pools: WorkerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

function pool(maxHeapMb = 256): { pool: WorkerPool; outcomes: string[] } {
  const outcomes: string[] = [];
  const p = new WorkerPool({
    size: 1,
    maxHeapMb,
    logger: memoryLogger().logger,
    onJob: (job, outcome) => outcomes.push(`${job}:${outcome}`),
  });
  pools.push(p);
  return { pool: p, outcomes };
}

const DOC =
  "# Payments API Design\n\n## Design Rules\n\n- **RULE-API-001** (MUST): Handlers must validate input.\n- **RULE-API-002** (SHOULD): Responses should be cached.\n";
const never = new AbortController().signal;
const LIMIT = 32 * 1024 * 1024;

const extractTask = (content: string): WorkerTask<"extract"> => ({
  job: "extract",
  args: { content, options: { source: { id: "doc.md" } } },
  maxResultChars: LIMIT,
  hint: "Split it.",
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "ok",
    (e: unknown) => (e instanceof SpecGateError ? e.code : `not a SpecGateError: ${String(e)}`),
  );
}

describe("worker pool", () => {
  it("gives the main thread's results for lint and extraction", async () => {
    const { pool: p, outcomes } = pool();
    const extracted = await p.run(extractTask(DOC), never);
    expect(withoutTimings(extracted)).toEqual(withoutTimings(await extractDocument(DOC, { source: { id: "doc.md" } })));
    const linted = await p.run(
      {
        job: "lint",
        args: {
          content: DOC,
          options: { workspace: ".", allowAnyPath: false, checkType: "full", format: "auto", maxViolations: 500 },
        },
        maxResultChars: LIMIT,
        hint: "",
      },
      never,
    );
    expect(withoutTimings(linted)).toEqual(withoutTimings(await lint(DOC, { maxViolations: 500 })));
    expect(outcomes).toEqual(["extract:ok", "lint:ok"]);
  });

  it("keeps a job's own error code across threads, and refuses a result over the limit with E_TOO_LARGE", async () => {
    const { pool: p } = pool();
    expect(
      await codeOf(
        p.run(
          {
            job: "lint",
            args: {
              content: "a\u0000b",
              options: { workspace: ".", allowAnyPath: false, checkType: "full", format: "auto", maxViolations: 1 },
            },
            maxResultChars: LIMIT,
            hint: "",
          },
          never,
        ),
      ),
    ).toBe("E_INVALID_INPUT");
    const tooLarge = p.run(
      { ...extractTask(ruleLines(20_000)), maxResultChars: 10_000, hint: "Split the document." },
      never,
    );
    await expect(tooLarge).rejects.toThrow(
      /limit on one answer .*Split the document\. Or raise SPECGATE_MAX_RESULT_MB/,
    );
  });

  it("a deadline terminates the worker running the job; the next job runs on a fresh one", async () => {
    const { pool: p, outcomes } = pool();
    const deadline = createDeadline(300, "the lint");
    const code = await codeOf(
      p.run(
        {
          job: "lint",
          args: {
            content: headings(2 * 1024 * 1024),
            options: { workspace: ".", allowAnyPath: false, checkType: "full", format: "auto", maxViolations: 10 },
          },
          maxResultChars: LIMIT,
          hint: "",
        },
        deadline.signal,
      ),
    );
    deadline.dispose();
    expect(code).toBe("E_TIMEOUT");
    expect(p.stats().terminated).toBe(1);
    expect(await codeOf(p.run(extractTask(DOC), never))).toBe("ok");
    expect(outcomes).toEqual(["lint:terminated", "extract:ok"]);
  });

  it("a worker out of heap fails its call with E_TOO_LARGE and the pool recovers", async () => {
    const { pool: p, outcomes } = pool(64);
    const error = await p.run(extractTask(ruleLines(5 * 1024 * 1024)), never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecGateError);
    expect((error as SpecGateError).code).toBe("E_TOO_LARGE");
    expect((error as SpecGateError).message).toMatch(/Split the input/);
    expect(await codeOf(p.run(extractTask(DOC), never))).toBe("ok");
    expect(outcomes).toEqual(["extract:crashed", "extract:ok"]);
  });
});

/** `value` with its timing fields (`duration_ms` anywhere) zeroed, so two runs compare equal. */
function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutTimings(v));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = /duration|_ms$/.test(k) ? 0 : withoutTimings(v);
    return out;
  }
  return value;
}
