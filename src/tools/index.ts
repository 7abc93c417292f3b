/** Every tool SpecGate serves, in the order clients list them. Registered by one loop in server.ts. */
import { cacheInvalidate } from "./cache-invalidate.js";
import { cacheStats } from "./cache-stats.js";
import { gateScore } from "./gate-score.js";
import { confluenceFetch } from "./confluence-fetch.js";
import { htmlToMd } from "./html-to-md.js";
import { ruleCheck } from "./rule-check.js";
import { ruleDiff } from "./rule-diff.js";
import { ruleExtract } from "./rule-extract.js";
import { specGenerate } from "./spec-generate.js";
import { specWrite } from "./spec-write.js";
import { speclintLint } from "./speclint-lint.js";
import type { AnyToolDefinition } from "../pipeline/tool.js";

export const TOOLS: readonly AnyToolDefinition[] = [
  confluenceFetch,
  htmlToMd,
  speclintLint,
  ruleExtract,
  specGenerate,
  specWrite,
  ruleCheck,
  ruleDiff,
  gateScore,
  cacheStats,
  cacheInvalidate,
];
