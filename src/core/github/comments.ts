/**
 * The sticky pull-request comment: one comment per PR, found by a hidden marker at the start of
 * its body, created on the first run and edited on every later one (so a PR never collects a
 * pile of Drift Radars).
 */
import { SpecGateError } from "../../errors.js";
import type { GitHubClient } from "./client.js";

/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;

export interface StickyCommentOptions {
  /** `owner/name`. */
  repository: string;
  /** Pull request (or issue) number. */
  number: number;
  /** The comment body; the marker is put first when it is not already there. */
  body: string;
  /** Hidden marker that identifies the comment, e.g. `<!-- specgate:drift-radar -->`. */
  marker: string;
  signal?: AbortSignal;
  /**
   * What a 403 on writing means: `warn` (default) returns `skipped` with a warning — the case of a
   * pull request from a fork, whose token is read-only; `throw` raises E_FORBIDDEN.
   */
  onForbidden?: "warn" | "throw";
}

export type StickyCommentOutcome =
  { action: "created" | "updated" | "unchanged"; id: number; url?: string } | { action: "skipped"; warning: string };

interface Comment {
  id: number;
  body?: string | null;
  html_url?: string;
}

export async function upsertStickyComment(
  client: GitHubClient,
  options: StickyCommentOptions,
): Promise<StickyCommentOutcome> {
  const { repository, number, marker, signal } = options;
  checkTarget(repository, number);
  if (!/^<!-- [\w:./=@-]{1,100} -->$/.test(marker)) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `The comment marker must be one HTML comment, e.g. <!-- specgate:drift-radar --> (got ${marker.slice(0, 60)}).`,
    );
  }
  const body = options.body.trimStart().startsWith(marker) ? options.body : `${marker}\n${options.body}`;
  if (body.length > MAX_COMMENT_CHARS) {
    throw new SpecGateError(
      "E_TOO_LARGE",
      `The comment is ${body.length} characters; GitHub accepts at most ${MAX_COMMENT_CHARS}.`,
    );
  }
  let existing: Comment | undefined;
  for await (const c of client.paginate<Comment>(`repos/${repository}/issues/${number}/comments`, {
    signal,
    what: `listing the comments of #${number} in ${repository}`,
  })) {
    if (typeof c.body === "string" && c.body.trimStart().startsWith(marker)) {
      existing = c;
      break;
    }
  }
  try {
    if (existing) {
      if (existing.body === body)
        return { action: "unchanged", id: existing.id, ...(existing.html_url ? { url: existing.html_url } : {}) };
      const res = await client.request<Comment>("PATCH", `repos/${repository}/issues/comments/${existing.id}`, {
        body: { body },
        signal,
        what: `updating comment ${existing.id} on #${number} in ${repository}`,
      });
      return { action: "updated", id: res.data.id, ...(res.data.html_url ? { url: res.data.html_url } : {}) };
    }
    const res = await client.request<Comment>("POST", `repos/${repository}/issues/${number}/comments`, {
      body: { body },
      signal,
      what: `commenting on #${number} in ${repository}`,
    });
    return { action: "created", id: res.data.id, ...(res.data.html_url ? { url: res.data.html_url } : {}) };
  } catch (error) {
    if (error instanceof SpecGateError && error.code === "E_FORBIDDEN" && (options.onForbidden ?? "warn") === "warn") {
      return {
        action: "skipped",
        warning: `The GitHub token may not write to #${number} in ${repository} (403), so the comment was not posted. Pull requests from forks get a read-only token; otherwise grant \`permissions: pull-requests: write\`.`,
      };
    }
    throw error;
  }
}

export function checkTarget(repository: string, number?: number): void {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `The repository must look like owner/name (got "${repository.slice(0, 80)}"); set GITHUB_REPOSITORY.`,
    );
  }
  if (number !== undefined && (!Number.isInteger(number) || number < 1)) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `The pull request number must be a whole number ≥ 1 (got ${String(number)}).`,
    );
  }
}
