/** Public types of the HTML → Markdown converter (`html_to_md`). */

export interface ConvertOptions {
  /** The wiki's base URL (e.g. `https://acme.atlassian.net/wiki`), used to make page and attachment links absolute. */
  baseUrl?: string | undefined;
  /** Key of the space the page lives in: page links without `ri:space-key` point there. */
  spaceKey?: string | undefined;
  /** Id of the page being converted: attachment links and images become `…/download/attachments/<id>/<file>`. */
  pageId?: string | undefined;
  /** Base URL of the Jira server (e.g. `https://acme.atlassian.net`): jira macros become links to `…/browse/KEY`. */
  jiraBaseUrl?: string | undefined;
  /** Checked between chunks; an abort rejects with the matching SpecGateError. */
  signal?: AbortSignal | undefined;
  /**
   * Called for every `include` and `excerpt-include` macro with the page it names. The content it
   * returns is written in the macro's place between include markers (see core/markdown/include-markers.ts);
   * `undefined` leaves the `(included from: …)` placeholder and an `include_not_expanded` warning.
   */
  includes?: ((ref: IncludeRef) => IncludedContent | undefined) | undefined;
  /**
   * Characters of input parsed between two yields to the event loop. By default slices are sized
   * to about 8 ms of work each; tests use tiny fixed values to prove chunk boundaries change nothing.
   */
  chunkSize?: number | undefined;
}

export interface ConvertWarning {
  /** Stable code: `unknown_macro`, `unknown_element`, `adf_fallback`, `diagram_not_converted`, `include_not_expanded`, `unresolved_link`. */
  code: string;
  message: string;
  /** The macro or element concerned, when there is one. */
  subject?: string | undefined;
  /** How many times it occurred in the page. */
  count?: number | undefined;
}

/** The page an `include` or `excerpt-include` macro names (by title and space, or by content id). */
export interface IncludeRef {
  macro: "include" | "excerpt-include";
  title?: string | undefined;
  /** The space key the macro names; undefined means the including page's space. */
  spaceKey?: string | undefined;
  contentId?: string | undefined;
  /** excerpt-include: the name of the excerpt to show (pages may hold several named excerpts). */
  excerptName?: string | undefined;
}

/** What replaces an include macro: the included page's Markdown (no `# title`) and where it comes from. */
export interface IncludedContent {
  markdown: string;
  id: string;
  title: string;
  url: string;
}

export type InputFormat = "storage" | "view" | "html";

export interface ConvertStats {
  input_bytes: number;
  output_bytes: number;
  duration_ms: number;
  /** Slices of input parsed between yields to the event loop. */
  chunks: number;
  format: InputFormat;
}

export interface ConvertResult {
  markdown: string;
  warnings: ConvertWarning[];
  stats: ConvertStats;
}

/** Resolved, normalised options the streaming pass works with. */
export interface ResolvedOptions {
  baseUrl: string | undefined;
  spaceKey: string | undefined;
  pageId: string | undefined;
  jiraBaseUrl: string | undefined;
  format: InputFormat;
  includes?: ((ref: IncludeRef) => IncludedContent | undefined) | undefined;
}
