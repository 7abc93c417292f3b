import { writeFile } from "node:fs/promises";
import { createDirectories } from "../../core/directories.js";
import path from "node:path";
import { type Command, Option } from "commander";
import { bootstrap } from "../../bootstrap.js";
import { loadConfig } from "../../config.js";
import { loadCliConfigFile } from "../../config-file.js";
import type { FetchResult } from "../../core/confluence/fetch.js";
import { SpecGateError } from "../../errors.js";
import { positiveInteger } from "../arguments.js";
import type { Runtime } from "../../runtime.js";
import { TOOLS } from "../../tools/index.js";
import { CliExit, EXIT_FAILURE, progressLine, write, type CliIO } from "../io.js";

/** `specgate fetch` runs the confluence_fetch tool through the pipeline: its cache, deadlines and retries. */
const CONFLUENCE_FETCH = TOOLS.find((t) => t.name === "confluence_fetch")!;

interface FetchOptions {
  label?: string;
  space?: string;
  pageId?: string[];
  url?: string;
  cql?: string;
  title?: string;
  out?: string;
  saveHtml?: boolean;
  max: number;
  cache: boolean;
  json?: boolean;
  pageVersion?: number;
  includes: boolean;
  comments?: boolean;
}

const BATCH = 100;

export function registerFetch(program: Command, io: CliIO): void {
  program
    .command("fetch")
    .description("Fetch Confluence pages as Markdown files (<id>-<slug>.md), following search results to the end.")
    .option("--label <label>", "pages with this label, e.g. specgate:type:api-design")
    .option("--space <key>", "limit --label to a space; the space of --title")
    .option("--page-id <id...>", "one or more page ids")
    .option("--url <url>", "a page URL or tiny link on the configured Confluence")
    .option("--cql <query>", "a CQL query")
    .option("--title <title>", "an exact page title (with --space)")
    .option("--out <dir>", "write the Markdown files here (default: print the JSON result on stdout)")
    .option("--save-html", "also write the storage XHTML as <id>-<slug>.html")
    .addOption(
      new Option("--max <n>", "stop after this many pages from a search").argParser(positiveInteger).default(1000),
    )
    .option("--no-cache", "ignore cached pages and searches")
    .option("--json", "print the JSON result on stdout even with --out")
    .addOption(
      new Option("--page-version <n>", "with one --page-id: that saved version of the page").argParser(positiveInteger),
    )
    .option("--no-includes", "keep include and excerpt-include macros as placeholders instead of expanding them")
    .option("--comments", "add each page's footer and inline comments")
    .action(async (opts: FetchOptions) => {
      const max = opts.max;
      // The environment wins over the configuration file's confluence section.
      const fromFile = (await loadCliConfigFile(program.opts<{ config?: string | boolean }>().config, io.cwd))
        ?.confluence;
      const env = { ...io.env };
      for (const [name, value] of [
        ["CONFLUENCE_BASE_URL", fromFile?.baseUrl],
        ["CONFLUENCE_CLIENT_CERT", fromFile?.clientCert],
        ["CONFLUENCE_CLIENT_KEY", fromFile?.clientKey],
        ["CONFLUENCE_CA_CERT", fromFile?.caCert],
      ] as const)
        if (value !== undefined && !env[name]?.trim()) env[name] = value;
      const config = loadConfig(env, io.cwd);
      const runtime = await bootstrap(config);
      const line = progressLine(io, "fetching");
      let ended = false;
      const endLine = () => {
        if (!ended) line.end();
        ended = true;
      };
      try {
        const result = await fetchAll(runtime, opts, max, (done, total) => line.update(done, total));
        endLine();
        if (opts.out) await writeDocuments(path.resolve(io.cwd, opts.out), result, Boolean(opts.saveHtml));
        if (!opts.out || opts.json) await write(io.stdout, `${JSON.stringify(result, null, 2)}\n`);
        for (const e of result.errors) io.stderr.write(`error: page ${e.id}: ${e.code}: ${e.message}\n`);
        io.stderr.write(
          `Fetched ${result.documents.length} page${result.documents.length === 1 ? "" : "s"} (${result.stats.from_cache} from cache, ${result.stats.requests} requests)` +
            `${opts.out ? ` into ${opts.out}` : ""}${result.errors.length ? `; ${result.errors.length} failed` : ""}.\n`,
        );
        if (result.errors.length > 0) throw new CliExit(EXIT_FAILURE);
      } finally {
        endLine();
        await runtime.close();
      }
    });
}

