/** Rule changes between two versions of a design document (rule_diff, `specgate diff`). */
export {
  diffRules,
  fieldChanges,
  MAX_DIFF_RULES,
  SIMILARITY_THRESHOLD,
  type ChangedRule,
  type DiffOptions,
  type FieldChange,
  type RuleDiff,
} from "./rules.js";
export { diffMarkdown, type DiffLabels } from "./markdown.js";
export { jaccard, statementSimilarity, statementTokens, MAX_STATEMENT_CHARS } from "./similarity.js";
