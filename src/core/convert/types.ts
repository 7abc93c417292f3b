/** Public types of the HTML → Markdown converter (PRODUCT.md §2 `html_to_md`). */

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
}
