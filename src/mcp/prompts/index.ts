/**
 * Every prompt SpecGate serves, in the order clients list them, and `prompts/get`: the arguments
 * are checked here (an unknown prompt or argument, a missing required one or one over its size is
 * −32602 saying what to send) before the prompt renders its messages.
 */
import type { GetPromptResult, Prompt } from "@modelcontextprotocol/sdk/types.js";
import { invalidParams, quoted } from "../errors.js";
import { extractAndEnforce } from "./extract-and-enforce.js";
import type { PromptContext, PromptDefinition } from "./prompt.js";
import { reviewDesignDoc } from "./review-design-doc.js";
import { reviewDiff } from "./review-diff.js";
import { writeCheckForRule } from "./write-check-for-rule.js";

export type { CompletionSource, PromptContext, PromptDefinition } from "./prompt.js";

export const PROMPTS: readonly PromptDefinition[] = [reviewDesignDoc, extractAndEnforce, writeCheckForRule, reviewDiff];

const SHORT_ARGUMENT_CHARS = 1000;

/** What `prompts/list` returns. */
export function describePrompt(prompt: PromptDefinition): Prompt {
  return {
    name: prompt.name,
    title: prompt.title,
    description: prompt.description,
    arguments: prompt.arguments.map((a) => ({
      name: a.name,
      description: a.description,
      required: a.required ?? false,
    })),
  };
}

/** The prompt called `name`, or −32602 naming the prompts there are. */
export function findPrompt(name: string): PromptDefinition {
  const prompt = PROMPTS.find((p) => p.name === name);
  if (!prompt)
    throw invalidParams(`there is no prompt ${quoted(name)}; prompts: ${PROMPTS.map((p) => p.name).join(", ")}.`);
  return prompt;
}

/** `prompts/get`. Empty strings count as not given. */
export async function getPrompt(
  name: string,
  args: Readonly<Record<string, string>> | undefined,
  ctx: PromptContext,
): Promise<GetPromptResult> {
  const prompt = findPrompt(name);
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(args ?? {})) {
    const spec = prompt.arguments.find((a) => a.name === key);
    if (!spec)
      throw invalidParams(
        `prompt ${prompt.name} has no argument ${quoted(key)}; its arguments: ${prompt.arguments.map((a) => a.name).join(", ")}.`,
      );
    const limit = spec.size === "document" ? ctx.config.limits.maxDocumentBytes : SHORT_ARGUMENT_CHARS;
    if (value.length > limit)
      throw invalidParams(
        `argument ${key} of prompt ${prompt.name} has ${value.length} characters; at most ${limit} are accepted.`,
        "E_TOO_LARGE",
      );
    if (value.trim() !== "") given[key] = value;
  }
  const missing = prompt.arguments.filter((a) => a.required && given[a.name] === undefined);
  if (missing.length > 0)
    throw invalidParams(
      `prompt ${prompt.name} needs ${missing.map((a) => `${a.name} (${a.description})`).join(" and ")}.`,
    );
  return { description: prompt.description, messages: await prompt.render(given, ctx) };
}
