/**
 * What a CLI command learns from GitHub Actions: the pull request and its head commit (from the
 * event payload at $GITHUB_EVENT_PATH), and the job summary file ($GITHUB_STEP_SUMMARY).
 */
import { appendFile, readFile } from "node:fs/promises";
import type { Config } from "../config.js";

export interface ActionsContext {
  repository?: string;
  pullRequest?: number;
  /** The commit the findings are about: the PR head, else $GITHUB_SHA. */
  commit?: string;
  serverUrl: string;
  /** Why the event could not be read, if it could not. */
  warning?: string;
}

interface EventPayload {
  pull_request?: { number?: unknown; head?: { sha?: unknown } };
  number?: unknown;
}

/** Reads the Actions context; flags given on the command line win over it. */
export async function actionsContext(
  config: Config,
  flags: { pr?: number | undefined; repository?: string | undefined; commit?: string | undefined },
): Promise<ActionsContext> {
  let event: EventPayload | undefined;
  let warning: string | undefined;
  if (config.github.eventPath) {
    try {
      const parsed: unknown = JSON.parse(await readFile(config.github.eventPath, "utf8"));
      event = parsed && typeof parsed === "object" ? (parsed as EventPayload) : undefined;
    } catch (error) {
      warning = `Cannot read the GitHub event at ${config.github.eventPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`;
    }
  }
  const prNumber = event?.pull_request?.number;
  const headSha = event?.pull_request?.head?.sha;
  const pullRequest = flags.pr ?? (typeof prNumber === "number" && Number.isInteger(prNumber) ? prNumber : undefined);
  const commit = flags.commit ?? (typeof headSha === "string" ? headSha : config.github.sha);
  const repository = flags.repository ?? config.github.repository;
  return {
    ...(repository ? { repository } : {}),
    ...(pullRequest ? { pullRequest } : {}),
    ...(commit ? { commit } : {}),
    serverUrl: config.github.serverUrl,
    ...(warning ? { warning } : {}),
  };
}

/** Appends Markdown to the job summary; false when $GITHUB_STEP_SUMMARY is not set. */
export async function appendStepSummary(config: Config, markdown: string): Promise<boolean> {
  if (!config.github.stepSummary) return false;
  await appendFile(config.github.stepSummary, markdown.endsWith("\n") ? markdown : `${markdown}\n`, "utf8");
  return true;
}
