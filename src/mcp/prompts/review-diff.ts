import type { PromptMessage } from "@modelcontextprotocol/sdk/types.js";
import { invalidParams } from "../errors.js";
import { WORKSPACE_RULES_URI } from "../resources.js";
import { RULES_PATH } from "../workspace-rules.js";
import { definePrompt, fenced, userText } from "./prompt.js";

/** Larger workspace rules are linked rather than embedded in the prompt. */
const MAX_EMBEDDED_RULES_CHARS = 256 * 1024;

export const reviewDiff = definePrompt({
  name: "review_diff",
  title: "Review a diff against the design rules",
  description:
    "Check a code diff against the workspace's design rules (or a design document's) with rule_check, and explain each finding with a fix.",
  arguments: [
    { name: "diff", description: "A unified diff (git diff)", required: true, size: "document" },
    {
      name: "content",
      description: `A design document whose rules to check against, instead of the workspace rules (${RULES_PATH})`,
      size: "document",
    },
  ],
  render: async (args, ctx) => {
    const diff = args.diff!;
    if (!/^(?:diff --git |--- |\+\+\+ |@@ )/m.test(diff))
      throw invalidParams("diff of prompt review_diff must be a unified diff (as git diff prints it).");
    const messages: PromptMessage[] = [];
    let rulesArg: string;
    if (args.content !== undefined) {
      rulesArg = '"content": <the design document below>';
    } else {
      const file = await ctx.rulesFile();
      if (!file)
        throw invalidParams(
          `prompt review_diff checks against the workspace rules, and the workspace has no ${RULES_PATH}: give the design ` +
            "document as content, or write the rules first (spec_write with the workflow target).",
        );
      rulesArg = `"rules": <the rules of ${WORKSPACE_RULES_URI}, attached>`;
      messages.push(
        file.text.length <= MAX_EMBEDDED_RULES_CHARS
          ? {
              role: "user",
              content: {
                type: "resource",
                resource: { uri: WORKSPACE_RULES_URI, mimeType: "application/json", text: file.text },
              },
            }
          : {
              role: "user",
              content: {
                type: "resource_link",
                uri: WORKSPACE_RULES_URI,
                name: "workspace-rules",
                mimeType: "application/json",
              },
            },
      );
    }
    const text = [
      "Review this code change against the design rules.",
      "",
      `1. Call \`rule_check\` with {${rulesArg}, "diff": <the diff below>}. rule_check reads the changed files from the ` +
        "server's workspace (SPECGATE_WORKSPACE) and reports only findings on added or changed lines. If those files are not in " +
        'that workspace, add "files": [{"path", "content"}] with the changed files\' new contents.',
      "2. For each finding, give `file:line`, `rule_id` and `priority`, quote the rule's statement, say why the changed code " +
        "breaks it, and show the corrected code.",
      "3. `unchecked` lists rules no pattern can check. Read the diff against those rules' statements yourself and name any " +
        "the change plausibly breaks, marked as your judgement, not as findings.",
      "4. End with a verdict: MUST and MUST NOT findings block the change, SHOULD findings are warnings.",
      "",
      "Diff:",
      "",
      fenced(diff, "diff"),
      ...(args.content !== undefined ? ["", "Design document:", "", fenced(args.content)] : []),
    ].join("\n");
    return [userText(text), ...messages];
  },
});
