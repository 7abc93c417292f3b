/**
 * The code a pool worker runs (see ./worker-pool.ts): one job of pure CPU-bound work on plain
 * data — a lint, an extraction, a generation, a conversion — whose result is measured here, off
 * the main thread, against the largest result a call may return. Failures come back as values
 * (the SpecGateError's JSON), since an Error's code and details do not survive the thread hop.
 */
import { convertHtml } from "../core/convert/index.js";
import { extractDocument } from "../core/extract/index.js";
import { generateFromDocument } from "../core/generate/from-document.js";
import { generate } from "../core/generate/index.js";
import { lint } from "../core/lint/linter.js";
import { toSpecGateError, type ErrorPayload } from "../errors.js";
import { resultTooLarge, type WorkerJob, type WorkerReply, type WorkerTask } from "./worker-jobs.js";

type Runner = (args: never, maxResultChars: number) => Promise<unknown>;

const RUNNERS: Record<WorkerJob, Runner> = {
  lint: ((a: WorkerTask<"lint">["args"]) => lint(a.content, { ...a.options })) as Runner,
  extract: ((a: WorkerTask<"extract">["args"]) => extractDocument(a.content, a.options)) as Runner,
  generate: ((a: WorkerTask<"generate">["args"], max: number) =>
    generate(a.rules, { ...a.options, maxOutputChars: max })) as Runner,
  generateFromDocument: ((a: WorkerTask<"generateFromDocument">["args"], max: number) =>
    generateFromDocument(a.content, { ...a.options, maxOutputChars: max })) as Runner,
  convert: ((a: WorkerTask<"convert">["args"]) => convertHtml(a.html, a.options)) as Runner,
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
