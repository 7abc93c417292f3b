/**
 * Human-in-the-loop issues: one GitHub issue per design document whose
 * lint grade is `medium` (70-89, label `specgate:hitl-review`: a person reviews it) or `low`
 * (< 70, label `specgate:must-fix`), listing its violations. `specgate lint --github-issues`
 * calls {@link syncHitlIssues}.
 *
 * Never a duplicate: each issue carries a hidden marker derived from the document's id, and the
 * existing issue (open or closed, under either label) is updated instead of opening another.
 * - open issue, document still medium/low  → body, title and label updated (`updated`/`unchanged`)
 * - closed issue, same violations as when it was closed → left closed: a person decided (`kept-closed`)
 * - closed issue, the document changed and is still medium/low → reopened and updated (`reopened`)
 * - open issue, document now `high` → closed as completed (`closed`)
 */
import { createHash } from "node:crypto";
import type { LintResult } from "../lint/types.js";
import { codeSpan, inline, link, table } from "../report/formatters/markdown.js";
import { checkTarget } from "./comments.js";
import type { GitHubClient } from "./client.js";

export const HITL_LABELS = { medium: "specgate:hitl-review", low: "specgate:must-fix" } as const;
const MAX_ROWS = 100;

export interface HitlDocument {
  /** Stable identity of the document: a path, a Confluence page id or URL. */
  id: string;
  title?: string;
  url?: string;
  lint: LintResult;
}

export interface HitlOutcome {
  document: string;
  grade: LintResult["grade"];
  action: "created" | "updated" | "unchanged" | "reopened" | "kept-closed" | "closed" | "none";
  number?: number;
  url?: string;
}

interface Issue {
  number: number;
  state: "open" | "closed";
  title: string;
  body?: string | null;
  html_url?: string;
  labels?: (string | { name?: string })[];
  pull_request?: unknown;
  updated_at?: string;
}

export async function syncHitlIssues(
  client: GitHubClient,
  options: { repository: string; documents: readonly HitlDocument[]; signal?: AbortSignal },
): Promise<HitlOutcome[]> {
  const { repository, signal } = options;
  checkTarget(repository);
  const known = new Map<string, Issue>();
  for (const label of Object.values(HITL_LABELS)) {
    for await (const issue of client.paginate<Issue>(`repos/${repository}/issues`, {
      query: { labels: label, state: "all", sort: "updated", direction: "desc" },
      signal,
      what: `listing issues labelled ${label} in ${repository}`,
    })) {
      if (issue.pull_request || typeof issue.body !== "string") continue;
      const key = /<!-- specgate:hitl:([0-9a-f]{16}) -->/.exec(issue.body)?.[1];
      if (!key) continue;
      const seen = known.get(key);
      // Prefer an open issue; among equals, the most recently updated (listed first).
      if (!seen || (seen.state === "closed" && issue.state === "open")) known.set(key, issue);
    }
  }

  const outcomes: HitlOutcome[] = [];
  for (const doc of options.documents) {
    const key = documentKey(doc.id);
    const existing = known.get(key);
    const grade = doc.lint.grade;
    const base = { document: doc.id, grade };
    const ref = (i: Issue) => ({ number: i.number, ...(i.html_url ? { url: i.html_url } : {}) });
    if (grade === "high") {
      if (existing?.state === "open") {
        const res = await client.request<Issue>("PATCH", `repos/${repository}/issues/${existing.number}`, {
          body: { state: "closed", state_reason: "completed", body: resolvedBody(key, doc) },
          signal,
          what: `closing issue #${existing.number} in ${repository}`,
        });
        outcomes.push({ ...base, action: "closed", ...ref(res.data) });
      } else outcomes.push({ ...base, action: "none", ...(existing ? ref(existing) : {}) });
      continue;
    }
    const label = HITL_LABELS[grade];
    const title = issueTitle(doc);
    const body = issueBody(key, doc);
    if (!existing) {
      const res = await client.request<Issue>("POST", `repos/${repository}/issues`, {
        body: { title, body, labels: [label] },
        signal,
        what: `opening an issue for ${doc.id} in ${repository}`,
      });
      outcomes.push({ ...base, action: "created", ...ref(res.data) });
      continue;
    }
    const labels = labelNames(existing).filter((l) => l !== HITL_LABELS.medium && l !== HITL_LABELS.low);
    const sameLabel =
      labelNames(existing).includes(label) &&
      !labelNames(existing).includes(grade === "medium" ? HITL_LABELS.low : HITL_LABELS.medium);
    if (existing.state === "closed" && digestOf(existing.body ?? "") === digestOf(body)) {
      outcomes.push({ ...base, action: "kept-closed", ...ref(existing) });
      continue;
    }
    if (existing.state === "open" && existing.body === body && existing.title === title && sameLabel) {
      outcomes.push({ ...base, action: "unchanged", ...ref(existing) });
      continue;
    }
    const res = await client.request<Issue>("PATCH", `repos/${repository}/issues/${existing.number}`, {
      body: { title, body, labels: [...labels, label], ...(existing.state === "closed" ? { state: "open" } : {}) },
      signal,
      what: `updating issue #${existing.number} in ${repository}`,
    });
    outcomes.push({ ...base, action: existing.state === "closed" ? "reopened" : "updated", ...ref(res.data) });
  }
  return outcomes;
}

