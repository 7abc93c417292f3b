/**
 * A rule diff as Markdown for a pull request or a page comment: counts first, then the added,
 * removed and changed rules, each on one line (statements cut at {@link STATEMENT_CHARS}), at most
 * {@link LISTED} a section.
 */
import type { DesignRuleSpec } from "../spec/design-rule-spec.js";
import type { ChangedRule, FieldChange, RuleDiff } from "./rules.js";

const LISTED = 50;
const STATEMENT_CHARS = 200;

export interface DiffLabels {
  /** What the older version is, e.g. `page 123 v4` or `design.md`. */
  from?: string | undefined;
  to?: string | undefined;
}

export function diffMarkdown(diff: Omit<RuleDiff, "markdown">, labels: DiffLabels = {}): string {
  const title =
    labels.from && labels.to ? `### Rule changes: ${inline(labels.from)} → ${inline(labels.to)}` : "### Rule changes";
  const { added, removed, changed, unchanged } = diff;
  if (added.length + removed.length + changed.length === 0)
    return `${title}\n\nNo rule changes (${plural(unchanged, "rule")} unchanged).\n`;
  const lines = [
    title,
    "",
    `**${added.length} added, ${removed.length} removed, ${changed.length} changed**, ${unchanged} unchanged.`,
  ];
  section(lines, "Added", added, (r) => `- ${ruleLine(r)}`);
  section(lines, "Removed", removed, (r) => `- ~~${ruleLine(r)}~~`);
  section(lines, "Changed", changed, changedLines);
  return `${lines.join("\n")}\n`;
}

function section<T>(lines: string[], name: string, items: readonly T[], render: (item: T) => string): void {
  if (items.length === 0) return;
  lines.push("", `#### ${name}`, "");
  for (const item of items.slice(0, LISTED)) lines.push(render(item));
  if (items.length > LISTED) lines.push(`- … and ${items.length - LISTED} more`);
}

function ruleLine(r: DesignRuleSpec): string {
  return `**${r.rule_id}** (${r.priority}): ${statement(r.description || r.title)}`;
}

function changedLines(c: ChangedRule): string {
  const how =
    c.matched_by === "similarity"
      ? ` (was ${c.from_rule_id ?? c.rule_id}; matched by wording, ${Math.round((c.similarity ?? 0) * 100)}% alike)`
      : "";
  const head = `- **${c.rule_id}**${how}: ${statement(c.title)}`;
  const details = Object.entries(c.fields)
    .filter(([name]) => name !== "rule_id")
    .map(([name, change]) => `  - ${name}: ${changeText(change, name === "priority" || name === "area")}`);
  return [head, ...details].join("\n");
}

function changeText(change: FieldChange, plain: boolean): string {
  const { from, to } = change;
  if (Array.isArray(from) || Array.isArray(to)) {
    const a = (Array.isArray(from) ? from : []).map(item);
    const b = (Array.isArray(to) ? to : []).map(item);
    const plus = b.filter((x) => !a.includes(x)).map((x) => `+ ${x}`);
    const minus = a.filter((x) => !b.includes(x)).map((x) => `− ${x}`);
    return [...plus, ...minus].join(", ") || `${a.join(", ")} → ${b.join(", ")} (reordered)`;
  }
  return plain ? `${String(from)} → ${String(to)}` : `${value(from)} → ${value(to)}`;
}

function value(v: unknown): string {
  if (v === null || v === undefined || v === "") return "_(none)_";
  if (typeof v === "string") return `“${statement(v)}”`;
  return code(JSON.stringify(v));
}

/** A pattern, a glob or a dependency rule as inline code. */
function item(v: unknown): string {
  return code(typeof v === "string" ? inline(v) : JSON.stringify(v));
}

/** One line, cut at a word near {@link STATEMENT_CHARS}. */
function statement(text: string): string {
  const one = inline(text);
  if (one.length <= STATEMENT_CHARS) return one;
  const cut = one.slice(0, STATEMENT_CHARS);
  const space = cut.lastIndexOf(" ");
  return `${space > STATEMENT_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

/** Whitespace collapsed, so a statement never breaks the list it sits in. */
function inline(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** An inline code span that survives backticks inside. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${longest ? " " : ""}${text}${longest ? " " : ""}${fence}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
