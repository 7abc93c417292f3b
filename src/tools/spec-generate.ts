import { summarizeGeneration } from "../core/generate/summary.js";
import type { CachePolicy } from "../cache/policy.js";
import { PURE_TRANSFORM, defineTool } from "../pipeline/tool.js";
import {
  GENERATE_RESULT_HINT,
  GenerateInputSchema,
  GenerateOutputSchema,
  generateFiles,
  generationCost,
  generationNotices,
} from "./generate-files.js";

/** Whole generations that write nothing. Bump `version` when generated files change. */
export const GENERATE_CACHE = {
  namespace: "generate",
  ttlSeconds: 7200,
  version: 2,
  lock: false,
} as const satisfies CachePolicy;

export const specGenerate = defineTool({
  name: "spec_generate",
  title: "Generate IDE rules and CI checks from DesignRuleSpec",
  toolset: "generate",
  description:
    "Turns DesignRuleSpec rules (from rule_extract) — or a design document given as `content`, whose rules are extracted first — into files for the tools that enforce them: Cursor rules " +
    "(.cursor/rules/specgate-<area>.mdc + specgate-overview.mdc), Semgrep rules (.specgate/semgrep/specgate-rules.yml, for rules " +
    "with code patterns), ast-grep rules (.specgate/ast-grep/sgconfig.yml + rules/<rule>.yml, for rules with violation patterns or forbidden " +
    "dependencies; run in CI with `npx --yes --package=@ast-grep/cli ast-grep scan -c .specgate/ast-grep/sgconfig.yml --format sarif`), a JUnit 5 ArchUnit test (.specgate/archtest/…/DesignRulesArchTest.java, for forbidden dependencies and ARCH/API rules with " +
    "naming or annotation conditions) and a GitHub Actions workflow (.github/workflows/design-guard.yml + " +
    ".specgate/rules.json) that runs them and `specgate gate` on pull requests. Violation patterns that do not parse for their language are left out and named in `skipped`. Every file is checked against its tool's format " +
    "and is deterministic (same input → same bytes). `skipped` says which rule a target could not express and why. " +
    "A preview: the files are returned, never written; spec_write takes the same arguments and writes them.",
  inputSchema: GenerateInputSchema,
  outputSchema: GenerateOutputSchema,
  // A preview writes nothing: clients need not ask before each one. spec_write writes.
  annotations: PURE_TRANSFORM,
  cost: generationCost,
  cache: {
    policy: GENERATE_CACHE,
    key: (input) => ({ ...input, write: false }),
  },
  resultHint: GENERATE_RESULT_HINT,
  handler: (input, ctx) => generateFiles(input, ctx, false),
  summarize: (out) => summarizeGeneration(out),
  notices: generationNotices,
});
