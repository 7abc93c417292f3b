/**
 * What a prompt is: a plain value, like a tool. `arguments` is what `prompts/list` advertises (all
 * values are strings, as MCP prompt arguments are); `render` turns checked arguments into the
 * messages `prompts/get` returns. The registry (index.ts) checks required arguments, unknown
 * names and lengths before `render` runs; `render` throws {@link invalidParams} for the rest.
 */
import type { PromptMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Config } from "../../config.js";
import type { DesignRuleSpec } from "../../core/spec/design-rule-spec.js";
import type { WorkspaceRulesFile } from "../workspace-rules.js";

/** Where completions for an argument come from (completions.ts). */
export type CompletionSource =
  "ruleset" | "lint_code" | "rule_id" | "page_id" | "space_key" | "language" | "check_type" | "targets" | "boolean";

export interface PromptArgumentDefinition {
  name: string;
  description: string;
  required?: boolean;
  complete?: CompletionSource;
  /** "document": up to the server's document limit (SPECGATE_MAX_DOCUMENT_MB); default 1,000 characters. */
  size?: "document";
}

export interface PromptContext {
  readonly config: Config;
  /** Confluence is configured, so page ids can be fetched. */
  readonly confluence: boolean;
  /** The workspace rules file, or undefined when there is none. */
  rulesFile(): Promise<WorkspaceRulesFile | undefined>;
  /** The rules it holds. */
  rules(): Promise<DesignRuleSpec[]>;
}

export type PromptArgs = Readonly<Record<string, string | undefined>>;

export interface PromptDefinition {
  /** snake_case. */
  name: string;
  title: string;
  description: string;
  arguments: readonly PromptArgumentDefinition[];
  render(args: PromptArgs, ctx: PromptContext): Promise<PromptMessage[]>;
}

export function definePrompt(prompt: PromptDefinition): PromptDefinition {
  return prompt;
}

/** `text` in a Markdown code fence longer than any backtick run inside it. */
export function fenced(text: string, info = ""): string {
  let longest = 2;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${text}${text.endsWith("\n") ? "" : "\n"}${fence}`;
}

/** One user message of text. */
export function userText(text: string): PromptMessage {
  return { role: "user", content: { type: "text", text } };
}

/** A JSON string literal, for arguments shown inside the JSON of a tool call. */
export const json = (value: unknown): string => JSON.stringify(value);
