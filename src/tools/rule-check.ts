import { z } from "zod";
import type { CheckResult } from "../core/check/check.js";
import { readRules, LenientRuleSchema, PRIORITIES, type DesignRuleSpec } from "../core/spec/design-rule-spec.js";
import { SpecGateError } from "../errors.js";
import { estimateInputBytes } from "../pipeline/input.js";
import { extractRules } from "../app/extract-documents.js";
import type { CachePolicy } from "../cache/policy.js";
import { PURE_TRANSFORM, defineTool, type ToolContext } from "../pipeline/tool.js";

/** Whole checks of code carried in the call. Bump `version` when findings change. */
export const CHECK_CACHE = {
  namespace: "check",
  ttlSeconds: 1800,
  version: 1,
  lock: false,
} as const satisfies CachePolicy;

const Example = z.string().max(200_000);
const Candidate = z
  .strictObject({
    rule_id: z.string().min(1).max(100).describe("The rule the pattern is for (RULE-AREA-NNN)"),
    pattern: z
      .string()
      .min(1)
      .max(10_000)
      .describe("A structural ast-grep pattern (console.log($$$ARGS)) or a regex (/…/ or regex syntax)"),
    language: z
      .string()
      .min(1)
      .max(40)
      .describe(
        "ast-grep language of the pattern and examples: java, typescript, tsx, javascript, python, go, kotlin, csharp…",
      ),
    examples: z.strictObject({
      violating: z.array(Example).max(50).describe("Code that breaks the rule: the pattern must match each"),
      compliant: z.array(Example).max(50).describe("Code that follows the rule: the pattern must match none"),
    }),
  })
  .describe("The authoring loop: prove a pattern for a rule that has none before handing it to spec_generate");

const Input = z
  .strictObject({
    rules: z
      .array(LenientRuleSchema)
      .min(1)
      .max(5000)
      .optional()
      .describe("DesignRuleSpec rules (rule_extract's output, or hand-written). Give this or `content`"),
    content: z
      .string()
      .optional()
      .describe(
        "Instead of `rules`: a design document (Markdown or Confluence storage XHTML / HTML) whose rules are extracted first",
      ),
    format: z
      .enum(["auto", "markdown", "html"])
      .optional()
      .describe("With `content`: how to read it; auto (default) detects HTML"),
    files: z
      .array(
        z.strictObject({
          path: z
            .string()
            .min(1)
            .max(1000)
            .describe("Relative to the repository root, e.g. src/main/java/App.java (scope globs apply to it)"),
          content: z.string(),
        }),
      )
      .max(1000)
      .optional()
      .describe("Code to check as given (an editor buffer, a snippet); at most 10 MB in all"),
    paths: z
      .array(z.string().min(1).max(1000))
      .max(100)
      .optional()
      .describe("Globs or directories under the server's workspace (SPECGATE_WORKSPACE), e.g. src/**/*.java"),
    diff: z
      .string()
      .optional()
      .describe(
        "A unified diff: only findings on added or changed lines are reported. Alone, the changed files are read from the workspace",
      ),
    candidate: Candidate.optional(),
  })
  .refine((v) => !(v.rules !== undefined && v.content !== undefined), {
    message: "give `rules` or `content`, not both",
  })
  .refine((v) => v.candidate !== undefined || v.rules !== undefined || v.content !== undefined, {
    message: "give `rules` (DesignRuleSpec) or `content` (a design document), or a `candidate` pattern",
  })
  .refine((v) => v.candidate !== undefined || v.files !== undefined || v.paths !== undefined || v.diff !== undefined, {
    message: "give the code to check: `files`, `paths` and/or `diff`",
  })
  .refine((v) => v.format === undefined || v.content !== undefined, { message: "`format` goes with `content`" });

const Finding = z.object({
  rule_id: z.string(),
  priority: z.enum(PRIORITIES),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  end_line: z.number().int(),
  message: z.string(),
  snippet: z.string(),
});
const Match = z.object({
  line: z.number().int(),
  column: z.number().int(),
  end_line: z.number().int(),
  snippet: z.string(),
});
const ExampleOutcome = z.object({ index: z.number().int(), matched: z.boolean(), matches: z.array(Match) });

const Output = z.object({
  findings: z
    .array(Finding)
    .describe("Every match, by file, line and column; `file` as given (files) or relative to the workspace"),
  unchecked: z
    .array(z.object({ rule_id: z.string(), reason: z.string() }))
    .describe("Rules with no executable check, and why"),
  stats: z.object({
    rules: z.number().int(),
    checked_rules: z.number().int(),
    files: z.number().int(),
    findings: z.number().int(),
    outside_diff: z.number().int(),
    skipped_files: z.array(z.object({ file: z.string(), reason: z.string() })),
    left_out: z
      .array(z.object({ rule_id: z.string(), reason: z.string() }))
      .describe("Parts of checked rules that could not run"),
    engine: z.string(),
    duration_ms: z.number(),
  }),
  candidate: z
    .object({
      rule_id: z.string(),
      pattern: z.string(),
      kind: z.enum(["structural", "regex"]),
      language: z.string(),
      valid: z.boolean(),
      problem: z.string().optional(),
      passes: z.boolean().describe("Every violating example matched and no compliant one"),
      violating: z.array(ExampleOutcome),
      compliant: z.array(ExampleOutcome),
      hand_off: z
        .object({
          validation_conditions: z.object({
            structural_patterns: z.array(z.string()).optional(),
            code_patterns: z.array(z.string()).optional(),
            languages: z.array(z.string()),
          }),
        })
        .optional()
        .describe("Add to the rule, then spec_generate and rule_check run the pattern"),
    })
    .optional(),
});

