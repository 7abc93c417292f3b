/**
 * Whether a violation pattern parses — asked of the ast-grep binary that will run it, so a
 * pattern SpecGate accepts is a pattern the generated rule files can load (one rule ast-grep
 * cannot load stops the whole scan).
 *
 * - structural: `ast-grep run -p … -l <language> --debug-query=pattern`, once per pattern and
 *   language. Rejected when ast-grep cannot use it (several nodes, none) or when its syntax tree
 *   holds an ERROR or MISSING node (ast-grep would only warn, and match nothing useful).
 * - regex: first all at once (one rule per regex); only when that fails, one by one to find which.
 *
 * Verdicts are remembered for the life of the process (bounded), keyed by the binary's version.
 */
import { throwIfAborted } from "../../errors.js";
import { findAstGrep } from "./binary.js";
import { languageById } from "./languages.js";
import type { DesignRuleSpec } from "../spec/design-rule-spec.js";
import { astGrepRegexProblem, inlineFlags, patternShapeProblem, type ClassifiedPattern } from "./patterns.js";
import { rulePatterns, type PatternVerdict } from "./rules.js";
import { astGrepErrorText, runAstGrep } from "./run.js";

export interface PatternCheck {
  pattern: ClassifiedPattern;
  /** The ast-grep language a structural pattern must parse in; ignored for regexes. */
  language?: string | undefined;
}

const MEMO_MAX = 4000;
const memo = new Map<string, string | null>();
const CONCURRENCY = 4;

/**
 * The problem of each pattern (undefined when it is usable), in input order. A structural
 * pattern without a language cannot be checked and says so.
 */
export async function checkPatterns(
  items: readonly PatternCheck[],
  options: { signal?: AbortSignal | undefined } = {},
): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = new Array(items.length).fill(undefined);
  const structural: { index: number; language: string; key: string }[] = [];
  const regexes: { index: number; key: string }[] = [];
  let version: string | undefined;
  for (const [index, item] of items.entries()) {
    const shape = patternShapeProblem(item.pattern) ?? astGrepRegexProblem(item.pattern);
    if (shape) {
      out[index] = shape;
      continue;
    }
    version ??= (await findAstGrep()).version;
    if (item.pattern.kind === "regex") {
      const key = `${version}\0regex\0${inlineFlags(item.pattern)}`;
      if (memo.has(key)) out[index] = memo.get(key) ?? undefined;
      else regexes.push({ index, key });
      continue;
    }
    const known = item.language === undefined ? undefined : languageById(item.language);
    if (!known) {
      out[index] =
        item.language === undefined
          ? "a structural pattern needs a language: give the rule file patterns with extensions (e.g. src/**/*.java)"
          : `"${item.language}" is not a language ast-grep parses`;
      continue;
    }
    const key = `${version}\0${known.id}\0${item.pattern.text}`;
    if (memo.has(key)) out[index] = prefixed(known.id, memo.get(key));
    else structural.push({ index, language: known.id, key });
  }
  await Promise.all([checkRegexes(regexes, items, options.signal), checkStructural(structural, items, options.signal)]);
  for (const s of structural) out[s.index] = prefixed(s.language, memo.get(s.key));
  for (const r of regexes) out[r.index] = memo.get(r.key) ?? undefined;
  return out;
}

/**
 * Checks every pattern of `rules` in each of its languages and answers, for the generators and
 * rule_check, whether a (pattern, language) pair parses. Costs nothing when no rule has a pattern.
 */
export async function patternVerdicts(rules: readonly DesignRuleSpec[], signal?: AbortSignal): Promise<PatternVerdict> {
  const items: PatternCheck[] = [];
  const keys: string[] = [];
  for (const rule of rules) {
    for (const p of rulePatterns(rule)) {
      for (const language of p.languages) {
        items.push({ pattern: p.pattern, language });
        keys.push(verdictKey(p.pattern, language));
      }
    }
  }
  const problems = items.length ? await checkPatterns(items, { signal }) : [];
  const found = new Map(keys.map((k, i) => [k, problems[i]]));
  return (pattern, language) =>
    found.has(verdictKey(pattern, language))
      ? found.get(verdictKey(pattern, language))
      : (patternShapeProblem(pattern) ?? astGrepRegexProblem(pattern));
}

function verdictKey(pattern: ClassifiedPattern, language: string): string {
  return pattern.kind === "regex" ? `regex\0${inlineFlags(pattern)}` : `${language}\0${pattern.text}`;
}

function prefixed(language: string, problem: string | null | undefined): string | undefined {
  return problem ? `it does not parse as ${language}: ${problem}` : undefined;
}

function remember(key: string, problem: string | undefined): void {
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value!);
  memo.set(key, problem ?? null);
}

async function checkStructural(
  list: readonly { index: number; language: string; key: string }[],
  items: readonly PatternCheck[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const unique = [...new Map(list.map((s) => [s.key, s])).values()];
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const s = unique[next++]!;
      throwIfAborted(signal);
      remember(s.key, await structuralProblem(items[s.index]!.pattern.text, s.language, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, worker));
}

async function structuralProblem(
  pattern: string,
  language: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const { code, stderr } = await runAstGrep(
    ["run", "--pattern", pattern, "--lang", language, "--debug-query=pattern", "--stdin"],
    { cwd: process.cwd(), signal },
  );
  if (code !== 0 && code !== 1) return astGrepErrorText(stderr);
  const bad = stderr
    .split("\n")
    .map((l) => l.trim())
    .find((l) => /^(?:ERROR|MISSING)\b/.test(l));
  if (bad)
    return bad.startsWith("ERROR")
      ? "its syntax tree has an error (ERROR node)"
      : `the parser had to insert a missing ${bad.slice("MISSING".length).trim()}`.trimEnd();
  if (!/Debug Pattern:/.test(stderr)) return astGrepErrorText(stderr);
  return undefined;
}

async function checkRegexes(
  list: readonly { index: number; key: string }[],
  items: readonly PatternCheck[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const unique = [...new Map(list.map((r) => [r.key, inlineFlags(items[r.index]!.pattern)])).entries()];
  if (unique.length === 0) return;
  if (
    (await regexBatchProblem(
      unique.map(([, re]) => re),
      signal,
    )) === undefined
  ) {
    for (const [key] of unique) remember(key, undefined);
    return;
  }
  for (const [key, re] of unique) remember(key, await regexBatchProblem([re], signal));
}

async function regexBatchProblem(
  regexes: readonly string[],
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const rules = regexes
    .map((re, i) => `id: r${i}\nlanguage: java\nrule:\n  kind: identifier\n  regex: ${JSON.stringify(re)}`)
    .join("\n---\n");
  const { code, stderr } = await runAstGrep(["scan", "--inline-rules", rules, "--stdin"], {
    cwd: process.cwd(),
    signal,
  });
  return code === 0 || code === 1 ? undefined : `ast-grep's regex engine rejects it (${astGrepErrorText(stderr)})`;
}
