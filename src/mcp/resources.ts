/**
 * SpecGate's MCP resources: what an assistant can read without calling a tool.
 *
 *   specgate://schema/design-rule-spec        the DesignRuleSpec JSON Schema (as `npm run schemas` writes it)
 *   specgate://schema/rule-extract-result     rule_extract's result schema
 *   specgate://rulesets/{name}                a bundled lint ruleset, as YAML
 *   specgate://lint-codes/{code}              a lint code's page (docs/rules/<code>.md, rendered from its module)
 *   specgate://workspace/rules                .specgate/rules.json under SPECGATE_WORKSPACE, when it exists
 *   confluence://{space_key}/{page_id}        a Confluence page as Markdown (only with Confluence configured)
 *
 * Names in a URI are looked up in fixed lists (bundled rulesets, lint codes, schemas), never
 * joined to a path, so no URI reaches another file. A Confluence page is read by running the
 * served confluence_fetch tool through the runtime's pipeline: the same permissions, cache, deadline,
 * memory guard and limits as the tool. An unknown URI is −32002 naming what exists.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Resource, ResourceTemplate, ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import type { Config } from "../config.js";
import type { FetchResult } from "../core/confluence/fetch.js";
import { resolveConfluenceSettings } from "../core/confluence/settings.js";
import { BUNDLED_DIR, BUNDLED_RULESETS } from "../core/lint/ruleset/bundled.js";
import type { LintRule } from "../core/lint/rules/rule.js";
import type { Runtime } from "../runtime.js";
import type { Scrubber } from "../secrets.js";
import type { AnyToolDefinition } from "../pipeline/tool.js";
import { protocolError, quoted, resourceNotFound } from "./errors.js";
import type { SeenPages } from "./seen-pages.js";
import { RULES_PATH, hasWorkspaceRules, readWorkspaceRules } from "./workspace-rules.js";

export const WORKSPACE_RULES_URI = "specgate://workspace/rules";
export const RULESET_TEMPLATE = "specgate://rulesets/{name}";
export const LINT_CODE_TEMPLATE = "specgate://lint-codes/{code}";
export const CONFLUENCE_PAGE_TEMPLATE = "confluence://{space_key}/{page_id}";

/** URIs longer than this are not looked at (the longest real one is a few dozen characters). */
const MAX_URI_CHARS = 2048;

/** Schema resource name → its published file. */
const SCHEMAS: Readonly<Record<string, { file: string; title: string; description: string }>> = {
  "design-rule-spec": {
    file: "design-rule-spec.schema.json",
    title: "DesignRuleSpec JSON Schema",
    description: "One design rule as rule_extract produces it and spec_generate, rule_check and gate_score take it.",
  },
  "rule-extract-result": {
    file: "rule-extract-result.schema.json",
    title: "rule_extract result JSON Schema",
    description: "rule_extract's whole result: rules, conflicts, duplicates, warnings, stats.",
  },
};

const RULESET_TITLES: Readonly<Record<string, string>> = {
  specgate: "Lint ruleset specgate (Korean documents)",
  "specgate-en": "Lint ruleset specgate-en (English documents)",
};

export const RULESET_NAMES: readonly string[] = BUNDLED_RULESETS;

let lintRules: Promise<readonly LintRule[]> | undefined;

/**
 * The lint rule modules, loaded by the first request that names a lint code: their checks bring
 * the Markdown parser, which a server does not need to answer `initialize`.
 */
export function loadLintRules(): Promise<readonly LintRule[]> {
  return (lintRules ??= import("../core/lint/rules/index.js").then((m) => m.LINT_RULES));
}

export async function lintCodes(): Promise<readonly string[]> {
  return (await loadLintRules()).map((r) => r.code);
}

export interface ResourceDeps {
  readonly runtime: Runtime;
  readonly seen: SeenPages;
  readonly scrubber: Scrubber;
  /** The served confluence_fetch when Confluence is configured; undefined: no confluence:// resources. */
  readonly confluence: AnyToolDefinition | undefined;
}

export type ParsedUri =
  | { kind: "schema"; name: string }
  | { kind: "ruleset"; name: string }
  | { kind: "lint-code"; code: string }
  | { kind: "workspace-rules" }
  | { kind: "confluence"; spaceKey: string; pageId: string };

/** True when the configuration names a Confluence site with usable settings. */
export function confluenceConfigured(config: Config): boolean {
  try {
    resolveConfluenceSettings(config);
    return true;
  } catch {
    return false;
  }
}

export function confluencePageUri(spaceKey: string, pageId: string): string {
  return `confluence://${encodeURIComponent(spaceKey)}/${pageId}`;
}

