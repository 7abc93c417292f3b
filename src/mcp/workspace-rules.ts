/**
 * The workspace rules file, `.specgate/rules.json` under SPECGATE_WORKSPACE (spec_write's
 * workflow target writes it): read for the `specgate://workspace/rules` resource, the rule ids
 * completions offer and the prompts that embed a rule.
 *
 * The file is read only when it leads inside the workspace (a symbolic link out of it is treated
 * as no file, whether or not its target exists) and is at most {@link MAX_RULES_BYTES}. Rule ids
 * are parsed once per version of the file (its mtime and size).
 */
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { RULES_PATH } from "../core/generate/types.js";
import { isWithin, resolvedTarget } from "../core/paths.js";
import { readRules, type DesignRuleSpec } from "../core/spec/design-rule-spec.js";
import { SpecGateError } from "../errors.js";

/** Larger rule files are refused (E_TOO_LARGE) rather than read whole for a resource. */
export const MAX_RULES_BYTES = 16 * 1024 * 1024;

export { RULES_PATH };

export interface WorkspaceRulesFile {
  text: string;
  /** The file's stamp (mtime and size), which changes when spec_write rewrites it. */
  stamp: string;
}

/** Where the workspace rules file leads, or undefined when that is outside the workspace. */
async function rulesFile(workspace: string): Promise<string | undefined> {
  const root = await realpath(workspace).catch(() => path.resolve(workspace));
  const target = await resolvedTarget(path.join(root, RULES_PATH));
  return isWithin(root, target) ? target : undefined;
}

/** True when the workspace has a rules file (inside it). */
export async function hasWorkspaceRules(workspace: string): Promise<boolean> {
  const file = await rulesFile(workspace);
  if (!file) return false;
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** The file's text, or undefined when there is none. E_TOO_LARGE over {@link MAX_RULES_BYTES}. */
export async function readWorkspaceRules(workspace: string): Promise<WorkspaceRulesFile | undefined> {
  const file = await rulesFile(workspace);
  if (!file) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  if (info.size > MAX_RULES_BYTES) {
    throw new SpecGateError(
      "E_TOO_LARGE",
      `${RULES_PATH} holds ${(info.size / 1024 / 1024).toFixed(1)} MB; resources serve it up to ${MAX_RULES_BYTES / 1024 / 1024} MB.`,
    );
  }
  const text = await readFile(file, "utf8").catch(() => undefined);
  return text === undefined ? undefined : { text, stamp: `${info.mtimeMs}:${info.size}` };
}

let parsed: { workspace: string; stamp: string; rules: DesignRuleSpec[] } | undefined;

/** The rules the file holds (those that can be read; none when the file is missing or not JSON). */
export async function workspaceRules(workspace: string): Promise<DesignRuleSpec[]> {
  const file = await readWorkspaceRules(workspace).catch(() => undefined);
  if (!file) return [];
  if (parsed?.workspace === workspace && parsed.stamp === file.stamp) return parsed.rules;
  let rules: DesignRuleSpec[] = [];
  try {
    rules = readRules(JSON.parse(file.text) as unknown).rules;
  } catch {
    // Not JSON: no rules to offer.
  }
  parsed = { workspace, stamp: file.stamp, rules };
  return rules;
}
