/**
 * rule_check's use case: design rules run on code. The rules become ast-grep rules exactly as
 * spec_generate's astgrep target writes them (src/core/astgrep/rules.ts), so a check here finds
 * what the CI scan finds. Code comes as editor buffers (`files`: checked in memory by a warm
 * `ast-grep lsp`), as globs under a root (`paths`: one `ast-grep scan`), or as a unified diff
 * (`diff`: only findings on added or changed lines count; alone, it names the files to read
 * under the root).
 */
import { SpecGateError, throwIfAborted } from "../../errors.js";
import { astGrepRulesFor, type AstGrepRule } from "../astgrep/rules.js";
import { findAstGrep } from "../astgrep/binary.js";
import { patternVerdicts } from "../astgrep/validate.js";
import type { DesignRuleSpec, Priority } from "../spec/design-rule-spec.js";
import { parseDiff, touchesChange, type ChangedLines } from "./diff.js";
import { languageOfPath } from "../astgrep/languages.js";
import { checkBuffers } from "../astgrep/lsp.js";
import type { Match } from "../astgrep/match.js";
import { rulesYaml, scanSources } from "./scan.js";
import { namedFiles, prepareBuffers, workspaceTargets, type ScanTargets } from "./sources.js";

export interface Finding {
  rule_id: string;
  priority: Priority;
  file: string;
  line: number;
  column: number;
  end_line: number;
  message: string;
  snippet: string;
}

export interface CheckStats {
  rules: number;
  checked_rules: number;
  files: number;
  findings: number;
  /** Findings dropped because they touch no line the diff changed. */
  outside_diff: number;
  skipped_files: { file: string; reason: string }[];
  /** Parts of checked rules that could not run (a pattern that does not parse, …). */
  left_out: { rule_id: string; reason: string }[];
  engine: string;
  duration_ms: number;
}

export interface CheckResult {
  findings: Finding[];
  unchecked: { rule_id: string; reason: string }[];
  stats: CheckStats;
}

export interface CheckOptions {
  files?: readonly { path: string; content: string }[] | undefined;
  paths?: readonly string[] | undefined;
  diff?: string | undefined;
  /** The directory `paths` and the diff's files are under (the workspace, or the CLI's cwd). */
  root: string;
  signal?: AbortSignal | undefined;
  maxFindings?: number;
}

/** The checks a set of rules carries, and the rules that have none (with the reason). */
export async function compileRules(
  rules: readonly DesignRuleSpec[],
  signal?: AbortSignal,
): Promise<{
  astGrep: AstGrepRule[];
  byId: Map<string, DesignRuleSpec>;
  unchecked: CheckResult["unchecked"];
  leftOut: CheckStats["left_out"];
}> {
  const verdict = await patternVerdicts(rules, signal);
  const astGrep: AstGrepRule[] = [];
  const byId = new Map<string, DesignRuleSpec>();
  const unchecked: CheckResult["unchecked"] = [];
  const leftOut: CheckStats["left_out"] = [];
  for (const rule of rules) {
    const t = astGrepRulesFor(rule, verdict);
    const invalid =
      (rule.validation_conditions?.invalid_patterns as { pattern: string; problem: string }[] | undefined) ?? [];
    const notes = [...invalid.map((i) => `pattern ${JSON.stringify(i.pattern)} is not used: ${i.problem}`), ...t.notes];
    if (t.rules.length === 0) {
      unchecked.push({
        rule_id: rule.rule_id,
        reason:
          notes.join("; ") ||
          "no violation pattern and no forbidden dependency: write one (rule_check's `candidate` proves it) or keep the rule as guidance",
      });
      continue;
    }
    for (const note of notes) leftOut.push({ rule_id: rule.rule_id, reason: note });
    astGrep.push(...t.rules);
    byId.set(rule.rule_id, rule);
  }
  return { astGrep, byId, unchecked, leftOut };
}

/** Runs `rules` over the code given; see the module comment for how code is given. */
export async function checkCode(rules: readonly DesignRuleSpec[], options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  if (!options.files?.length && !options.paths?.length && options.diff === undefined) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      "Give the code to check: files ([{path, content}]), paths (globs under the workspace) and/or diff (a unified diff).",
    );
  }
  const changes = options.diff === undefined ? undefined : parseDiff(options.diff);
  const inDiff = (file: string) => !changes || changes.files.has(file);
  const compiled = await compileRules(rules, options.signal);
  const ids = new Map<string, AstGrepRule>(compiled.astGrep.map((r) => [r.id, r]));
  const matches: Match[] = [];
  const skipped: CheckStats["skipped_files"] = [];
  let files = 0;
  const max = options.maxFindings ?? 10_000;
  // Buffers: in memory, through the warm language server. Files on disk: one scan.
  if (options.files?.length) {
    const prepared = prepareBuffers(options.files, options.root);
    skipped.push(...prepared.skipped);
    // Only buffers in a language some rule is written for can match (a rule's language is its files' extension).
    const languages = new Set(compiled.astGrep.map((r) => r.language));
    const buffers = prepared.buffers.filter((b) => inDiff(b.path) && languageOfPath(b.path) !== undefined);
    files += buffers.length;
    const relevant = buffers.filter((b) => languages.has(languageOfPath(b.path)!.id));
    if (relevant.length) matches.push(...(await checkBuffers(rulesYaml(compiled.astGrep), relevant, options.signal)));
  }
  // Files on disk: the paths given, or (a diff alone) the files the diff changed.
  let targets: ScanTargets | undefined;
  if (options.paths?.length) targets = await workspaceTargets(options.root, options.paths, { signal: options.signal });
  else if (changes && !options.files?.length) {
    const named = await namedFiles(
      options.root,
      [...changes.files].filter(([, lines]) => lines.size > 0).map(([file]) => file),
    );
    skipped.push(...named.skipped);
    targets = named;
  }
  if (targets) {
    const scanned = await scanSources(compiled.astGrep, targets, { signal: options.signal, maxMatches: max * 4 });
    skipped.push(...scanned.skipped.filter((s) => inDiff(s.file)));
    files += compiled.astGrep.length ? scanned.files : 0;
    matches.push(...scanned.matches.filter((m) => inDiff(m.file)));
  }
  throwIfAborted(options.signal);
  const findings: Finding[] = [];
  let outside = 0;
  for (const m of matches) {
    if (changes && !touchesChange(changes, m.file, m.line, m.endLine)) {
      outside++;
      continue;
    }
    const ag = ids.get(m.ruleId);
    if (!ag) continue;
    findings.push({
      rule_id: ag.metadata.specgate_rule_id,
      priority: ag.metadata.priority,
      file: m.file,
      line: m.line,
      column: m.column,
      end_line: m.endLine,
      message: ag.message,
      snippet: m.snippet,
    });
  }
  findings.sort(compareFindings);
  if (findings.length > max)
    throw new SpecGateError("E_TOO_LARGE", `More than ${max} findings; check fewer files or narrower rules.`);
  const { version } = await findAstGrep();
  return {
    findings,
    unchecked: compiled.unchecked,
    stats: {
      rules: rules.length,
      checked_rules: compiled.byId.size,
      files,
      findings: findings.length,
      outside_diff: outside,
      skipped_files: skipped,
      left_out: compiled.leftOut,
      engine: `ast-grep ${version}`,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    },
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || a.column - b.column || (a.rule_id < b.rule_id ? -1 : a.rule_id > b.rule_id ? 1 : 0);
}

export type { ChangedLines };
