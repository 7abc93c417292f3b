/**
 * CPU-heavy tool work on worker threads (piscina), so that a large lint, extraction, generation
 * or conversion never stalls the event loop every other client is waiting on, and so that a
 * deadline can end it: JavaScript that never yields cannot be interrupted in its own thread, but
 * its worker can be terminated. Piscina terminates the worker running an aborted task and starts
 * a fresh one for the next task.
 *
 * Small inputs stay on the main thread (below SPECGATE_WORKER_MIN_KB, 128 KB by default: bench/cost.ts measures ~0.3 s of work there), as
 * does everything when `SPECGATE_WORKERS=0`. Each worker's heap is capped, so a job that would
 * outgrow the memory budget dies alone with E_TOO_LARGE instead of taking the process over its
 * cap; its memory counts in the process' RSS, which the memory guard reads.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Logger } from "../logger.js";
import { SpecGateError, toSpecGateError } from "../errors.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { errorFromPayload, type WorkerJob, type WorkerReply, type WorkerTask } from "./worker-jobs.js";

export interface WorkerPoolOptions {
  size: number;
  /** Old-generation heap of each worker, in MB. */
  maxHeapMb: number;
  /** Young-generation heap of each worker, in MB; V8's default when absent. */
  maxYoungMb?: number;
  logger: Logger;
  /** Told how each job ended. */
  onJob?: (job: WorkerJob, outcome: "ok" | "error" | "terminated" | "crashed") => void;
  /** Idle workers exit after this long (their memory goes back to the system). */
  idleTimeoutMs?: number;
}

interface PiscinaLike {
  on(event: "error", listener: (error: unknown) => void): unknown;
  run(task: unknown, options?: { signal?: AbortSignal }): Promise<unknown>;
  destroy(): Promise<void>;
  readonly threads: unknown[];
  readonly queueSize: number;
  readonly completed: number;
}

export class WorkerPool {
  readonly size: number;
  private readonly options: WorkerPoolOptions;
  private pool: Promise<PiscinaLike> | undefined;
  private running = 0;
  private terminated = 0;
  private crashed = 0;

  constructor(options: WorkerPoolOptions) {
    this.options = options;
    this.size = options.size;
  }

  /** Jobs now queued or running on the pool. */
  get active(): number {
    return this.running;
  }

  /** Jobs ended by their deadline or cancellation (their worker terminated), and workers that died. */
  stats(): { size: number; active: number; terminated: number; crashed: number } {
    return { size: this.size, active: this.running, terminated: this.terminated, crashed: this.crashed };
  }

  /**
   * Runs one job on a worker. Rejects with the job's own SpecGateError, with the signal's reason
   * when it aborts (the worker is terminated and replaced), or with E_TOO_LARGE when the worker
   * ran out of its heap.
   */
  async run<J extends WorkerJob>(task: WorkerTask<J>, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) throw toSpecGateError(signal.reason, signal);
    const pool = await (this.pool ??= this.start());
    this.running++;
    let reply: WorkerReply;
    try {
      reply = (await pool.run(task, { signal })) as WorkerReply;
    } catch (thrown) {
      if (signal.aborted) {
        this.terminated++;
        this.options.onJob?.(task.job, "terminated");
        throw toSpecGateError(signal.reason, signal);
      }
      this.crashed++;
      this.options.onJob?.(task.job, "crashed");
      if ((thrown as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY") {
        throw new SpecGateError(
          "E_TOO_LARGE",
          `The work needed more than the ${this.options.maxHeapMb} MB one call may use on this server. Split the input into smaller parts, or raise SPECGATE_MEMORY_LIMIT_MB.`,
          { details: { reason: "worker_memory", limit_mb: this.options.maxHeapMb } },
        );
      }
      this.options.logger.error({ err: thrown, job: task.job }, "a worker thread failed");
      throw new SpecGateError("E_INTERNAL", "SpecGate hit an internal error; the details are in the server log.", {
        cause: thrown,
      });
    } finally {
      this.running--;
    }
    this.options.onJob?.(task.job, reply.ok ? "ok" : "error");
    if (reply.ok) return reply.value;
    if (reply.stack)
      this.options.logger.error({ job: task.job, stack: reply.stack }, "a worker job failed with an internal error");
    throw errorFromPayload(reply.error);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).destroy();
  }

  private async start(): Promise<PiscinaLike> {
    const { Piscina } = await import("piscina");
    const pool = new Piscina({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: this.size,
      idleTimeout: this.options.idleTimeoutMs ?? 30_000,
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.maxHeapMb,
        ...(this.options.maxYoungMb === undefined ? {} : { maxYoungGenerationSizeMb: this.options.maxYoungMb }),
      },
      // One job per worker: a deadline terminates the worker, and with it only its own job.
      concurrentTasksPerWorker: 1,
      // Never block on a message channel: idle workers wait asynchronously.
      atomics: "disabled",
    }) as unknown as PiscinaLike;
    // A worker that dies with no job (while starting, or idle) is replaced; it must not take the
    // process down as an unhandled 'error' event.
    pool.on("error", (error) => this.options.logger.error({ err: error }, "a worker thread died outside a job"));
    return pool;
  }
}

/**
 * The worker's module: always the built one, dist/perf/worker.js (under the TypeScript sources too:
 * `npm run build`, which `npm test` runs first, makes it). A worker thread loads TypeScript only as
 * CommonJS, where the engines' lazy `import()`s cannot resolve TypeScript files; and the CLI's
 * bundle has no module of its own for it.
 */
function workerFile(): string {
  const built = path.join(PACKAGE_ROOT, "dist", "perf", "worker.js");
  if (!existsSync(built))
    throw new Error("The worker pool needs the built worker: run `npm run build` (dist/perf/worker.js is missing).");
  return pathToFileURL(built).href;
}