/** 16 hex characters identifying a document (safe inside an HTML comment). */
export function documentKey(id: string): string {
  return createHash("sha256").update(id.trim()).digest("hex").slice(0, 16);
}

function issueTitle(doc: HitlDocument): string {
  const name = (doc.title ?? doc.id).replace(/\s+/g, " ").trim().slice(0, 120);
  const s = doc.lint.score;
  return doc.lint.grade === "low"
    ? `[SpecGate] Must fix: ${name} (quality ${s}/100)`
    : `[SpecGate] Review needed: ${name} (quality ${s}/100)`;
}

function issueBody(key: string, doc: HitlDocument): string {
  const { lint } = doc;
  const rows = lint.violations
    .slice(0, MAX_ROWS)
    .map((v) => [
      String(v.line),
      codeSpan(v.code, 60).replace(/\|/g, "\\|"),
      v.severity,
      inline(v.message, 300),
      inline(v.suggestion, 300),
    ]);
  const content = [
    `## SpecGate document review: ${inline(doc.title ?? doc.id, 200)}`,
    "",
    `**Quality score: ${lint.score}/100 (${lint.grade})** — ${
      lint.grade === "low"
        ? "below 70: the document must be fixed before its rules are used."
        : "70-89: a person must review the document (approve by closing this issue)."
    }`,
    "",
    `Document: ${doc.url ? link(inline(doc.title ?? doc.id, 200), doc.url) : codeSpan(doc.id, 200)}`,
    "",
    `### Violations (${lint.violations.length})`,
    "",
    rows.length
      ? table(["Line", "Code", "Severity", "Problem", "Suggestion"], ["r", "l", "l", "l", "l"], rows)
      : "No violations listed.",
    ...(lint.violations.length > MAX_ROWS ? ["", `… and ${lint.violations.length - MAX_ROWS} more.`] : []),
    "",
    "<sub>Opened and kept up to date by SpecGate; it is closed automatically once the document grades high.</sub>",
  ].join("\n");
  const digest = createHash("sha256").update(content).digest("hex").slice(0, 16);
  return `<!-- specgate:hitl:${key} -->\n<!-- specgate:hitl-digest:${digest} -->\n${content}\n`;
}

function resolvedBody(key: string, doc: HitlDocument): string {
  return `<!-- specgate:hitl:${key} -->\n## SpecGate document review: ${inline(doc.title ?? doc.id, 200)}\n\nThe document now grades **high** (${doc.lint.score}/100): nothing left to review.\n`;
}

function digestOf(body: string): string | undefined {
  return /<!-- specgate:hitl-digest:([0-9a-f]{16}) -->/.exec(body)?.[1];
}

function labelNames(issue: Issue): string[] {
  return (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean);
}