/** `resources/list`: the fixed resources, and the workspace rules when the file exists. */
export async function listResources(deps: ResourceDeps): Promise<Resource[]> {
  const out: Resource[] = Object.entries(SCHEMAS).map(([name, s]) => ({
    uri: `specgate://schema/${name}`,
    name: `schema-${name}`,
    title: s.title,
    description: s.description,
    mimeType: "application/schema+json",
  }));
  for (const name of RULESET_NAMES) {
    out.push({
      uri: `specgate://rulesets/${name}`,
      name: `ruleset-${name}`,
      title: RULESET_TITLES[name] ?? `Lint ruleset ${name}`,
      description: `The bundled ruleset ${name}: checks, deductions and thresholds speclint_lint applies (ruleset: "${name}").`,
      mimeType: "application/yaml",
    });
  }
  for (const rule of await loadLintRules()) {
    out.push({
      uri: `specgate://lint-codes/${rule.code}`,
      name: `lint-code-${rule.code}`,
      title: `Lint code ${rule.code}`,
      description: rule.summary,
      mimeType: "text/markdown",
    });
  }
  if (await hasWorkspaceRules(deps.runtime.config.workspace)) out.push(workspaceRulesResource());
  return out;
}

function workspaceRulesResource(): Resource {
  return {
    uri: WORKSPACE_RULES_URI,
    name: "workspace-rules",
    title: `Workspace rules (${RULES_PATH})`,
    description:
      "The DesignRuleSpec rules spec_write wrote to the workspace; subscribe to hear when spec_write rewrites them.",
    mimeType: "application/json",
  };
}

/** `resources/templates/list`: the Confluence template only when Confluence is configured. */
export function listTemplates(confluence: boolean): ResourceTemplate[] {
  const out: ResourceTemplate[] = [
    {
      uriTemplate: RULESET_TEMPLATE,
      name: "ruleset",
      title: "Bundled lint ruleset",
      description: `A bundled speclint ruleset as YAML; name: ${RULESET_NAMES.join(", ")}.`,
      mimeType: "application/yaml",
    },
    {
      uriTemplate: LINT_CODE_TEMPLATE,
      name: "lint-code",
      title: "Lint code documentation",
      description:
        "What a speclint_lint violation code checks, its deduction and severity, a wrong and a right example, and how to tune it.",
      mimeType: "text/markdown",
    },
  ];
  if (confluence) {
    out.push({
      uriTemplate: CONFLUENCE_PAGE_TEMPLATE,
      name: "confluence-page",
      title: "Confluence page as Markdown",
      description:
        "A page of the configured Confluence as Markdown starting with '# <title>', read as confluence_fetch reads it (cached, revalidated by version).",
      mimeType: "text/markdown",
    });
  }
  return out;
}

const SPACE_KEY = /^~?[A-Za-z0-9][A-Za-z0-9_.:-]{0,254}$/;
const PAGE_ID = /^[0-9]{1,20}$/;

