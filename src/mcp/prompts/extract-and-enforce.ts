import { TARGETS } from "../../core/generate/types.js";
import { invalidParams } from "../errors.js";
import { WORKSPACE_RULES_URI } from "../resources.js";
import { DOCUMENT_ARGUMENTS, documentSource } from "./document.js";
import { definePrompt, json, userText } from "./prompt.js";

export const extractAndEnforce = definePrompt({
  name: "extract_and_enforce",
  title: "Extract rules and generate their checks",
  description:
    "Extract a design document's rules (rule_extract), generate the IDE rules and CI checks that enforce them (spec_generate, or spec_write to write them), " +
    "and show which rules have no executable check.",
  arguments: [
    ...DOCUMENT_ARGUMENTS,
    {
      name: "targets",
      description: `Comma-separated spec_generate targets (${TARGETS.join(", ")}); default all`,
      complete: "targets",
    },
    {
      name: "write",
      description:
        "true: write the files under the server's workspace with spec_write; default false (a preview with spec_generate)",
      complete: "boolean",
    },
  ],
  render: async (args, ctx) => {
    const doc = documentSource("extract_and_enforce", args, ctx);
    const targets = args.targets
      ?.split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const unknown = targets?.filter((t) => !(TARGETS as readonly string[]).includes(t)) ?? [];
    if (unknown.length > 0 || targets?.length === 0)
      throw invalidParams(
        `targets of prompt extract_and_enforce must be a comma-separated list of ${TARGETS.join(", ")}.`,
      );
    if (args.write !== undefined && args.write !== "true" && args.write !== "false")
      throw invalidParams("write of prompt extract_and_enforce must be true or false.");
    const write = args.write === "true";
    const generateArgs = `{"rules": <the rules from step 2>${targets ? `, "targets": ${json(targets)}` : ""}}`;
    const text = [
      "Turn this design document into enforced rules, and show which rules nothing can check yet.",
      "",
      `1. ${doc.step}`,
      `2. Call \`rule_extract\` with {"content": <${doc.name}>}. Keep its \`rules\` (DesignRuleSpec) and note its \`warnings\`.`,
      `3. Call \`${write ? "spec_write" : "spec_generate"}\` with ${generateArgs}. Its \`files\` say which rule went where (\`rule_ids\`); \`skipped\` says ` +
        "which rule a target could not express and why." +
        (write
          ? ` It writes the files under the server's workspace: report \`written\`, \`unchanged\` and any refused file in \`skipped\`; with the workflow target the rules are then the resource ${WORKSPACE_RULES_URI}.`
          : " It writes nothing (a preview; spec_write with the same arguments writes the files)."),
      "4. A rule has an executable check when a file of the semgrep, astgrep or archunit target lists it in `rule_ids`; " +
        "the mdc files (Cursor rules) guide an assistant, and the workflow runs the checks, but neither checks code by itself. " +
        "Every other rule has no executable check; `skipped` gives the reason per target." +
        (targets && !targets.some((t) => ["semgrep", "astgrep", "archunit"].includes(t))
          ? " (The targets asked for generate no checking file: say that every rule is then unchecked.)"
          : ""),
      "5. Answer with a table: rule_id | priority | the rule in a few words | generated in (targets) | executable check (yes/no). " +
        "Then list the rules without an executable check with the reasons from `skipped`, and for each say what would make it " +
        "checkable: a violation pattern (the write_check_for_rule prompt proves one with rule_check), a forbidden dependency, " +
        "or a language for a structural pattern.",
    ].join("\n");
    return [userText(doc.attachment ? `${text}\n\n${doc.attachment}` : text)];
  },
});
