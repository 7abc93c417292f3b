/**
 * Cursor rules: `.cursor/rules/specgate-<area>.mdc` per area plus `specgate-overview.mdc`.
 *
 * Front matter is strict YAML with exactly `description` (double-quoted), `globs` (a flow list of
 * double-quoted patterns from `scope.file_patterns`; empty = the agent requests the rule by its
 * description) and `alwaysApply` (true only for the overview). The SpecGate header is an HTML
 * comment right after the front matter, because Cursor needs `---` on the first line. An area
 * whose rules would exceed {@link MAX_LINES} lines is split into numbered parts.
 */
import type { DesignRuleSpec, Priority } from "../spec/design-rule-spec.js";
import {
  PRIORITY_ORDER,
  clip,
  compareRuleIds,
  codeFence,
  headerText,
  languagesOfGlobs,
  oneLine,
  record,
  sourceLabel,
} from "./common.js";
import type { GeneratedFile } from "./types.js";
import { trimEndChars } from "../text.js";

export const MDC_DIR = ".cursor/rules";
/** Cursor's guidance is < 500 lines per rule file; we stay under with a margin. */
export const MAX_LINES = 480;
const MAX_EXAMPLES = 3;
const MAX_EXAMPLE_LINES = 40;
const MAX_OVERVIEW_ITEMS = 200;

const AREA_NAMES: Readonly<Record<string, string>> = {
  API: "API",
  DATA: "data model",
  ARCH: "architecture",
  SEC: "security",
  PERF: "performance",
  UI: "UI",
  TEST: "testing",
  DEV: "development",
  OPS: "operations",
};

export function areaName(area: string): string {
  return AREA_NAMES[area] ?? area;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

interface MdcContext {
  /** The label for the whole rule set (the overview). */
  source: string;
  /** The caller's label, which then names every file's source; else each area file names its own rules' documents. */
  sourceOverride?: string | undefined;
  project: string | undefined;
}

/** All .mdc files for `rules` (already ordered by id). */
export function generateMdc(rules: readonly DesignRuleSpec[], ctx: MdcContext): GeneratedFile[] {
  const byArea = new Map<string, DesignRuleSpec[]>();
  for (const rule of rules) {
    const list = byArea.get(rule.area) ?? [];
    list.push(rule);
    byArea.set(rule.area, list);
  }
  const areas = [...byArea.keys()].sort();
  const files: GeneratedFile[] = [];
  const fileNames = new Map<string, string[]>();
  for (const area of areas) {
    const parts = areaFiles(area, byPriority(byArea.get(area)!), ctx);
    fileNames.set(
      area,
      parts.map((f) => f.path.slice(MDC_DIR.length + 1)),
    );
    files.push(...parts);
  }
  files.unshift(overviewFile(rules, areas, byArea, fileNames, ctx));
  return files;
}

function byPriority(rules: readonly DesignRuleSpec[]): DesignRuleSpec[] {
  return [...rules].sort((a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority));
}

function frontMatter(description: string, globs: readonly string[], alwaysApply: boolean): string {
  return [
    "---",
    `description: ${yamlString(description)}`,
    `globs: [${globs.map(yamlString).join(", ")}]`,
    `alwaysApply: ${alwaysApply}`,
    "---",
  ].join("\n");
}

/** A YAML double-quoted scalar (JSON's escapes are a subset of YAML's). */
function yamlString(text: string): string {
  return JSON.stringify(oneLine(text));
}

function counts(rules: readonly DesignRuleSpec[]): string {
  return PRIORITY_ORDER.map((p) => [p, rules.filter((r) => r.priority === p).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} ${p}`)
    .join(", ");
}

function areaFiles(area: string, rules: DesignRuleSpec[], ctx: MdcContext): GeneratedFile[] {
  const blocks = rules.map((rule) => ({ rule, text: ruleBlock(rule) }));
  const parts: (typeof blocks)[] = [[]];
  let lines = 12;
  for (const block of blocks) {
    const n = block.text.split("\n").length + 1;
    if (parts[parts.length - 1]!.length > 0 && lines + n > MAX_LINES) {
      parts.push([]);
      lines = 12;
    }
    parts[parts.length - 1]!.push(block);
    lines += n;
  }
  const name = areaName(area);
  // An area file says where its own rules come from, not every document of the set.
  const source = sourceLabel(rules, ctx.sourceOverride);
  return parts.map((part, index) => {
    const partRules = part.map((b) => b.rule);
    const suffix = parts.length > 1 ? ` (part ${index + 1} of ${parts.length})` : "";
    const globs = [...new Set(partRules.flatMap((r) => r.scope.file_patterns.map(oneLine)).filter(Boolean))].sort();
    const description =
      `${ctx.project ? `${ctx.project} ` : ""}${ctx.project ? name : capitalized(name)} design rules${suffix}: ${plural(partRules.length, "rule")} (${counts(partRules)}) from ${source}. ` +
      `Use when writing, reviewing or changing ${name} code.`;
    const body: string[] = [
      frontMatter(description, globs, false),
      `<!-- ${headerText(source)} -->`,
      "",
      `# ${ctx.project ? `${ctx.project}: ${name}` : capitalized(name)} design rules${suffix}`,
      "",
      `These rules come from ${source}. MUST and MUST NOT rules are required; SHOULD and SHOULD NOT are strong ` +
        "recommendations; MAY is optional. When code you write or review breaks a rule, name the rule id and fix the code.",
      "",
    ];
    let current: Priority | undefined;
    for (const { rule, text } of part) {
      if (rule.priority !== current) {
        current = rule.priority;
        body.push(`## ${current}`, "");
      }
      body.push(text, "");
    }
    const slug = area.toLowerCase();
    return {
      path: `${MDC_DIR}/specgate-${slug}${index === 0 ? "" : `-${index + 1}`}.mdc`,
      content: `${trimEndChars(body.join("\n"), "\n")}\n`,
      target: "mdc" as const,
      rule_ids: partRules.map((r) => r.rule_id).sort(compareRuleIds),
    };
  });
}