/** Runs confluence_fetch through the pipeline until the search is exhausted (or `max` pages). */
async function fetchAll(
  runtime: Runtime,
  opts: FetchOptions,
  max: number,
  onProgress: (done: number, total?: number) => void,
): Promise<FetchResult> {
  const format = opts.saveHtml ? "both" : "markdown";
  const base = {
    format,
    bypass_cache: !opts.cache,
    ...(opts.includes ? {} : { expand_includes: false }),
    ...(opts.comments ? { include_comments: true } : {}),
  };
  const calls: Record<string, unknown>[] = [];
  const selectors = [opts.label, opts.pageId, opts.url, opts.cql, opts.title].filter((x) => x !== undefined).length;
  if (selectors !== 1)
    throw new SpecGateError(
      "E_INVALID_INPUT",
      "Give exactly one of --label, --page-id, --url, --cql, --title (with --space).",
    );
  if (opts.pageVersion !== undefined && opts.pageId?.length !== 1)
    throw new SpecGateError("E_INVALID_INPUT", "--page-version goes with exactly one --page-id.");
  if (opts.pageVersion !== undefined) calls.push({ ...base, page_id: opts.pageId![0], version: opts.pageVersion });
  else if (opts.pageId) {
    for (let i = 0; i < opts.pageId.length; i += BATCH)
      calls.push({ ...base, page_ids: opts.pageId.slice(i, i + BATCH) });
  } else if (opts.url) calls.push({ ...base, url: opts.url });
  else if (opts.title) calls.push({ ...base, title: opts.title, ...(opts.space ? { space_key: opts.space } : {}) });
  const search = opts.label
    ? { label: opts.label, ...(opts.space ? { space_key: opts.space } : {}) }
    : opts.cql
      ? { cql: opts.cql }
      : undefined;

  const total: FetchResult = {
    documents: [],
    errors: [],
    stats: { fetched: 0, from_cache: 0, duration_ms: 0, retries: 0, requests: 0 },
  };
  const expected = opts.pageId?.length;
  const run = async (args: Record<string, unknown>) => {
    const done = total.documents.length + total.errors.length;
    const { output } = await runtime.pipeline.execute<FetchResult>(CONFLUENCE_FETCH, args, {
      sendProgress: async (progress, t) =>
        onProgress(done + progress, expected ?? (t === undefined ? undefined : done + t)),
    });
    total.documents.push(...output.documents);
    total.errors.push(...output.errors);
    for (const k of ["fetched", "from_cache", "duration_ms", "retries", "requests"] as const)
      total.stats[k] += output.stats[k];
    return output;
  };
  for (const args of calls) await run(args);
  if (search) {
    let cursor: string | undefined;
    do {
      const left = max - total.documents.length - total.errors.length;
      const out = await run({ ...base, ...search, limit: Math.min(BATCH, left), ...(cursor ? { cursor } : {}) });
      cursor = out.next_cursor;
    } while (cursor && total.documents.length + total.errors.length < max);
  }
  return total;
}

async function writeDocuments(dir: string, result: FetchResult, saveHtml: boolean): Promise<void> {
  await createDirectories(dir);
  for (const doc of result.documents) {
    const stem = path.join(dir, `${doc.id}-${slugify(doc.title)}`);
    await writeFile(`${stem}.md`, doc.markdown ?? "", "utf8");
    if (saveHtml && doc.storage !== undefined) await writeFile(`${stem}.html`, doc.storage, "utf8");
  }
}

/** A file-name-safe slug that keeps letters of any script (Korean titles stay readable). */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return [...slug].slice(0, 60).join("").replace(/-+$/, "") || "page";
}
