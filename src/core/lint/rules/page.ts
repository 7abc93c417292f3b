/**
 * The documentation page of a lint code (docs/rules/<code>.md), rendered from its rule module:
 * `npm run docs:rules` writes the pages, and a test fails when a page differs from its module.
 */
import { loadRuleset } from "../ruleset/load.js";
import { LINT_RULES } from "./index.js";
import { CHECK_TYPES, type LintRule } from "./rule.js";

/** Every page, `<code>.md` → its text, with the deductions of the bundled `specgate` ruleset. */
export async function renderRulePages(): Promise<Map<string, string>> {
  const ruleset = await loadRuleset("specgate");
  return new Map(LINT_RULES.map((rule) => [`${rule.code}.md`, renderRulePage(rule, ruleset.deductions[rule.code])]));
}

/** `deduction`: the code's points in the bundled `specgate` ruleset. */
export function renderRulePage(rule: LintRule, deduction: number): string {
  const { code, docs } = rule;
  const types = CHECK_TYPES.filter((t) => rule.checkTypes.includes(t)).map((t) =>
    docs.checkTypeNotes?.[t] ? `${t} (${docs.checkTypeNotes[t]})` : t,
  );
  const out = [
    `# \`${code}\``,
    "",
    docs.lead,
    "",
    "| | |",
    "|---|---|",
    `| Deduction (\`specgate\`) | ${deduction} |`,
    `| Default severity | ${rule.severity} |`,
    `| Check types | ${types.join(", ")} |`,
    "",
  ];
  for (const [title, text] of docs.paragraphs) out.push(`**${title}.** ${text}`, "");
  out.push(
    "## Wrong",
    "",
    "````markdown",
    docs.wrong,
    "````",
    "",
    "## Right",
    "",
    "````markdown",
    docs.right,
    "````",
    "",
    "## Tuning",
    "",
    ...tuning(rule),
    "",
  );
  return out.join("\n");
}

function tuning({ code, laterDeduction }: LintRule): string[] {
  if (laterDeduction !== undefined) {
    return [
      `In a ruleset (see [../speclint.md](../speclint.md)): \`quality_scoring.deductions.${code}\` sets the points`,
      `(${laterDeduction} when a ruleset written before this code does not name it), \`checks.${code}: error | warning | info | off\``,
      `the severity (or turns the check off). In a document, \`<!-- speclint-disable-next-line ${code} -- reason -->\``,
      "silences one occurrence.",
    ];
  }
  return [
    `In a ruleset (see [../speclint.md](../speclint.md)): \`quality_scoring.deductions.${code}\` sets the points,`,
    `\`checks.${code}: error | warning | info | off\` the severity (or turns the check off). In a document,`,
    `\`<!-- speclint-disable-next-line ${code} -- reason -->\` silences one occurrence.`,
  ];
}
