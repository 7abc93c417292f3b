/**
 * rule_diff's work, shared by the tool and `specgate diff`: read each side — rules as given, a
 * document extracted as rule_extract does (cached per document), or a Confluence page fetched as
 * confluence_fetch does (cached per page) and then extracted — and diff the two rule sets.
 */
import { diffMarkdown, diffRules, type RuleDiff } from "../core/diff/index.js";
import type { ContentFormat } from "../core/extract/index.js";
import { readRules, type DesignRuleSpec } from "../core/spec/design-rule-spec.js";
import { SpecGateError } from "../errors.js";
import type { ToolContext } from "../pipeline/tool.js";
import { fetchPageVersion } from "./confluence-pages.js";
import { extractRules } from "./extract-documents.js";

/** One side of a diff. */
export type RuleSetRef =
  | { rules: readonly unknown[]; label?: string | undefined }
  | { content: string; format?: ContentFormat | undefined; label?: string | undefined }
  | { page_id: string; version?: number | undefined };

export interface RuleSetInfo {
  /** How the side is named in the Markdown: a label given, `page 123 v7`, or from/to. */
  label: string;
  rules: number;
  /** Page sides: the page version read. */
  page_id?: string;
  version?: number;
  title?: string;
}

export interface RuleDiffResult extends RuleDiff {
  from: RuleSetInfo;
  to: RuleSetInfo;
  markdown: string;
}

/** Epoch ms by which page fetches must be done (the tool's deadline, less a margin). */
export interface DiffDeadline {
  deadlineAt?: number | undefined;
}

/** Reads both sides (concurrently) and diffs them. */
export async function diffRuleSets(
  ctx: ToolContext,
  from: RuleSetRef,
  to: RuleSetRef,
  deadline: DiffDeadline = {},
): Promise<RuleDiffResult> {
  const [a, b] = await Promise.all([readRuleSet(ctx, from, "from", deadline), readRuleSet(ctx, to, "to", deadline)]);
  const diff = await diffRules(a.rules, b.rules, { signal: ctx.signal });
  return {
    from: a.info,
    to: b.info,
    ...diff,
    markdown: diffMarkdown(diff, { from: a.info.label, to: b.info.label }),
  };
}

async function readRuleSet(
  ctx: ToolContext,
  ref: RuleSetRef,
  side: "from" | "to",
  deadline: DiffDeadline,
): Promise<{ rules: DesignRuleSpec[]; info: RuleSetInfo }> {
  if ("rules" in ref) {
    const read = readRules([...ref.rules], `${side}.rules`);
    if (read.issues.length) {
      const shown = read.issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ");
      throw new SpecGateError("E_INVALID_INPUT", `Some rules cannot be read (${read.issues.length}): ${shown}.`, {
        details: { issues: read.issues.slice(0, 20) },
      });
    }
    return { rules: read.rules, info: { label: ref.label ?? side, rules: read.rules.length } };
  }
  if ("content" in ref) {
    const label = ref.label ?? side;
    const extracted = await extractRules(ctx, ref.content, {
      source: { id: label },
      format: ref.format,
      defaultDocument: label,
    });
    return { rules: extracted.rules, info: { label, rules: extracted.rules.length } };
  }
  const page = await fetchPage(ctx, ref, deadline);
  const extracted = await extractRules(ctx, page.markdown, {
    source: { id: ref.page_id, title: page.title, url: page.url },
    format: "markdown",
    defaultDocument: ref.page_id,
  });
  return {
    rules: extracted.rules,
    info: {
      label: `page ${ref.page_id} v${page.version}`,
      rules: extracted.rules.length,
      page_id: ref.page_id,
      version: page.version,
      title: page.title,
    },
  };
}

/** One page (at a version, or its current one) as Markdown, through confluence_fetch's path. */
async function fetchPage(
  ctx: ToolContext,
  ref: { page_id: string; version?: number | undefined },
  deadline: DiffDeadline,
): Promise<{ markdown: string; version: number; title: string; url: string }> {
  const doc = await fetchPageVersion(ctx, ref.page_id, ref.version, {
    format: "markdown",
    ...(deadline.deadlineAt === undefined ? {} : { deadlineAt: deadline.deadlineAt }),
  });
  return { markdown: doc.markdown ?? "", version: doc.version, title: doc.title, url: doc.url };
}
