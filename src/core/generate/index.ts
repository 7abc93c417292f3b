/**
 * `spec_generate`'s core: DesignRuleSpec rules in, IDE and CI files out.
 *
 * {@link generateFiles} is pure and deterministic: the same rules and options give byte-identical
 * files (rules sorted by id, no timestamps), whatever the input order. {@link generate} adds the
 * lenient rule reader and, optionally, the safe writer.
 */
import { SpecGateError, resultTooLarge } from "../../errors.js";
import { readRules, type DesignRuleSpec } from "../spec/design-rule-spec.js";
import { rulePatterns } from "../astgrep/rules.js";
import { patternVerdicts } from "../astgrep/validate.js";
import { generateArchUnit } from "./archunit.js";
import { generateAstGrep } from "./astgrep.js";
import { oneLine, orderRules, sourceLabel } from "./common.js";
import { generateMdc } from "./mdc.js";
import { generateSemgrep } from "./semgrep.js";
import { TARGETS, type GenerateOptions, type GenerateResult, type GeneratedFile, type SkippedItem } from "./types.js";
import { generateWorkflow, workflowOptionProblems } from "./workflow.js";
import { writeGeneratedFiles, type WriteReport } from "./writer.js";

export * from "./types.js";
export { semgrepRuleId, SEMGREP_PATH } from "./semgrep.js";
export { checkSemgrepConfig, checkSemgrepRule, SEMGREP_LANGUAGES } from "./semgrep-check.js";
export { hasGeneratedHeader, GENERATED_MARKER } from "./common.js";
export { writeGeneratedFiles, type WriteReport } from "./writer.js";
export { WORKFLOW_PATH, RULES_PATH, GITLAB_CI_PATH, BITBUCKET_PATH } from "./workflow.js";
export { ASTGREP_CONFIG, ASTGREP_RULES_DIR, astGrepRuleFile } from "./astgrep.js";
export { COLLECT_FINDINGS_JS } from "./workflow-scripts.js";

/**
 * Generates every requested target's files. Throws E_INVALID_INPUT for options that cannot be
 * honoured (an unknown target, a malformed version or branch); rules a target cannot express
 * are reported in `skipped`, never thrown.
 */
export function generateFiles(rules: readonly DesignRuleSpec[], options: GenerateOptions = {}): GenerateResult {
  const targets = TARGETS.filter((t) => (options.targets?.length ? options.targets.includes(t) : true));
  const unknown = (options.targets ?? []).filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length)
    throw new SpecGateError("E_INVALID_INPUT", `Unknown target(s) ${unknown.join(", ")}; use ${TARGETS.join(", ")}.`);
  const workflowProblems = targets.includes("workflow") ? workflowOptionProblems(options.workflow ?? {}) : [];
  if (workflowProblems.length)
    throw new SpecGateError("E_INVALID_INPUT", `Workflow options: ${workflowProblems.join("; ")}.`);
  const ordered = orderRules(rules, targets);
  const source = sourceLabel(ordered.rules, options.source);
  const project = options.project !== undefined ? oneLine(options.project).slice(0, 100) || undefined : undefined;
  const files: GeneratedFile[] = [];
  const skipped: SkippedItem[] = [...ordered.skipped];
  if (ordered.rules.length === 0) {
    for (const target of targets) skipped.push({ target, reason: "no rules to generate from" });
    return { files, skipped };
  }
  let chars = 0;
  for (const target of targets) {
    const before = files.length;
    if (target === "mdc")
      files.push(...generateMdc(ordered.rules, { source, sourceOverride: options.source, project }));
    else if (target === "semgrep") collect(generateSemgrep(ordered.rules, source, options.patternVerdict));
    else if (target === "astgrep") collect(generateAstGrep(ordered.rules, source, options.patternVerdict));
    else if (target === "archunit") collect(generateArchUnit(ordered.rules, source, project, options.archunit ?? {}));
    else files.push(...generateWorkflow(ordered.rules, source, project, options.workflow ?? {}));
    for (let i = before; i < files.length; i++) chars += files[i]!.content.length;
    if (options.maxOutputChars !== undefined && chars > options.maxOutputChars) {
      throw resultTooLarge(
        chars,
        options.maxOutputChars,
        "Narrow `targets` (mdc and semgrep grow with every rule), give fewer rules, or split the document.",
      );
    }
  }
  return { files, skipped };

  function collect(part: { files: GeneratedFile[]; skipped: SkippedItem[] }): void {
    files.push(...part.files);
    skipped.push(...part.skipped);
  }
}

