/**
 * Documents that are cheap to write and expensive to work on, for the hardening tests and
 * bench/cost.ts: every line a rule (extraction and generation grow with every rule), or every
 * other line a heading (the linter's section model grows with every heading).
 */

/** A document of `bytes` made of standardized rule lines, one list item each (the 100k-rule attack at 5 MB). */
export function ruleLines(bytes: number): string {
  const lines = ["# Big Service Design Document", "", "## Design Rules", ""];
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    const line = `- **RULE-API-${String(i).padStart(3, "0")}** (MUST): Validate field_${i}.`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join("\n")}\n`;
}

/** A document of `bytes` made of headings with a line of text each (the 100k-heading attack at 2 MB). */
export function headings(bytes: number): string {
  const parts = ["# Big Service Design Document\n"];
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    const part = `## Section ${i}\n\ntext\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join("\n");
}
