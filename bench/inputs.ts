/**
 * Inputs shared by the latency, batch and scaling benchmarks, all built from test/fixtures:
 *   - the 16 KB seed design document (Markdown) and its HTML form (rendered once with markdown-it);
 *   - Confluence storage format of any size: the corpus pages concatenated (bench/html-to-md/input.ts);
 *   - design documents in Markdown of any size: the seed's body repeated with renumbered rule ids
 *     (bench/speclint-fixtures.ts), so every copy adds 7 distinct standardized rules;
 *   - findings lists for gate_score that name the given rules.
 */
import MarkdownIt from "markdown-it";
import { buildInput } from "./html-to-md/input.js";
import { largeDocument, readSeed } from "./speclint-fixtures.js";

export const KB = 1024;
export const MB = 1024 * 1024;
/** What a tool accepts per document is 10 MiB: "10 MB" inputs stay a little under, leaving room for a per-call suffix. */
export const TEN_MB = 10 * MB - 16 * KB;

export const seedMarkdown = readSeed;

export async function seedHtml(): Promise<string> {
  return new MarkdownIt({ html: true, xhtmlOut: true }).render(await readSeed());
}

/** Confluence storage format of about `bytes` (whole corpus pages). */
export const storageHtml = (bytes: number): string => buildInput(bytes);

/** A Markdown design document of about `bytes` (the seed repeated, rule ids renumbered). */
export async function designMarkdown(bytes: number): Promise<string> {
  return largeDocument(await readSeed(), bytes);
}

export interface Finding {
  rule_id: string;
  file: string;
  line: number;
  message: string;
}

/** `count` findings spread over `ruleIds`, about 90 bytes of JSON each. */
export function findingsFor(ruleIds: readonly string[], count: number): Finding[] {
  return Array.from({ length: count }, (_, i) => ({
    rule_id: ruleIds[i % ruleIds.length]!,
    file: `src/module${i % 40}/File${i % 1000}.ts`,
    line: (i % 800) + 1,
    message: `finding ${i}`,
  }));
}

export const bytesOf = (text: string): number => Buffer.byteLength(text);
