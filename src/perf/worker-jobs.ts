/**
 * What the main thread and a pool worker (./worker.ts) exchange: plain, structured-cloneable data
 * only — no signals, no functions, no class instances.
 */
import type { ContentFormat, ExtractSource, KeywordCase } from "../core/extract/index.js";
import type { DocumentGenerateOptions } from "../core/generate/from-document.js";
import type { GenerateCallOptions } from "../core/generate/index.js";
import type { CheckType } from "../core/lint/rules/rule.js";
import type { InputFormat } from "../core/lint/linter.js";
import { SpecGateError, type ErrorPayload } from "../errors.js";

export { resultTooLarge } from "../errors.js";

type PlainGenerateOptions = Omit<GenerateCallOptions, "signal" | "patternVerdict">;

export interface WorkerJobArgs {
  lint: {
    content: string;
    options: {
      ruleset?: string | undefined;
      workspace: string;
      allowAnyPath: false;
      checkType: CheckType;
      format: InputFormat;
      maxViolations: number;
    };
  };
  extract: {
    content: string;
    options: {
      source: ExtractSource;
      format?: ContentFormat | undefined;
      minReliability?: number | undefined;
      defaultDocument?: string | undefined;
      keywords?: KeywordCase | undefined;
    };
  };
  generate: { rules: unknown; options: PlainGenerateOptions };
  generateFromDocument: {
    content: string;
    options: PlainGenerateOptions & Pick<DocumentGenerateOptions, "format" | "document">;
  };
  convert: {
    html: string;
    options: {
      baseUrl?: string | undefined;
      spaceKey?: string | undefined;
      pageId?: string | undefined;
      jiraBaseUrl?: string | undefined;
    };
  };
}

export type WorkerJob = keyof WorkerJobArgs;

export interface WorkerTask<J extends WorkerJob = WorkerJob> {
  job: J;
  args: WorkerJobArgs[J];
  /** The largest result accepted, in characters of its JSON. */
  maxResultChars: number;
  /** What to do when the result is too large (split the document, fewer targets…). */
  hint: string;
}

export type WorkerReply =
  { ok: true; value: unknown; chars: number } | { ok: false; error: ErrorPayload; stack?: string };

/** A SpecGateError back from its JSON (a worker's reply). */
export function errorFromPayload(payload: ErrorPayload): SpecGateError {
  return new SpecGateError(payload.code, payload.message, {
    retryable: payload.retryable,
    ...(payload.retry_after_ms !== undefined ? { retryAfterMs: payload.retry_after_ms } : {}),
    ...(payload.details !== undefined ? { details: payload.details } : {}),
  });
}
