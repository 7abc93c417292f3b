/**
 * GitLab code quality (the `codequality` report of a job's `artifacts:reports`): a JSON array of
 * issues, each with a description, a check name, a severity (`info`, `minor`, `major`,
 * `critical`, `blocker`), a location (path and first line) and a fingerprint GitLab uses to tell
 * new findings from old ones across pipelines. Suppressed diagnostics are left out: they are
 * reported, not counted.
 */
import { createHash } from "node:crypto";
import type { Diagnostic, DiagnosticSeverity } from "../diagnostic.js";

export interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: "info" | "minor" | "major" | "critical" | "blocker";
  location: { path: string; lines: { begin: number } };
}

const SEVERITY: Record<DiagnosticSeverity, GitlabIssue["severity"]> = {
  error: "major",
  warning: "minor",
  info: "info",
  none: "info",
};

export function toGitlab(diagnostics: readonly Diagnostic[]): GitlabIssue[] {
  const seen = new Map<string, number>();
  return diagnostics
    .filter((d) => !d.suppression)
    .map((d) => {
      const path = d.file ?? "";
      const line = d.line ?? 1;
      // Stable across runs: the diagnostic's own fingerprint when it has one, else what it is and
      // where; a repeat of the same finding on the same line gets its ordinal.
      const identity = Object.values(d.fingerprints ?? {})[0] ?? `${d.source}|${d.code}|${path}|${line}|${d.message}`;
      const n = seen.get(identity) ?? 0;
      seen.set(identity, n + 1);
      return {
        description: d.title ? `${d.title}: ${d.message}` : d.message,
        check_name: `${d.source}/${d.code}`,
        fingerprint: createHash("sha256").update(`${identity}#${n}`).digest("hex").slice(0, 32),
        severity: SEVERITY[d.severity],
        location: { path, lines: { begin: line } },
      };
    });
}

export function formatGitlab(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify(toGitlab(diagnostics), null, 2)}\n`;
}
