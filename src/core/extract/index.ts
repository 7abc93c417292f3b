/**
 * Rule extraction (`rule_extract`): design documents → DesignRuleSpec rules with
 * reliability, duplicates and conflicts. No MCP here; the tool, the CLI and the library API call
 * these functions. See docs/rule-extract.md for the behaviour in full.
 */
export { extractRules, countRules } from "./extract.js";
export {
  extractDocument,
  combineResults,
  looksLikeHtml,
  resultDocumentName,
  type BatchResult,
  type ContentFormat,
  type DocumentOutcome,
} from "./documents.js";
export {
  findConflicts,
  findDuplicates,
  normalizeSentence,
  subjectOf,
  type Conflict,
  type Duplicate,
  type RuleRef,
} from "./analysis.js";
export { scopePatterns, type ScopePatterns } from "./scope.js";
export { splitSentences, type Sentence } from "./sentences.js";
export { cleanSentence, detectModal, type Modal } from "./modal.js";
export { ExtractResultSchema } from "./schema.js";
export type {
  ExtractOptions,
  ExtractResult,
  ExtractSource,
  ExtractStats,
  ExtractWarning,
  KeywordCase,
  RejectedCounts,
} from "./types.js";
