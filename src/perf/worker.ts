/**
 * The code a pool worker runs (see ./worker-pool.ts): one job of pure CPU-bound work on plain
 * data — a lint, an extraction, a generation, a conversion — whose result is measured here, off
 * the main thread, against the largest result a call may return. Failures come back as values
 * (the SpecGateError's JSON), since an Error's code and details do not survive the thread hop.
 */
import { toSpecGateError, type ErrorPayload } from "../errors.js";
import { resultTooLarge, type WorkerJob, type WorkerReply, type WorkerTask } from "./worker-jobs.js";

type Runner = (args: never, maxResultChars: number) => Promise<unknown>;

// Each job loads its engine on first use: a worker started for a conversion loads the converter
// only, not the linter, the extractor and the generators (time and heap at every worker start).
const RUNNERS: Record<WorkerJob, Runner> = {
  lint: (async (a: WorkerTask<"lint">["args"]) =>
    (await import("../core/lint/linter.js")).lint(a.content, { ...a.options })) as Runner,
  extract: (async (a: WorkerTask<"extract">["args"]) =>
    (await import("../core/extract/index.js")).extractDocument(a.content, a.options)) as Runner,
  generate: (async (a: WorkerTask<"generate">["args"], max: number) =>
    (await import("../core/generate/index.js")).generate(a.rules, { ...a.options, maxOutputChars: max })) as Runner,
  generateFromDocument: (async (a: WorkerTask<"generateFromDocument">["args"], max: number) =>
    (await import("../core/generate/from-document.js")).generateFromDocument(a.content, {
      ...a.options,
      maxOutputChars: max,
    })) as Runner,
  convert: (async (a: WorkerTask<"convert">["args"]) =>
    (await import("../core/convert/index.js")).convertHtml(a.html, a.options)) as Runner,
};

export default async function runTask(task: WorkerTask): Promise<WorkerReply> {
  try {
    const value = await RUNNERS[task.job](task.args as never, task.maxResultChars);
    const chars = JSON.stringify(value).length;
    if (chars > task.maxResultChars) throw resultTooLarge(chars, task.maxResultChars, task.hint);
    return { ok: true, value, chars };
  } catch (thrown) {
    const error = toSpecGateError(thrown);
    const reply: { ok: false; error: ErrorPayload; stack?: string } = { ok: false, error: error.toJSON() };
    if (error.code === "E_INTERNAL" && thrown instanceof Error && thrown.stack) reply.stack = thrown.stack;
    return reply;
  }
}
