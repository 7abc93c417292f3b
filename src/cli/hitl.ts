/**
 * `specgate lint --github-issues`: the human-in-the-loop review of design documents. After
 * linting, each document graded `medium` gets (or keeps) an issue labelled `specgate:hitl-review`,
 * each `low` one labelled `specgate:must-fix`; an open issue of a document that now grades `high`
 * is closed. Issues are found again by a hidden marker, so repeated runs update, never duplicate
 * (src/core/github/hitl-issues.ts).
 */
import path from "node:path";
import type { Config } from "../config.js";
import { lineUrl, linkTarget } from "../core/gate/links.js";
import {
  GitHubClient,
  HITL_LABELS,
  syncHitlIssues,
  type HitlDocument,
  type HitlOutcome,
} from "../core/github/index.js";
import type { FileReport } from "../core/lint/format/report.js";
import { CliExit, EXIT_USAGE, type CliIO } from "./io.js";

export interface HitlTarget {
  token: string;
  repository: string;
}

/**
 * The token and repository `--github-issues` needs; a usage error (exit 2) naming what is missing.
 * Checked before any document is linted.
 */
export function hitlTarget(config: Config, repositoryFlag: string | undefined): HitlTarget {
  const missing: string[] = [];
  if (!config.github.token)
    missing.push(
      "GITHUB_TOKEN (in Actions: `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` with `permissions: issues: write`)",
    );
  const repository = repositoryFlag ?? config.github.repository;
  if (!repository) missing.push("the repository (GITHUB_REPOSITORY, set by Actions, or --repository owner/name)");
  if (missing.length) throw new CliExit(EXIT_USAGE, `specgate lint --github-issues needs ${missing.join(" and ")}.`);
  return { token: config.github.token!, repository: repository! };
}

/** The name a document's issue is keyed on: its path relative to the working directory, `/`-separated. */
export function documentId(file: string, cwd: string): string {
  if (file === "-") return "stdin";
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}

/** The `# title` of a Markdown document (first level-1 ATX heading), if it has one near the top. */
export function documentTitle(content: string): string | undefined {
  const head = content.slice(0, 64 * 1024);
  const m = /^ {0,3}#[ \t]+(.*)$/m.exec(head);
  // A closing sequence of #s is not part of the title (CommonMark); trimmed without a regex.
  let title = (m?.[1] ?? "").trimEnd();
  let end = title.length;
  while (end > 0 && title[end - 1] === "#") end--;
  if (end < title.length && (end === 0 || title[end - 1] === " " || title[end - 1] === "\t"))
    title = title.slice(0, end).trimEnd();
  return title ? title : undefined;
}

/**
 * Opens, updates or closes the HITL issues for the linted documents (files that could not be
 * linted are left out) and prints what was done on stderr. GitHub failures throw SpecGateError
 * (E_AUTH, E_FORBIDDEN, E_NOT_FOUND, E_RATE_LIMITED…: exit 2).
 */
export async function syncIssues(
  reports: readonly (FileReport & { title?: string })[],
  target: HitlTarget,
  config: Config,
  io: CliIO,
): Promise<HitlOutcome[]> {
  const links = linkTarget(target.repository, config.github.sha, config.github.serverUrl);
  const documents: HitlDocument[] = [];
  for (const r of reports) {
    if (!r.result) continue;
    const id = documentId(r.file, io.cwd);
    const url = id === "stdin" ? undefined : lineUrl(links, id, undefined);
    documents.push({ id, lint: r.result, ...(r.title ? { title: r.title } : {}), ...(url ? { url } : {}) });
  }
  const client = new GitHubClient({ token: target.token, apiUrl: config.github.apiUrl });
  let outcomes: HitlOutcome[];
  try {
    outcomes = await syncHitlIssues(client, { repository: target.repository, documents });
  } finally {
    await client.close();
  }
  const counts = new Map<HitlOutcome["action"], number>();
  for (const o of outcomes) {
    counts.set(o.action, (counts.get(o.action) ?? 0) + 1);
    if (o.action === "none") continue;
    const label = o.grade === "high" ? "" : `, ${HITL_LABELS[o.grade]}`;
    io.stderr.write(
      `GitHub issue${o.number ? ` #${o.number}` : ""} ${o.action} for ${o.document} (${o.grade}${label})${o.url ? `: ${o.url}` : ""}\n`,
    );
  }
  const order: HitlOutcome["action"][] = ["created", "updated", "reopened", "closed", "unchanged", "kept-closed"];
  const summary = order.filter((a) => counts.get(a)).map((a) => `${counts.get(a)} ${a}`);
  io.stderr.write(
    `GitHub issues in ${target.repository}: ${summary.length ? summary.join(", ") : "none needed"} (${documents.length} document${documents.length === 1 ? "" : "s"}).\n`,
  );
  return outcomes;
}