type In = z.output<typeof Input>;

async function rulesOf(input: In, ctx: ToolContext): Promise<DesignRuleSpec[]> {
  if (input.content !== undefined) return (await extractRules(ctx, input.content, { format: input.format })).rules;
  if (input.rules === undefined) return [];
  const read = readRules(input.rules);
  if (read.issues.length) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `Some rules cannot be read (${read.issues.length}): ${read.issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ")}.`,
    );
  }
  return read.rules;
}

export const ruleCheck = defineTool({
  name: "rule_check",
  toolset: "check",
  title: "Check code against design rules",
  description:
    "Runs design rules on code, as the IDE-time check of each rule's violation detection: the rules' structural patterns (ast-grep syntax, e.g. " +
    '$LOG.info($$$ARGS, $REQ.getBody())), regexes and forbidden dependencies ("controllers must not depend on repositories") become ast-grep rules — ' +
    "the same ones spec_generate's astgrep target writes for CI — and run over `files` (editor buffers), `paths` (globs under the workspace) and/or " +
    "`diff` (only added or changed lines count). Give `rules` (DesignRuleSpec) or `content` (a design document). Returns findings {rule_id, priority, " +
    "file, line, column, end_line, message, snippet}, `unchecked` rules (no executable check, with the reason) and stats. For a rule without a pattern, " +
    "send `candidate` {rule_id, pattern, language, examples: {violating, compliant}}: the answer says whether the pattern matches every violating " +
    "example and no compliant one, and gives the validation_conditions to add to the rule. Reads files, never writes.",
  inputSchema: Input,
  outputSchema: Output,
  annotations: PURE_TRANSFORM,
  // The scan runs in a child process; here: the buffers, the rules and the findings read back,
  // plus, with `content`, the extraction (about 48 bytes per character at its peak, as rule_extract).
  resultHint: "Check fewer files or rules per call.",
  cost: (input) => estimateInputBytes(input) * 6 + (input.content?.length ?? 0) * 48 + 8 * 1024 * 1024,
  cache: {
    policy: CHECK_CACHE,
    // Files on disk change under the cache: only calls that carry all their code are cached.
    key: (input) =>
      input.paths === undefined && (input.diff === undefined || input.files !== undefined) ? input : undefined,
  },
  handler: async (input, ctx) => {
    const limit = ctx.config.limits.maxDocumentBytes;
    const total = (input.files ?? []).reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    if (total > limit)
      throw new SpecGateError(
        "E_TOO_LARGE",
        `files hold ${(total / 1024 / 1024).toFixed(1)} MB; the limit is ${limit / 1024 / 1024} MB. Check fewer files, or use paths.`,
      );
    const rules = await rulesOf(input, ctx);
    const hasCode = input.files !== undefined || input.paths !== undefined || input.diff !== undefined;
    const result: CheckResult = hasCode
      ? await (
          await import("../core/check/check.js")
        ).checkCode(rules, {
          files: input.files,
          paths: input.paths,
          diff: input.diff,
          root: ctx.config.workspace,
          signal: ctx.signal,
        })
      : {
          findings: [],
          unchecked: [],
          stats: {
            rules: rules.length,
            checked_rules: 0,
            files: 0,
            findings: 0,
            outside_diff: 0,
            skipped_files: [],
            left_out: [],
            engine: "ast-grep",
            duration_ms: 0,
          },
        };
    if (!input.candidate) return result;
    const rule = rules.find((r) => r.rule_id === input.candidate!.rule_id.trim().toUpperCase());
    const { checkCandidate } = await import("../core/check/candidate.js");
    return { ...result, candidate: await checkCandidate(input.candidate, rule, ctx.signal) };
  },
  notices: (out) => [
    ...out.unchecked.map((u) => ({
      level: "notice" as const,
      message: `${u.rule_id} not checked: ${u.reason}`,
      data: { rule_id: u.rule_id },
    })),
    ...out.stats.left_out.map((l) => ({
      level: "warning" as const,
      message: `${l.rule_id}: part left out: ${l.reason}`,
      data: { rule_id: l.rule_id },
    })),
    ...out.stats.skipped_files.map((f) => ({
      level: "notice" as const,
      message: `${f.file} skipped: ${f.reason}`,
      data: { file: f.file },
    })),
  ],
  summarize: (out) => {
    const head = `${out.findings.length} finding${out.findings.length === 1 ? "" : "s"} in ${out.stats.files} file${out.stats.files === 1 ? "" : "s"} (${out.stats.checked_rules} of ${out.stats.rules} rules checked).`;
    const lines = out.findings
      .slice(0, 50)
      .map((f) => `- ${f.file}:${f.line}:${f.column} ${f.rule_id} (${f.priority}): ${f.snippet}`);
    if (out.findings.length > 50) lines.push(`- … ${out.findings.length - 50} more in structuredContent.findings`);
    for (const u of out.unchecked.slice(0, 20)) lines.push(`unchecked ${u.rule_id}: ${u.reason}`);
    const c = out.candidate;
    if (c) {
      const hit = (list: { matched: boolean }[]) => list.filter((o) => o.matched).length;
      lines.push(
        c.valid
          ? `candidate ${c.rule_id} (${c.kind}, ${c.language}): ${c.passes ? "PASSES" : "does not pass"} — matches ${hit(c.violating)}/${c.violating.length} violating and ${hit(c.compliant)}/${c.compliant.length} compliant examples`
          : `candidate ${c.rule_id}: the pattern is not usable — ${c.problem}`,
      );
    }
    return [head, ...lines].join("\n");
  },
});