function ruleBlock(rule: DesignRuleSpec): string {
  const title = clip(oneLine(rule.title), 200);
  const statement = clip(oneLine(rule.description), 2000);
  const lines: string[] = [`### ${rule.rule_id} (${rule.priority}): ${title}`, ""];
  if (statement && statement !== title) lines.push(statement, "");
  const facts: string[] = [];
  const scopeText = oneLine(rule.scope.text);
  if (scopeText) facts.push(`- Scope: ${clip(scopeText, 500)}`);
  if (rule.scope.file_patterns.length)
    facts.push(`- Files: ${rule.scope.file_patterns.map((g) => inlineCode(oneLine(g))).join(", ")}`);
  if (rule.scope.package_patterns.length)
    facts.push(`- Packages: ${rule.scope.package_patterns.map((g) => inlineCode(oneLine(g))).join(", ")}`);
  if (rule.scope.annotation_patterns.length)
    facts.push(`- Annotations: ${rule.scope.annotation_patterns.map((g) => inlineCode(oneLine(g))).join(", ")}`);
  const rationale = oneLine(rule.rationale);
  if (rationale) facts.push(`- Rationale: ${clip(rationale, 1000)}`);
  const refs = rule.references.map(oneLine).filter(Boolean);
  if (refs.length) facts.push(`- References: ${clip(refs.join("; "), 1000)}`);
  const rel = rule.reliability;
  if (rel.extraction_method === "keyword" || rel.total_score < 90) {
    facts.push(
      `- Reliability: ${rel.total_score}/100 (${rel.extraction_method === "keyword" ? "found by keywords in free text; confirm before enforcing" : "incomplete rule statement"})`,
    );
  }
  if (facts.length) lines.push(...facts, "");
  const lang = languagesOfGlobs(rule.scope.file_patterns)[0] ?? "";
  const template = record(record(rule.development_info)?.mdc_template);
  for (const [key, label] of [
    ["examples", "Correct"],
    ["anti_examples", "Incorrect"],
  ] as const) {
    const list = Array.isArray(template?.[key]) ? (template[key] as unknown[]) : [];
    for (const ex of list.slice(0, MAX_EXAMPLES)) {
      const e = record(ex);
      const code = typeof e?.code === "string" ? e.code : "";
      if (!code.trim()) continue;
      const caption = [e?.title, e?.description]
        .filter((s): s is string => typeof s === "string" && s.trim() !== "")
        .map(oneLine)
        .join(": ");
      lines.push(`${label}${caption ? ` (${clip(caption, 300)})` : ""}:`, "", codeFence(capLines(code), lang), "");
    }
  }
  return trimEndChars(lines.join("\n"), "\n");
}

function capLines(code: string): string {
  const lines = code.replace(/\r\n?/g, "\n").split("\n");
  return lines.length <= MAX_EXAMPLE_LINES
    ? lines.join("\n")
    : [...lines.slice(0, MAX_EXAMPLE_LINES), "// …"].join("\n");
}

function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = "`".repeat(longest + 1);
  return longest ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

function overviewFile(
  rules: readonly DesignRuleSpec[],
  areas: readonly string[],
  byArea: ReadonlyMap<string, DesignRuleSpec[]>,
  fileNames: ReadonlyMap<string, string[]>,
  ctx: MdcContext,
): GeneratedFile {
  const description =
    `Overview of the ${plural(rules.length, "design rule")} ${ctx.project ? `of ${ctx.project} ` : ""}from ${ctx.source}: ` +
    "the required (MUST / MUST NOT) rules and which rule file covers each area.";
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const lines: string[] = [
    frontMatter(description, [], true),
    `<!-- ${headerText(ctx.source)} -->`,
    "",
    `# ${ctx.project ? `${ctx.project} design rules` : "Design rules"}`,
    "",
    `This project follows ${plural(rules.length, "design rule")} from ${ctx.source}. Each area's rules, with scope, rationale and ` +
      "examples, are in the rule file named below; Cursor attaches it when matching files are in context, and you can ask for it by name.",
    "",
    "| Area | Rules | MUST | MUST NOT | SHOULD | SHOULD NOT | MAY | Rule file |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const area of areas) {
    const list = byArea.get(area)!;
    const n = (p: Priority) => list.filter((r) => r.priority === p).length;
    lines.push(
      `| ${cell(capitalized(areaName(area)))} | ${list.length} | ${n("MUST")} | ${n("MUST NOT")} | ${n("SHOULD")} | ${n("SHOULD NOT")} | ${n("MAY")} | ${(fileNames.get(area) ?? []).join(", ")} |`,
    );
  }
  const required = rules.filter((r) => r.priority === "MUST" || r.priority === "MUST NOT");
  if (required.length) {
    lines.push("", "## Required rules", "");
    for (const rule of required.slice(0, MAX_OVERVIEW_ITEMS))
      lines.push(`- **${rule.rule_id}** (${rule.priority}): ${clip(oneLine(rule.title), 160)}`);
    if (required.length > MAX_OVERVIEW_ITEMS)
      lines.push(`- …and ${required.length - MAX_OVERVIEW_ITEMS} more in the area rule files.`);
  }
  return {
    path: `${MDC_DIR}/specgate-overview.mdc`,
    content: `${lines.join("\n")}\n`,
    target: "mdc",
    rule_ids: rules.map((r) => r.rule_id).sort(compareRuleIds),
  };
}
