/**
 * HTML → Markdown (PRODUCT.md §2 `html_to_md`). Confluence storage format, Confluence view/export
 * HTML and plain HTML in; GitHub-flavoured Markdown out, normalised per
 * reference/html-to-md-conversion.yaml.
 *
 * This first engine runs turndown + gfm over the whole input; the streaming engine that keeps
 * 10 MB pages in bounded memory replaces it behind the same `convertHtml` signature.
 */
import TurndownService from "turndown";
// @ts-expect-error: turndown-plugin-gfm ships no types
import { gfm } from "turndown-plugin-gfm";
import { SpecGateError, throwIfAborted } from "../../errors.js";

export interface ConvertOptions {
  /** The wiki's base URL, used to make page and attachment links absolute. */
  baseUrl?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface ConvertWarning {
  /** Stable code, e.g. `unknown_macro`. */
  code: string;
  message: string;
  /** The macro or element concerned, when there is one. */
  subject?: string | undefined;
  count?: number | undefined;
}

export type InputFormat = "storage" | "view" | "html";

export interface ConvertStats {
  input_bytes: number;
  output_bytes: number;
  duration_ms: number;
  chunks: number;
  format: InputFormat;
}

export interface ConvertResult {
  markdown: string;
  warnings: ConvertWarning[];
  stats: ConvertStats;
}

export function detectFormat(html: string): InputFormat {
  const head = html.slice(0, 64 * 1024);
  if (/<ac:|<ri:/.test(head) || /<ac:|<ri:/.test(html)) return "storage";
  if (/class="[^"]*(?:confluence-|wiki-content)/.test(head)) return "view";
  return "html";
}

export async function convertHtml(html: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const started = performance.now();
  throwIfAborted(options.signal);
  const format = detectFormat(html);
  const service = new TurndownService({ headingStyle: "atx", bulletListMarker: "-", codeBlockStyle: "fenced", emDelimiter: "*", strongDelimiter: "**" });
  service.use(gfm);
  let converted: string;
  try {
    converted = service.turndown(html);
  } catch (error) {
    // turndown recurses per element: thousands of nested elements overflow the stack.
    if (error instanceof RangeError) {
      throw new SpecGateError("E_INVALID_INPUT", "The HTML nests elements too deeply to convert; flatten the nesting (or export the page from Confluence) and retry.", { cause: error });
    }
    throw error;
  }
  const markdown = normalizeMarkdown(converted);
  return {
    markdown,
    warnings: [],
    stats: {
      input_bytes: Buffer.byteLength(html, "utf8"),
      output_bytes: Buffer.byteLength(markdown, "utf8"),
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      chunks: 1,
      format,
    },
  };
}

/** Trailing spaces removed, blank lines collapsed, exactly one final newline. */
export function normalizeMarkdown(markdown: string): string {
  const out = markdown
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+/, "")
    .replace(/\n*$/, "\n");
  return out === "\n" ? "" : out;
}
