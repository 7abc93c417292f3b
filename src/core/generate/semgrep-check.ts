/**
 * SpecGate's own checks of a Semgrep rule, for what the published rule schema lets through: the
 * schema accepts any string as a language and any extra key on a rule (`additionalProperties:
 * true`), and it cannot tell whether a regex compiles. The generator runs these checks on every
 * rule it emits and drops (and reports) a rule that fails, so Semgrep never rejects the file.
 */

/** Language names Semgrep accepts (semgrep-interfaces rule_schema_v1 `languages` enum). */
export const SEMGREP_LANGUAGES: ReadonlySet<string> = new Set([
  "apex",
  "bash",
  "sh",
  "c",
  "clojure",
  "cpp",
  "c++",
  "csharp",
  "c#",
  "dart",
  "dockerfile",
  "docker",
  "ex",
  "elixir",
  "generic",
  "go",
  "golang",
  "gosu",
  "hack",
  "html",
  "java",
  "js",
  "javascript",
  "json",
  "jsonnet",
  "julia",
  "kt",
  "kotlin",
  "lisp",
  "lua",
  "ocaml",
  "php",
  "python2",
  "python3",
  "py",
  "python",
  "r",
  "regex",
  "none",
  "ruby",
  "rust",
  "scala",
  "scheme",
  "solidity",
  "sol",
  "swift",
  "tf",
  "hcl",
  "terraform",
  "ts",
  "typescript",
  "vue",
  "yaml",
  "xml",
]);

/** Top-level keys of a rule in rule_schema_v1. */
export const SEMGREP_RULE_KEYS: ReadonlySet<string> = new Set([
  "id",
  "min-version",
  "max-version",
  "version",
  "message",
  "mode",
  "languages",
  "paths",
  "severity",
  "pattern-sinks",
  "pattern-sources",
  "pattern-sanitizers",
  "pattern-propagators",
  "taint",
  "join",
  "validators",
  "fix",
  "fix-regex",
  "metadata",
  "options",
  "pattern",
  "pattern-regex",
  "patterns",
  "pattern-either",
  "r2c-internal-project-depends-on",
  "match",
  "extract",
  "dest-rules",
  "dest-language",
  "transform",
  "reduce",
]);

const TOP_PATTERN_KEYS = ["pattern", "pattern-regex", "patterns", "pattern-either"] as const;
const LEAF_STRING_KEYS = new Set(["pattern", "pattern-regex", "pattern-not-regex"]);
const NESTED_KEYS = new Set(["pattern-not", "pattern-inside", "pattern-not-inside"]);
const SEVERITIES = new Set(["ERROR", "WARNING", "INFO"]);
const ID = /^[a-zA-Z0-9._-]+$/;

/**
 * Compiles a Semgrep (PCRE) regex as far as JavaScript can: leading inline flags such as `(?i)`
 * are accepted. Returns a problem description, or undefined when it compiles.
 */
export function regexProblem(source: string): string | undefined {
  const body = source.replace(/^\(\?[imsx]+\)/, "");
  try {
    new RegExp(body);
    return undefined;
  } catch (error) {
    return `regex ${JSON.stringify(source)} does not compile (${(error as Error).message})`;
  }
}

/** Problems of one rule as SpecGate generates them (search mode); empty when it is valid. */
export function checkSemgrepRule(rule: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(rule)) if (!SEMGREP_RULE_KEYS.has(key)) problems.push(`unknown key "${key}"`);
  if (typeof rule.id !== "string" || !ID.test(rule.id))
    problems.push(`id ${JSON.stringify(rule.id)} is not [a-zA-Z0-9._-]+`);
  if (typeof rule.message !== "string" || !rule.message.trim()) problems.push("message is missing");
  if (typeof rule.severity !== "string" || !SEVERITIES.has(rule.severity))
    problems.push(`severity ${JSON.stringify(rule.severity)} is not ERROR, WARNING or INFO`);
  const languages = rule.languages;
  if (!Array.isArray(languages) || languages.length === 0) problems.push("languages is empty");
  else
    for (const lang of languages)
      if (typeof lang !== "string" || !SEMGREP_LANGUAGES.has(lang))
        problems.push(`language ${JSON.stringify(lang)} is not a Semgrep language`);
  if (rule.paths !== undefined) {
    const paths = rule.paths as Record<string, unknown>;
    for (const key of Object.keys(paths))
      if (key !== "include" && key !== "exclude") problems.push(`unknown key "paths.${key}"`);
    for (const key of ["include", "exclude"]) {
      const list = paths[key];
      if (list !== undefined && (!Array.isArray(list) || list.some((p) => typeof p !== "string" || !p)))
        problems.push(`paths.${key} must be a list of globs`);
    }
  }
  const present = TOP_PATTERN_KEYS.filter((k) => rule[k] !== undefined);
  if (present.length !== 1)
    problems.push(`exactly one of ${TOP_PATTERN_KEYS.join(", ")} is required (found ${present.length})`);
  for (const key of present) checkOperator(key, rule[key], key, problems);
  return problems;
}

/** Problems of a whole rule file `{ rules: [...] }`: each rule, plus unique ids. */
export function checkSemgrepConfig(doc: unknown): string[] {
  const rules = (doc as { rules?: unknown })?.rules;
  if (!Array.isArray(rules)) return ["rules must be a list"];
  const problems: string[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const id = (rule as { id?: unknown })?.id;
    if (typeof id === "string") {
      if (seen.has(id)) problems.push(`rules[${i}]: duplicate id ${id}`);
      seen.add(id);
    }
    for (const p of checkSemgrepRule(rule as Record<string, unknown>)) problems.push(`rules[${i}]: ${p}`);
  });
  return problems;
}

function checkOperator(key: string, value: unknown, path: string, problems: string[]): void {
  if (LEAF_STRING_KEYS.has(key)) {
    if (typeof value !== "string" || !value.trim()) problems.push(`${path} must be a non-empty string`);
    else if (key !== "pattern") {
      const p = regexProblem(value);
      if (p) problems.push(`${path}: ${p}`);
    }
    return;
  }
  if (NESTED_KEYS.has(key)) {
    if (typeof value === "string") {
      if (!value.trim()) problems.push(`${path} is empty`);
    } else checkClause(value, path, problems);
    return;
  }
  if (key === "patterns" || key === "pattern-either") {
    if (!Array.isArray(value) || value.length === 0) problems.push(`${path} must be a non-empty list`);
    else value.forEach((item, i) => checkClause(item, `${path}[${i}]`, problems));
    return;
  }
  problems.push(`${path}: unsupported operator "${key}"`);
}

function checkClause(item: unknown, path: string, problems: string[]): void {
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    problems.push(`${path} must be an object`);
    return;
  }
  const keys = Object.keys(item);
  if (keys.length !== 1) {
    problems.push(`${path} must have exactly one operator (found ${keys.join(", ") || "none"})`);
    return;
  }
  checkOperator(keys[0]!, (item as Record<string, unknown>)[keys[0]!], `${path}.${keys[0]}`, problems);
}
