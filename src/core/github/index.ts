/** GitHub integration: REST client, the sticky Drift Radar comment, HITL issues for lint grades. */
export {
  GitHubClient,
  nextLink,
  type GitHubClientOptions,
  type GitHubResponse,
  type RequestOptions,
} from "./client.js";
export {
  upsertStickyComment,
  MAX_COMMENT_CHARS,
  type StickyCommentOptions,
  type StickyCommentOutcome,
} from "./comments.js";
export { syncHitlIssues, documentKey, HITL_LABELS, type HitlDocument, type HitlOutcome } from "./hitl-issues.js";
