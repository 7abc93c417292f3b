/**
 * Extracting rules from a document, for every entry point: rule_extract, spec_generate's and
 * rule_check's `content`, `specgate extract`, `check` and `lint --fix`, and the library. In the
 * server each document is cached once, whichever tool asked first.
 */
import type { CachePolicy } from "../cache/policy.js";
import type { ContentFormat, ExtractOptions, ExtractResult } from "../core/extract/index.js";
import { offloaded } from "../pipeline/tool.js";
import type { Work } from "./work.js";

/** What to do when an extraction is over the result limit. */
export const EXTRACT_RESULT_HINT = "Split the document (or the batch), or raise `min_reliability` to keep fewer rules.";

/** One document's extraction. Bump `version` when extracted rules or their shape change. */
export const EXTRACT_CACHE = {
  namespace: "extract",
  ttlSeconds: 7200,
  version: 3,
  lock: false,
} as const satisfies CachePolicy;

/** The extractor's options, but the signal, which comes with the work. */
export type ExtractRulesOptions = Omit<ExtractOptions, "signal"> & { format?: ContentFormat | undefined };

/** One document's rules, cached under {@link EXTRACT_CACHE} when `work` caches. */
export function extractRules(work: Work, content: string, options: ExtractRulesOptions = {}): Promise<ExtractResult> {
  const { source = {}, format, minReliability: min, defaultDocument: fallback, keywords } = options;
  const material = {
    content,
    source,
    format: format ?? "auto",
    min: min ?? 0,
    fallback: fallback ?? null,
    keywords: keywords ?? "upper-case",
  };
  return work.cached(EXTRACT_CACHE, material, (signal) =>
    offloaded(
      work,
      "extract",
      { content, options: { source, format, minReliability: min, defaultDocument: fallback, keywords } },
      { size: content.length, hint: EXTRACT_RESULT_HINT, signal },
      // The extractor is loaded on the first miss, not with the server.
      () =>
        import("../core/extract/index.js").then(({ extractDocument }) =>
          extractDocument(content, {
            source,
            format,
            signal,
            minReliability: min,
            defaultDocument: fallback,
            keywords,
          }),
        ),
    ),
  );
}
