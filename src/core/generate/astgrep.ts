/**
 * ast-grep: `.specgate/ast-grep/sgconfig.yml` and one rule file per DesignRuleSpec rule that has
 * an executable check, `.specgate/ast-grep/rules/<rule id>.yml` (several ast-grep rules in one
 * file, separated by `---`, when the rule needs several languages or checks). Run from the
 * repository root:
 *
 *   npx --yes --package=@ast-grep/cli@<version> ast-grep scan -c .specgate/ast-grep/sgconfig.yml --format sarif
 *
 * (`npx @ast-grep/cli …` cannot work: the package has two executables, `ast-grep` and `sg`, and
 * neither is named after it, so npx cannot tell which to run.) The translation is the one
 * `rule_check` runs (src/core/astgrep/rules.ts), so CI and the IDE report the same findings.
 */
import { stringify } from "yaml";
import { astGrepRulesFor, type PatternVerdict } from "../astgrep/rules.js";
import type { DesignRuleSpec } from "../spec/design-rule-spec.js";
import { compareRuleIds, headerText } from "./common.js";
import type { GeneratedFile, SkippedItem } from "./types.js";

export const ASTGREP_DIR = ".specgate/ast-grep";
export const ASTGREP_CONFIG = `${ASTGREP_DIR}/sgconfig.yml`;
export const ASTGREP_RULES_DIR = `${ASTGREP_DIR}/rules`;

/** The YAML of a list of ast-grep rules: one document each, no anchors. */
export function astGrepYaml(rules: readonly object[]): string {
  return rules
    .map((r) => stringify(r, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}

/** The file name of a rule's ast-grep rules: `RULE-API-001` → `rule-api-001.yml`. */
export function astGrepRuleFile(ruleId: string): string {
  return `${ASTGREP_RULES_DIR}/${ruleId.toLowerCase().replace(/[^a-z0-9._-]/g, "-")}.yml`;
}

export function generateAstGrep(
  rules: readonly DesignRuleSpec[],
  source: string,
  verdict: PatternVerdict | undefined,
): { files: GeneratedFile[]; skipped: SkippedItem[] } {
  const skipped: SkippedItem[] = [];
  const files: GeneratedFile[] = [];
  for (const rule of rules) {
    const t = astGrepRulesFor(rule, verdict);
    for (const note of t.notes) skipped.push({ rule_id: rule.rule_id, target: "astgrep", reason: note });
    if (t.rules.length === 0) {
      if (t.notes.length === 0) {
        skipped.push({
          rule_id: rule.rule_id,
          target: "astgrep",
          reason:
            "no violation pattern and no forbidden dependency; the rule is still in the .mdc guidance (rule_check's `candidate` helps write a pattern)",
        });
      }
      continue;
    }
    files.push({
      path: astGrepRuleFile(rule.rule_id),
      content: `# ${headerText(source)}\n${astGrepYaml(t.rules)}`,
      target: "astgrep",
      rule_ids: [rule.rule_id],
    });
  }
  if (files.length === 0) {
    skipped.push({
      target: "astgrep",
      reason: `no ast-grep rules: none of the ${rules.length} rules has a usable violation pattern or forbidden dependency`,
    });
    return { files, skipped };
  }
  const ids = files.map((f) => f.rule_ids[0]!).sort(compareRuleIds);
  const config = [
    `# ${headerText(source)}`,
    "# Run from the repository root:",
    "#   npx --yes --package=@ast-grep/cli ast-grep scan -c .specgate/ast-grep/sgconfig.yml --format sarif",
    "ruleDirs:",
    "  - rules",
    "",
  ].join("\n");
  return { files: [{ path: ASTGREP_CONFIG, content: config, target: "astgrep", rule_ids: ids }, ...files], skipped };
}
