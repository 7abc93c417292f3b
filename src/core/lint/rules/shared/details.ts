/**
 * What `scope_missing`, `reason_missing` and `reference_missing` share: a rule statement without
 * the detail (or with only a placeholder: `[…]`, TODO, TBD, N/A, -), and the fix that inserts the
 * detail after the statement's last line, styled like its siblings.
 */
import type { Block } from "../../../markdown/document.js";
import type { RuleStatement } from "../../../markdown/rule-statements.js";
import type { CheckContext } from "../../context.js";
import { DETAIL_LABELS, type Lang } from "../../messages.js";
import type { LintFix } from "../../types.js";
import type { RuleContext } from "../rule.js";
import { locatedRules } from "./rule-lines.js";

const PLACEHOLDER = /^(?:\[[^\]]*\]|todo|tbd|n\/a|-|…|\.{3})$/i;

export type DetailName = "scope" | "rationale" | "reference";

export function checkDetail<M extends string>(ctx: RuleContext<M>, key: DetailName, messageId: M): void {
  for (const { statement: s, at } of locatedRules(ctx)) {
    if (s.details.some((d) => d.key === key && d.value.trim() !== "" && !PLACEHOLDER.test(d.value.trim()))) continue;
    const insertion = s.form === "table" ? undefined : detailInsertion(ctx, s);
    const labels = insertion ? DETAIL_LABELS[insertion.lang][key] : undefined;
    const fix: LintFix | undefined =
      insertion && labels
        ? {
            start_line: insertion.at,
            end_line: insertion.at,
            text: `${insertion.prefix}${labels.label}: ${labels.placeholder}\n`,
            description: `${labels.label}: …`,
          }
        : undefined;
    ctx.report({ ...at, messageId, params: { id: s.id }, fix });
  }
}

type Insertion = { at: number; prefix: string; lang: Lang };

/** Per statement, computed once for the three detail codes. */
function detailInsertion(ctx: CheckContext, s: RuleStatement): Insertion {
  const insertions = ctx.shared("detail-insertions", () => new Map<RuleStatement, Insertion>());
  let found = insertions.get(s);
  if (!found) {
    found = computeInsertion(ctx, s);
    insertions.set(s, found);
  }
  return found;
}

/** Where and how a missing detail sub-item goes: after the statement's last line, styled like its siblings. */
function computeInsertion(ctx: CheckContext, s: RuleStatement): Insertion {
  const { blocks } = ctx.doc;
  let end = blocks[s.block]!.endLine;
  for (const d of s.details) end = Math.max(end, d.line);
  if (s.form === "list") {
    for (let j = s.block + 1; j < blocks.length && inside(blocks, j, s.block); j++)
      end = Math.max(end, blocks[j]!.endLine);
  }
  const lang: Lang = s.details.length > 0 ? (/[\uac00-\ud7a3]/.test(s.details[0]!.label) ? "ko" : "en") : ctx.lang;
  let prefix: string;
  const sibling = s.details.length > 0 ? /^(\s*(?:[-*+]|\d+[.)])\s+)/.exec(ctx.lines.get(s.details[0]!.line)) : null;
  if (sibling) prefix = sibling[1]!;
  else {
    const own = /^(\s*)(?:([-*+]|\d+[.)])(\s+))?/.exec(ctx.lines.get(s.line))!;
    prefix =
      s.form === "list" && own[2] ? `${" ".repeat(own[1]!.length + own[2].length + own[3]!.length)}- ` : `${own[1]}- `;
  }
  return { at: end + 1, prefix, lang };
}

function inside(blocks: Block[], j: number, i: number): boolean {
  for (let p = blocks[j]!.parent; p >= 0; p = blocks[p]!.parent) if (p === i) return true;
  return false;
}
