import { CHECK_TYPES } from "../../core/lint/rules/rule.js";
import { invalidParams } from "../errors.js";
import { DOCUMENT_ARGUMENTS, documentSource } from "./document.js";
import { definePrompt, json, userText } from "./prompt.js";

export const reviewDesignDoc = definePrompt({
  name: "review_design_doc",
  title: "Review a design document",
  description:
    "Fetch (or take) a design document, lint it with speclint_lint, explain each violation and propose a fix for it.",
  arguments: [
    ...DOCUMENT_ARGUMENTS,
    {
      name: "ruleset",
      description:
        "A bundled ruleset (specgate, specgate-en) or a ruleset path under the workspace; default: by the document's language",
      complete: "ruleset",
    },
    { name: "check_type", description: "full (default), basic or structure", complete: "check_type" },
  ],
  render: async (args, ctx) => {
    const doc = documentSource("review_design_doc", args, ctx);
    const checkType = args.check_type ?? "full";
    if (!(CHECK_TYPES as readonly string[]).includes(checkType))
      throw invalidParams(`check_type of prompt review_design_doc must be one of ${CHECK_TYPES.join(", ")}.`);
    const lintArgs = `{"content": <${doc.name}>${args.ruleset ? `, "ruleset": ${json(args.ruleset)}` : ""}, "check_type": ${json(checkType)}}`;
    const text = [
      "Review this design document against SpecGate's document-quality checks: explain what is wrong and propose fixes.",
      "",
      `1. ${doc.step}`,
      `2. Call \`speclint_lint\` with ${lintArgs}.`,
      "3. Go through `violations` in line order. For each, give its `code`, `line` and `message`, and say in a sentence or two " +
        "what the check expects. The resource specgate://lint-codes/<code> explains each code with a wrong and a right example; " +
        "read it when the message is not enough.",
      "4. Propose a fix for each violation. Where it has a `fix`, show that edit (lines `start_line` up to `end_line` replaced by " +
        "`text`); otherwise write the corrected lines, following `suggestion`, in the document's own language. Do not invent facts " +
        "the author did not state: where a fix needs one (a scope, a reason, a reference), write a placeholder and say what to fill in.",
      "5. End with the `score` and `grade`, and the three fixes that recover the most points (`deduction`). Do not call other tools.",
    ].join("\n");
    return [userText(doc.attachment ? `${text}\n\n${doc.attachment}` : text)];
  },
});