/** Reads a URI as one of SpecGate's resources; −32002 naming what exists when it is none. */
export async function parseResourceUri(uri: string, confluence: boolean): Promise<ParsedUri> {
  const notFound = (why: string) =>
    resourceNotFound(
      `${why} SpecGate serves specgate://schema/{${Object.keys(SCHEMAS).join(",")}}, ${RULESET_TEMPLATE}, ` +
        `${LINT_CODE_TEMPLATE}, ${WORKSPACE_RULES_URI}${confluence ? ` and ${CONFLUENCE_PAGE_TEMPLATE}` : ""}; ` +
        "resources/list and resources/templates/list name them.",
    );
  if (uri.length > MAX_URI_CHARS) throw notFound(`No resource has a URI of ${uri.length} characters.`);
  const m = /^(specgate|confluence):\/\/([^/?#]*)\/([^?#]*)$/.exec(uri);
  if (!m) throw notFound(`No resource ${quoted(uri)}.`);
  const [, scheme, host, rest] = m as unknown as [string, string, string, string];
  if (scheme === "confluence") {
    if (!confluence)
      throw resourceNotFound(
        `${quoted(uri)}: Confluence is not configured on this server (or its toolset is not served), so confluence:// resources do not exist. ` +
          "Set CONFLUENCE_BASE_URL and credentials (see docs/confluence.md).",
      );
    const spaceKey = safeDecode(host);
    if (spaceKey === undefined || !SPACE_KEY.test(spaceKey) || !PAGE_ID.test(rest))
      throw notFound(`${quoted(uri)} is not confluence://{space_key}/{page_id} with a numeric page id.`);
    return { kind: "confluence", spaceKey, pageId: rest };
  }
  switch (host) {
    case "schema":
      if (Object.hasOwn(SCHEMAS, rest)) return { kind: "schema", name: rest };
      throw notFound(`No schema ${quoted(rest)}; schemas: ${Object.keys(SCHEMAS).join(", ")}.`);
    case "rulesets":
      if (RULESET_NAMES.includes(rest)) return { kind: "ruleset", name: rest };
      throw notFound(`No bundled ruleset ${quoted(rest)}; bundled: ${RULESET_NAMES.join(", ")}.`);
    case "lint-codes": {
      const codes = await lintCodes();
      if (codes.includes(rest)) return { kind: "lint-code", code: rest };
      throw notFound(`No lint code ${quoted(rest)}; codes: ${codes.join(", ")}.`);
    }
    case "workspace":
      if (rest === "rules") return { kind: "workspace-rules" };
      break;
  }
  throw notFound(`No resource ${quoted(uri)}.`);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

let schemaTexts: Promise<Map<string, string>> | undefined;

/** A published schema's text, generated from the zod definitions once per process. */
async function schemaText(name: string): Promise<string> {
  schemaTexts ??= import("../core/spec/json-schema.js").then(
    ({ publishedSchemas, schemaFileText }) =>
      new Map(Object.entries(SCHEMAS).map(([key, s]) => [key, schemaFileText(publishedSchemas()[s.file]!)])),
  );
  return (await schemaTexts).get(name)!;
}

export interface ReadOptions {
  signal: AbortSignal;
  requestId: string;
}

/** `resources/read`. Errors are protocol errors (see errors.ts), credentials scrubbed. */
export async function readResource(uri: string, deps: ResourceDeps, options: ReadOptions): Promise<ReadResourceResult> {
  const { config } = deps.runtime;
  const parsed = await parseResourceUri(uri, deps.confluence !== undefined);
  try {
    switch (parsed.kind) {
      case "schema":
        return { contents: [{ uri, mimeType: "application/schema+json", text: await schemaText(parsed.name) }] };
      case "ruleset": {
        const text = await readFile(path.join(BUNDLED_DIR, `${parsed.name}.yaml`), "utf8");
        return { contents: [{ uri, mimeType: "application/yaml", text }] };
      }
      case "lint-code": {
        const [rule, { renderRulePage }, { loadRuleset }] = await Promise.all([
          loadLintRules().then((rules) => rules.find((r) => r.code === parsed.code)!),
          import("../core/lint/rules/page.js"),
          import("../core/lint/ruleset/load.js"),
        ]);
        const deductions = (await loadRuleset("specgate")).deductions as Readonly<Record<string, number>>;
        return { contents: [{ uri, mimeType: "text/markdown", text: renderRulePage(rule, deductions[rule.code]!) }] };
      }
      case "workspace-rules": {
        const file = await readWorkspaceRules(config.workspace);
        if (!file) {
          throw resourceNotFound(
            `${WORKSPACE_RULES_URI}: there is no ${RULES_PATH} in the workspace (SPECGATE_WORKSPACE) yet. ` +
              "spec_write with the workflow target writes it.",
          );
        }
        return { contents: [{ uri, mimeType: "application/json", text: file.text }] };
      }
      case "confluence":
        return await readConfluencePage(uri, parsed.spaceKey, parsed.pageId, deps, options);
    }
  } catch (error) {
    throw protocolError(error, deps.scrubber, options.signal);
  }
}

async function readConfluencePage(
  uri: string,
  spaceKey: string,
  pageId: string,
  deps: ResourceDeps,
  options: ReadOptions,
): Promise<ReadResourceResult> {
  const { output } = await deps.runtime.pipeline.execute<FetchResult>(
    deps.confluence!,
    { page_id: pageId, format: "markdown" },
    { signal: options.signal, requestId: options.requestId },
  );
  const page = output.documents[0];
  if (!page) throw resourceNotFound(`${quoted(uri)}: Confluence returned no page ${pageId}.`);
  deps.seen.record({ id: page.id, title: page.title, spaceKey: page.space_key });
  if (page.space_key.toUpperCase() !== spaceKey.toUpperCase()) {
    throw resourceNotFound(
      `${quoted(uri)}: page ${pageId} is in space ${page.space_key}, not ${spaceKey}; read ${confluencePageUri(page.space_key, page.id)}.`,
    );
  }
  return {
    contents: [
      {
        uri,
        mimeType: "text/markdown",
        text: page.markdown ?? "",
        _meta: {
          "specgate/page": {
            id: page.id,
            title: page.title,
            space_key: page.space_key,
            version: page.version,
            url: page.url,
            updated_at: page.updated_at,
          },
        },
      },
    ],
  };
}
