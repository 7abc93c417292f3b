/**
 * The text content of a successful tool result. Many MCP clients hand only `content` to the model,
 * never `structuredContent`, so a model that is to pass one tool's result to the next (rule_extract
 * → spec_generate → gate_score) must find the whole result in the text. The text is therefore the
 * structured result serialised as JSON, as the MCP specification recommends for tools with an
 * output schema, while that JSON is at most {@link TEXT_JSON_LIMIT} bytes (UTF-8). A larger result
 * would flood the model's context, so its text is the tool's readable summary followed by a note
 * that says where the full result is and how to ask for a smaller one.
 */
import type { AnyToolDefinition } from "./tool.js";

/** Results whose JSON is at most this many bytes are their own text content. */
export const TEXT_JSON_LIMIT = 64 * 1024;

/**
 * `jsonCharsOver` counts every number and literal as 6 characters, so it may count up to six
 * times what JSON.stringify writes; past six times the limit the result is over it for certain
 * and is not serialised just to be measured.
 */
const SURELY_OVER = 6 * TEXT_JSON_LIMIT;

export function resultText(
  tool: AnyToolDefinition,
  output: unknown,
  measure: (value: unknown, limit: number) => number | undefined,
): string {
  if (measure(output, SURELY_OVER) === undefined) {
    const json = JSON.stringify(output);
    if (Buffer.byteLength(json, "utf8") <= TEXT_JSON_LIMIT) return json;
  }
  const summary = tool.summarize ? tool.summarize(output) : `${tool.name} succeeded.`;
  return `${summary}\n\n${overLimitNote(tool)}`;
}

/** What the model reads after the summary of a result too large to be its own text. */
export function overLimitNote(tool: AnyToolDefinition): string {
  const smaller = tool.resultHint ? ` For a result small enough to be given here whole: ${tool.resultHint}` : "";
  return (
    `[Result over ${TEXT_JSON_LIMIT / 1024} KB of JSON: the text above is a summary. ` +
    `The full result is in structuredContent (it matches this tool's outputSchema).${smaller}]`
  );
}
