/**
 * The human-readable text of a spec_generate result (every tool returns structured content plus a
 * readable text): what was generated, written and skipped, then each file in a fenced block so that a client
 * which shows only the text still has the files. Past a size cap, the files are listed by path only.
 */
import { codeFence } from "./common.js";
import type { GeneratedFile, SkippedItem } from "./types.js";

export interface SummaryInput {
  files: readonly GeneratedFile[];
  skipped: readonly SkippedItem[];
  written: readonly string[];
  unchanged: readonly string[];
  extraction?: { document: string; rules: number; standardized: number; keyword: number } | undefined;
}

/** Text longer than this lists the files without their content. */
export const MAX_SUMMARY_CHARS = 64 * 1024;

const FENCE_LANGUAGE: Readonly<Record<string, string>> = {
  ".mdc": "markdown",
  ".yml": "yaml",
  ".yaml": "yaml",
  ".java": "java",
  ".json": "json",
};

export function summarizeGeneration(out: SummaryInput): string {
  const head: string[] = [];
  if (out.extraction) {
    const x = out.extraction;
    head.push(
      `${x.rules} rule${x.rules === 1 ? "" : "s"} extracted from ${x.document} (${x.standardized} standardized, ${x.keyword} keyword).`,
    );
  }
  const files = `${out.files.length} file${out.files.length === 1 ? "" : "s"}`;
  if (out.written.length || out.unchanged.length) {
    head.push(
      `Generated ${files}: ${out.written.length} written under the workspace, ${out.unchanged.length} already up to date.`,
    );
  } else head.push(`Generated ${files} (a preview: nothing written; spec_write writes them under the workspace).`);
  for (const line of skippedLines(out.skipped)) head.push(line);
  const list = out.files.map(
    (f) => `- ${f.path} (${f.target}, ${f.rule_ids.length} rule${f.rule_ids.length === 1 ? "" : "s"})`,
  );
  const bodies = out.files.map(
    (f) => `## ${f.path}\n\n${codeFence(f.content, FENCE_LANGUAGE[extension(f.path)] ?? "")}`,
  );
  const full = [...head, "", ...list, "", ...bodies].join("\n");
  if (full.length <= MAX_SUMMARY_CHARS) return full;
  return [
    ...head,
    "",
    ...list,
    "",
    "The files' contents are in structuredContent.files (too long to repeat here).",
  ].join("\n");
}

/** One line per target and reason, naming at most 10 rules. */
function skippedLines(skipped: readonly SkippedItem[]): string[] {
  const groups = new Map<string, { target: string; reason: string; ids: string[]; path?: string }>();
  for (const [k, s] of skipped.entries()) {
    const key = s.rule_id === undefined ? `#${k}` : `${s.target}\u0000${s.reason}`;
    const g = groups.get(key) ?? { target: s.target, reason: s.reason, ids: [], ...(s.path ? { path: s.path } : {}) };
    if (s.rule_id !== undefined) g.ids.push(s.rule_id);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const ids = g.ids.length > 10 ? `${g.ids.slice(0, 10).join(", ")} and ${g.ids.length - 10} more` : g.ids.join(", ");
    const what = g.path ? `${g.path}` : ids || "the target";
    return `Skipped ${g.target} — ${what}: ${g.reason}`;
  });
}

function extension(file: string): string {
  const dot = file.lastIndexOf(".");
  return dot < 0 ? "" : file.slice(dot).toLowerCase();
}
