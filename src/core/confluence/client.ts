/**
 * The Confluence client: created once per runtime from the configuration (src/bootstrap.ts), shared by
 * every call. It picks the flavour's API (Cloud: v2 pages + v1 CQL; Data Center: v1), owns the
 * HTTP pool, and checks that bodies stay within the document limit.
 */
import { SpecGateError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { CloudApi } from "./cloud.js";
import { DataCenterApi } from "./datacenter.js";
import { ConfluenceHttp } from "./http.js";
import type { ConfluenceConfig, UpstreamMetrics } from "./ports.js";
import type { BackoffOptions } from "./retry.js";
import { resolveConfluenceSettings, type ConfluenceSettings } from "./settings.js";
import type {
  ConfluenceApi,
  ContentType,
  Flavour,
  PageComment,
  PageRecord,
  RequestOptions,
  SearchHit,
  SearchPage,
  SearchPosition,
} from "./types.js";
import { parsePageUrl, type PageLocator } from "./urls.js";
import { trimEndChars } from "../text.js";

export interface ConfluenceClientOptions {
  settings: ConfluenceSettings;
  /** Largest page body accepted (default 10 MB). Responses may be 1 MB larger for the JSON around it. */
  maxDocumentBytes?: number;
  metrics?: UpstreamMetrics | undefined;
  logger?: Logger | undefined;
  backoff?: Partial<BackoffOptions>;
  connectTimeoutMs?: number;
  /** Epoch-ms clock (revalidation windows, Retry-After dates). */
  now?: () => number;
  random?: () => number;
}

/** The process's document limit (10 MB); createConfluenceClient passes the configured one. */
const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** Allowance for the JSON envelope and escaping around a page body at the document limit. */
const ENVELOPE_BYTES = 1024 * 1024;

export class ConfluenceClient {
  readonly settings: ConfluenceSettings;
  readonly http: ConfluenceHttp;
  readonly now: () => number;
  private readonly api: ConfluenceApi;
  private readonly maxDocumentBytes: number;

  constructor(options: ConfluenceClientOptions) {
    this.settings = options.settings;
    this.maxDocumentBytes = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    this.now = options.now ?? Date.now;
    this.http = new ConfluenceHttp({
      settings: options.settings,
      maxBodyBytes: this.maxDocumentBytes + ENVELOPE_BYTES,
      metrics: options.metrics,
      logger: options.logger,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      now: this.now,
      ...(options.random ? { random: options.random } : {}),
    });
    const base = options.settings.baseUrl;
    this.api =
      options.settings.flavour === "cloud" ? new CloudApi(this.http, base) : new DataCenterApi(this.http, base);
  }

  get flavour(): Flavour {
    return this.settings.flavour;
  }

  /** The wiki base without a trailing slash, e.g. `https://acme.atlassian.net/wiki`. */
  get wikiBase(): string {
    return trimEndChars(this.settings.baseUrl.href, "/");
  }

  get concurrency(): number {
    return this.settings.concurrency;
  }

  /** The page with its storage body; E_TOO_LARGE if the body is over the document limit. */
  async getPage(id: string, type: ContentType, o: RequestOptions): Promise<PageRecord> {
    return this.checkSize(await this.api.getPage(id, type, o));
  }

  private checkSize(record: PageRecord): PageRecord {
    const id = record.id;
    const bytes = Buffer.byteLength(record.storage, "utf8");
    if (bytes > this.maxDocumentBytes) {
      throw new SpecGateError(
        "E_TOO_LARGE",
        `Page ${id} is ${(bytes / 1024 / 1024).toFixed(1)} MB; SpecGate refuses documents over ${this.maxDocumentBytes / 1024 / 1024} MB. Split the page.`,
        {
          details: { bytes, limit: this.maxDocumentBytes },
        },
      );
    }
    return record;
  }

  /** Version `version` of page `id` (the same size check as getPage). */
  async getPageAt(id: string, version: number, o: RequestOptions): Promise<PageRecord> {
    return this.checkSize(await this.api.getPageAt(id, version, o));
  }

  getComments(id: string, o: RequestOptions): Promise<PageComment[]> {
    return this.api.getComments(id, o);
  }

  getVersion(id: string, type: ContentType, o: RequestOptions): Promise<number> {
    return this.api.getVersion(id, type, o);
  }

  search(cql: string, limit: number, from: SearchPosition | undefined, o: RequestOptions): Promise<SearchPage> {
    return this.api.search(cql, limit, from, o);
  }

  findByTitle(spaceKey: string, title: string, o: RequestOptions): Promise<SearchHit | undefined> {
    return this.api.findByTitle(spaceKey, title, o);
  }

  /** What a page URL names; refuses URLs on any other host (nothing is requested). */
  parseUrl(url: string): PageLocator {
    return parsePageUrl(url, this.settings.baseUrl);
  }

  stats(): ReturnType<ConfluenceHttp["stats"]> {
    return this.http.stats();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/**
 * The client for this configuration. Throws E_CONFIG (naming the variables to set) when Confluence is
 * not configured; bootstrap catches that and leaves the service out, so only confluence_fetch
 * reports it.
 */
export function createConfluenceClient(
  config: { readonly confluence: ConfluenceConfig; readonly limits: { readonly maxDocumentBytes: number } },
  deps: { metrics?: UpstreamMetrics; logger?: Logger } = {},
): ConfluenceClient {
  const settings = resolveConfluenceSettings(config);
  return new ConfluenceClient({
    settings,
    maxDocumentBytes: config.limits.maxDocumentBytes,
    metrics: deps.metrics,
    logger: deps.logger,
  });
}
