import { languageById } from "../../core/astgrep/languages.js";
import { RULES_PATH } from "../workspace-rules.js";
import { invalidParams } from "../errors.js";
import { definePrompt, fenced, json, userText } from "./prompt.js";

export const writeCheckForRule = definePrompt({
  name: "write_check_for_rule",
  title: "Write an executable check for a rule",
  description:
    "The authoring loop of rule_check: propose an ast-grep pattern for a rule that has none, prove it on violating and " +
    "compliant examples, and hand the proven pattern back to the rule.",
  arguments: [
    {
      name: "rule_id",
      description: `The rule (RULE-AREA-NNN); looked up in the workspace rules (${RULES_PATH})`,
      required: true,
      complete: "rule_id",
    },
    {
      name: "language",
      description: "ast-grep language of the pattern (java, typescript, python…); default: the rule's own",
      complete: "language",
    },
    {
      name: "rule",
      description: "The rule as DesignRuleSpec JSON or its statement, when it is not in the workspace rules",
      size: "document",
    },
  ],
  render: async (args, ctx) => {
    const ruleId = args.rule_id!.trim().toUpperCase();
    if (args.language !== undefined && !languageById(args.language))
      throw invalidParams(
        `language ${json(args.language)} of prompt write_check_for_rule is not an ast-grep language.`,
      );
    const known = (await ctx.rules()).find((r) => r.rule_id === ruleId);
    if (!known && args.rule === undefined)
      throw invalidParams(
        `rule ${ruleId} is not in the workspace rules (${RULES_PATH}); give the rule as \`rule\` (its DesignRuleSpec JSON or statement).`,
      );
    const ruleText = known ? fenced(JSON.stringify(known, null, 2), "json") : fenced(args.rule!);
    const language = args.language
      ? `Write the pattern in ${args.language}.`
      : "Write the pattern in the rule's language (`validation_conditions.languages`, else the extensions of its scope's file patterns); ask if there is none.";
    const candidate = `{"candidate": {"rule_id": ${json(ruleId)}, "pattern": <pattern>, "language": <language>, "examples": {"violating": [...], "compliant": [...]}}}`;
    const text = [
      `Write an executable check for design rule ${ruleId}: an ast-grep pattern that finds code breaking it, proven on examples with \`rule_check\`.`,
      "",
      `The rule${known ? ` (from ${RULES_PATH})` : ""}:`,
      "",
      ruleText,
      "",
      `1. Decide what code breaks the rule. ${language}`,
      "2. Propose a pattern: preferably structural (code with metavariables: `$X` one node, `$$$ARGS` any number, e.g. " +
        "`$LOG.info($$$ARGS, $REQ.getBody())`); a regex (`/…/`) only when no structure expresses the rule.",
      "3. Write 2 to 5 violating examples (code that breaks the rule) and 2 to 5 compliant ones (code that follows it, as close " +
        "to the violating ones as possible). Each is a complete snippet that parses on its own.",
      `4. Call \`rule_check\` with ${candidate}.`,
      "5. Read `candidate`. `valid: false`: fix the pattern as `problem` says. `passes: false`: a violating example with " +
        "`matched: false` means the pattern is too narrow, a compliant one with `matched: true` that it is too broad; change the " +
        "pattern (never the examples, to make it pass) and repeat step 4, at most five times.",
      "6. When `passes` is true, show the pattern, the examples and `hand_off.validation_conditions`, and the rule with them added. " +
        'Then `spec_generate` with {"rules": [<the updated rule>], "targets": ["astgrep"]} gives the CI rule, and rule_check ' +
        "runs it in the editor. If no pattern passes after five rounds, say why the rule resists a pattern (it may need a " +
        "forbidden dependency or a human review instead).",
    ].join("\n");
    return [userText(text)];
  },
});
