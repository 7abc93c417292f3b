/**
 * `completion/complete` for prompt arguments and resource-template variables. Values come from
 * fixed lists (bundled rulesets, lint codes, ast-grep languages, check types, generate targets),
 * the workspace rules file (rule ids) and the Confluence pages this server has served (page ids,
 * matched by id or by title, and space keys; see seen-pages.ts for why not the cache).
 *
 * A value matches when it starts with what was typed (case-insensitive); a page also when its
 * title contains it. At most 100 values are returned; `total` counts every match and `hasMore`
 * says when some were left out.
 */
import type { CompleteRequest, CompleteResult } from "@modelcontextprotocol/sdk/types.js";
import type { Config } from "../config.js";
import { LANGUAGES } from "../core/astgrep/languages.js";
import { TARGETS } from "../core/generate/types.js";
import { CHECK_TYPES } from "../core/lint/rules/rule.js";
import { invalidParams, quoted } from "./errors.js";
import { findPrompt, type CompletionSource } from "./prompts/index.js";
import {
  CONFLUENCE_PAGE_TEMPLATE,
  lintCodes,
  LINT_CODE_TEMPLATE,
  RULESET_NAMES,
  RULESET_TEMPLATE,
  parseResourceUri,
} from "./resources.js";
import type { SeenPages } from "./seen-pages.js";
import { workspaceRules } from "./workspace-rules.js";

export const MAX_COMPLETIONS = 100;

export interface CompletionDeps {
  readonly config: Config;
  readonly seen: SeenPages;
  /** confluence:// resources are served. */
  readonly confluence: boolean;
}

const TEMPLATE_VARIABLES: Readonly<Record<string, Readonly<Record<string, CompletionSource>>>> = {
  [RULESET_TEMPLATE]: { name: "ruleset" },
  [LINT_CODE_TEMPLATE]: { code: "lint_code" },
  [CONFLUENCE_PAGE_TEMPLATE]: { space_key: "space_key", page_id: "page_id" },
};

type Params = CompleteRequest["params"];

export async function complete(params: Params, deps: CompletionDeps): Promise<CompleteResult> {
  const source = await sourceOf(params, deps.confluence);
  if (!source) return result([]);
  const typed = params.argument.value;
  return result(await candidates(source, typed, params.context?.arguments ?? {}, deps));
}

async function sourceOf(params: Params, confluence: boolean): Promise<CompletionSource | undefined> {
  const { ref, argument } = params;
  if (ref.type === "ref/prompt") {
    const prompt = findPrompt(ref.name);
    const spec = prompt.arguments.find((a) => a.name === argument.name);
    if (!spec)
      throw invalidParams(
        `prompt ${prompt.name} has no argument ${quoted(argument.name)}; its arguments: ${prompt.arguments.map((a) => a.name).join(", ")}.`,
      );
    return spec.complete;
  }
  const variables = Object.hasOwn(TEMPLATE_VARIABLES, ref.uri) ? TEMPLATE_VARIABLES[ref.uri] : undefined;
  if (!variables || (ref.uri === CONFLUENCE_PAGE_TEMPLATE && !confluence)) {
    // A fixed resource has nothing to complete; anything else is not ours.
    await parseResourceUri(ref.uri, confluence);
    return undefined;
  }
  if (!Object.hasOwn(variables, argument.name))
    throw invalidParams(
      `resource template ${ref.uri} has no variable ${quoted(argument.name)}; its variables: ${Object.keys(variables).join(", ")}.`,
    );
  return variables[argument.name];
}

async function candidates(
  source: CompletionSource,
  typed: string,
  context: Readonly<Record<string, string>>,
  deps: CompletionDeps,
): Promise<string[]> {
  switch (source) {
    case "ruleset":
      return startingWith(RULESET_NAMES, typed);
    case "lint_code":
      return startingWith(await lintCodes(), typed);
    case "language":
      return startingWith(
        LANGUAGES.map((l) => l.id),
        typed,
      );
    case "check_type":
      return startingWith(CHECK_TYPES, typed);
    case "boolean":
      return startingWith(["true", "false"], typed);
    case "targets":
      return listItems(TARGETS, typed);
    case "rule_id":
      return startingWith(
        (await workspaceRules(deps.config.workspace)).map((r) => r.rule_id),
        typed,
      );
    case "space_key":
      return startingWith([...new Set(deps.seen.list().map((p) => p.spaceKey))], typed);
    case "page_id": {
      const space = context.space_key?.toUpperCase();
      const needle = typed.toLowerCase();
      return deps.seen
        .list()
        .filter((p) => space === undefined || p.spaceKey.toUpperCase() === space)
        .filter((p) => p.id.startsWith(typed) || p.title.toLowerCase().includes(needle))
        .map((p) => p.id);
    }
  }
}

function startingWith(values: readonly string[], typed: string): string[] {
  const prefix = typed.toLowerCase();
  return values.filter((v) => v.toLowerCase().startsWith(prefix));
}

/** A comma-separated list: completes its last item with values not already in it. */
function listItems(values: readonly string[], typed: string): string[] {
  const cut = typed.lastIndexOf(",") + 1;
  const head = typed.slice(0, cut);
  const taken = new Set(
    head
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  return startingWith(
    values.filter((v) => !taken.has(v)),
    typed.slice(cut).trim(),
  ).map((v) => head + v);
}

function result(values: string[]): CompleteResult {
  return {
    completion: {
      values: values.slice(0, MAX_COMPLETIONS),
      total: values.length,
      hasMore: values.length > MAX_COMPLETIONS,
    },
  };
}