export interface GenerateCallOptions extends GenerateOptions {
  /** Write the files under `root` (see {@link writeGeneratedFiles}). Default false. */
  write?: boolean | undefined;
  /** The directory written under; required when `write` is true. */
  root?: string | undefined;
  /** Create `root` when missing (the CLI's --out); the workspace must exist. */
  createRoot?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Only the files that express one of these rules (and what was skipped for them) are returned
   * and written: a rule diff's added and changed rules. Each file is still generated whole, from
   * every rule. An id no rule has is E_INVALID_INPUT.
   */
  onlyRules?: readonly string[] | undefined;
}

export interface GenerateCallResult extends GenerateResult {
  /** Paths written (empty on a dry run). */
  written: string[];
  /** Paths whose existing content was already identical (not rewritten). */
  unchanged: string[];
}

/**
 * The library entry point: reads rules leniently (an array, `{ rules }` or `{ examples }`),
 * checks their violation patterns with ast-grep (only when a Semgrep or ast-grep target is asked
 * for and a rule has one), generates, and writes when asked. Unreadable rules are
 * E_INVALID_INPUT naming their path.
 */
export async function generate(input: unknown, options: GenerateCallOptions = {}): Promise<GenerateCallResult> {
  const read = readRules(input);
  if (read.issues.length) {
    const shown = read.issues
      .slice(0, 5)
      .map((i) => `${i.path}: ${i.message}`)
      .join("; ");
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `Some rules cannot be read (${read.issues.length}): ${shown}. Fix them or leave them out.`,
      {
        details: { issues: read.issues.slice(0, 20) },
      },
    );
  }
  const wanted = options.targets?.length ? options.targets : TARGETS;
  const checksPatterns =
    (wanted.includes("semgrep") || wanted.includes("astgrep")) && read.rules.some((r) => rulePatterns(r).length > 0);
  const patternVerdict =
    options.patternVerdict ?? (checksPatterns ? await patternVerdicts(read.rules, options.signal) : undefined);
  const result = limitToRules(generateFiles(read.rules, { ...options, patternVerdict }), read.rules, options.onlyRules);
  if (!options.write) return { ...result, written: [], unchanged: [] };
  if (!options.root) throw new SpecGateError("E_CONFIG", "Writing needs a root directory (the workspace or --out).");
  const report: WriteReport = await writeGeneratedFiles(options.root, result.files, {
    signal: options.signal,
    createRoot: options.createRoot,
  });
  return {
    files: result.files,
    skipped: [...result.skipped, ...report.skipped],
    written: report.written,
    unchanged: report.unchanged,
  };
}

/** The files (and skips) that concern `only` (see {@link GenerateCallOptions.onlyRules}). */
function limitToRules(
  result: GenerateResult,
  rules: readonly DesignRuleSpec[],
  only: readonly string[] | undefined,
): GenerateResult {
  if (only === undefined) return result;
  const known = new Set(rules.map((r) => r.rule_id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length)
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `only_rules names rules that are not in the input: ${unknown.slice(0, 10).join(", ")}${unknown.length > 10 ? ", …" : ""}.`,
    );
  const wanted = new Set(only);
  return {
    files: result.files.filter((f) => f.rule_ids.some((id) => wanted.has(id))),
    skipped: result.skipped.filter((s) => s.rule_id === undefined || wanted.has(s.rule_id)),
  };
}
