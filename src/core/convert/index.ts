/**
 * HTML → Markdown (`html_to_md`). Confluence storage format, Confluence view/export
 * HTML and plain HTML in; GitHub-flavoured Markdown out, in the normal form docs/html-to-md.md
 * describes, and deterministic.
 *
 * One engine: a single streaming pass over htmlparser2's Tokenizer (tree.ts turns its tokens into
 * open/close events; stream.ts writes the Markdown).
 * The input is fed in slices of about SLICE_MS of work each; between slices the event loop gets a
 * turn and the signal is checked, so a 10 MB page neither blocks the server nor outlives its deadline.
 * BENCHMARKS.md (docs/benchmarks/html-to-md.md) records why this beat feeding turndown chunk by chunk.
 */
import { throwIfAborted } from "../../errors.js";
import { yieldToLoop } from "../../signals.js";
import { normalizeBase } from "./links.js";
import { StreamConverter } from "./stream.js";
import { TreeBuilder } from "./tree.js";
import type { ConvertOptions, ConvertResult, InputFormat } from "./types.js";

export type {
  ConvertOptions,
  ConvertResult,
  ConvertStats,
  ConvertWarning,
  IncludedContent,
  IncludeRef,
  InputFormat,
} from "./types.js";
export { includeRefOf, excerptOf } from "./includes.js";
export { INCLUDE_END, includeStart, readIncludeMarker, type IncludeMarker } from "../markdown/include-markers.js";
export { normalizeMarkdown } from "./normalize.js";

/**
 * Slices are sized by time, not bytes: each aims at SLICE_MS of work whatever the machine's speed
 * or the JIT's warmth (the first slices of a cold process run several times slower), staying far
 * under the 50 ms an event-loop turn may take.
 */
const SLICE_MS = 8;
const FIRST_SLICE = 16 * 1024;
const MIN_SLICE = 4 * 1024;
const MAX_SLICE = 1024 * 1024;

const STORAGE = /<(?:ac|ri):/;
const VIEW = /class="[^"]*(?:confluence-|wiki-content)/;

/**
 * `storage` when any `ac:`/`ri:` element appears (checked in the first 64 KiB, then the rest),
 * `view` for Confluence's rendered HTML (its `confluence-*`/`wiki-content` classes), else `html`.
 */
export function detectFormat(html: string): InputFormat {
  const head = html.length > 65_536 ? html.slice(0, 65_536) : html;
  if (STORAGE.test(head) || (head !== html && STORAGE.test(html))) return "storage";
  if (VIEW.test(head)) return "view";
  return "html";
}

/**
 * Converts a page body to Markdown. Storage format is parsed with CDATA sections and self-closing
 * tags recognised (`<![CDATA[…]]>` code bodies, `<ri:page … />`); HTML entities are decoded in
 * every format. Rejects with a SpecGateError (E_TIMEOUT/E_CANCELLED) when `signal` fires.
 */
export async function convertHtml(html: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const started = performance.now();
  throwIfAborted(options.signal);
  const format = detectFormat(html);
  const conv = new StreamConverter({
    baseUrl: normalizeBase(options.baseUrl),
    spaceKey: options.spaceKey || undefined,
    pageId: options.pageId || undefined,
    jiraBaseUrl: normalizeBase(options.jiraBaseUrl),
    format,
    includes: options.includes,
  });
  const storage = format === "storage";
  const parser = new TreeBuilder(html, conv, { cdata: storage, selfClosing: storage, lowerCaseAttributes: !storage });
  const fixed = options.chunkSize === undefined ? 0 : Math.max(1, Math.floor(options.chunkSize));
  let size = fixed || FIRST_SLICE;
  let chunks = 0;
  let inputBytes = 0;
  for (let at = 0; at < html.length;) {
    if (chunks > 0) {
      await yieldToLoop();
      throwIfAborted(options.signal);
    }
    const t0 = performance.now();
    const end = Math.min(html.length, at + size);
    const slice = at === 0 && end === html.length ? html : html.slice(at, end);
    parser.write(slice);
    inputBytes += Buffer.byteLength(slice, "utf8");
    at = end;
    chunks++;
    if (!fixed) {
      const spent = Math.max(performance.now() - t0, 0.25);
      size = Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.floor(Math.min(size * 2, (size * SLICE_MS) / spent))));
    }
  }
  // Ending the parse, joining the output and measuring it are each a turn of their own.
  const big = chunks > 1;
  parser.end();
  if (big) await yieldToLoop();
  const markdown = conv.finish();
  if (big) await yieldToLoop();
  return {
    markdown,
    warnings: conv.warnings(),
    stats: {
      input_bytes: inputBytes,
      output_bytes: Buffer.byteLength(markdown, "utf8"),
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      chunks,
      format,
    },
  };
}
