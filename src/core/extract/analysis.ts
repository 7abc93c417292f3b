/**
 * Duplicates and conflicts between extracted rules. Nothing is merged or dropped: each finding
 * names both rules with their documents and lines, and the caller decides.
 *
 * Duplicates: the same `rule_id` twice (`identical` tells a copy from an id collision), or the
 * same normalised sentence under different ids.
 *
 * Conflicts are found through a rule's **subject**: its sentence without the modal (RFC 2119
 * keywords, the Korean ending), without quantities (30 s, 5분, 1GB, 80 %), lower-cased, split
 * into words, Korean particles (은/는/이/가/을/를/으로/에서 …) and the verb ending of the last
 * word (…해, …하, …되) stripped, quantifiers and function words (모든, all, the, …) dropped, then
 * taken as a set. Two rules have the same subject when those sets are equal (exactly — a near
 * match such as 비동기 vs 동기 is a different subject). Then:
 * - `polarity`: same subject and the same quantities, one rule requires or allows (MUST, SHOULD,
 *   MAY) and the other forbids (MUST NOT, SHOULD NOT) — except MAY against SHOULD NOT, which agree.
 * - `number`: same subject, and a quantity of the same kind (time, size, percentage, count, rate)
 *   with a different value: "cache for 30 s" vs "cache for 5 min".
 * Rules are grouped by subject and quantities with hash maps, so the work stays linear in the
 * number of rules; within a group only the first rule of each variant is compared.
 */
import type { DesignRuleSpec, Priority } from "../spec/design-rule-spec.js";
import { cleanSentence, detectModal, isNegative } from "./modal.js";

export interface RuleRef {
  rule_id: string;
  priority: Priority;
  document: string;
  line: number;
  text: string;
}

export interface Duplicate {
  kind: "same_id" | "same_text";
  /** Same id and the same sentence (a copy) — false for two different rules under one id. */
  identical: boolean;
  message: string;
  rules: [RuleRef, RuleRef];
}

export interface Conflict {
  kind: "polarity" | "number";
  /** The subject both rules are about (normalised words). */
  subject: string;
  message: string;
  rules: [RuleRef, RuleRef];
  /** For `number`: the two values as written. */
  values?: [string, string];
}

/** At most this many duplicates and conflicts are listed; the stats carry the full counts. */
export const MAX_LISTED = 1000;

export function ruleRef(rule: DesignRuleSpec): RuleRef {
  return {
    rule_id: rule.rule_id,
    priority: rule.priority,
    document: rule.source.document,
    line: rule.source.line,
    text: rule.description,
  };
}

/** A sentence for comparison: NFKC, lower case, punctuation and markup removed, spaces collapsed. */
export function normalizeSentence(text: string): string {
  // NFKC only matters outside ASCII and precomposed Hangul (full-width forms, compatibility jamo).
  return (/[^\u0000-\u007f\uac00-\ud7a3]/.test(text) ? text.normalize("NFKC") : text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Per rule object: its normalised sentence and subject, computed once (batches reuse the rules of each document). */
const keys = new WeakMap<
  DesignRuleSpec,
  { norm: string; subject: { key: string; quantities: Quantity[] } | undefined }
>();

/** Records a rule's normalised sentence when the caller already computed it (generated ids). */
export function rememberNormalized(rule: DesignRuleSpec, norm: string): void {
  if (!keys.has(rule)) keys.set(rule, { norm, subject: undefined });
}

function keysOf(rule: DesignRuleSpec): { norm: string; subject: { key: string; quantities: Quantity[] } | undefined } {
  let k = keys.get(rule);
  if (!k) keys.set(rule, (k = { norm: normalizeSentence(rule.description), subject: undefined }));
  return k;
}

function subjectFor(rule: DesignRuleSpec): { key: string; quantities: Quantity[] } {
  const k = keysOf(rule);
  return (k.subject ??= subjectOf(rule.description));
}

export function findDuplicates(rules: readonly DesignRuleSpec[]): { list: Duplicate[]; total: number } {
  const list: Duplicate[] = [];
  let total = 0;
  const byId = new Map<string, { rule: DesignRuleSpec; norm: string }>();
  const byText = new Map<string, DesignRuleSpec>();
  for (const rule of rules) {
    const { norm } = keysOf(rule);
    const first = byId.get(rule.rule_id);
    if (first) {
      total++;
      const identical = first.norm === norm;
      if (list.length < MAX_LISTED) {
        list.push({
          kind: "same_id",
          identical,
          message: identical
            ? `${rule.rule_id} is stated twice (${where(first.rule)} and ${where(rule)}).`
            : `${rule.rule_id} names two different rules (${where(first.rule)} and ${where(rule)}); give one of them a new id.`,
          rules: [ruleRef(first.rule), ruleRef(rule)],
        });
      }
    } else byId.set(rule.rule_id, { rule, norm });
    if (!norm) continue;
    const sameText = byText.get(norm);
    if (!sameText) byText.set(norm, rule);
    else if (sameText.rule_id !== rule.rule_id) {
      total++;
      if (list.length < MAX_LISTED) {
        const priorities =
          sameText.priority === rule.priority
            ? ""
            : ` with different priorities (${sameText.priority} vs ${rule.priority})`;
        list.push({
          kind: "same_text",
          identical: false,
          message: `${sameText.rule_id} (${where(sameText)}) and ${rule.rule_id} (${where(rule)}) state the same sentence${priorities}.`,
          rules: [ruleRef(sameText), ruleRef(rule)],
        });
      }
    }
  }
  return { list, total };
}

interface Quantity {
  dim: string;
  value: number;
  text: string;
}

interface Variant {
  rule: DesignRuleSpec;
  negative: boolean;
  quantities: Quantity[];
  signature: string;
}

export function findConflicts(rules: readonly DesignRuleSpec[]): { list: Conflict[]; total: number } {
  const groups = new Map<string, Map<string, Variant>>();
  for (const rule of rules) {
    const { key, quantities } = subjectFor(rule);
    if (!key) continue;
    const negative = isNegative(rule.priority);
    const signature = `${negative ? "-" : "+"}${rule.priority === "MAY" ? "m" : ""}|${quantities
      .map((q) => `${q.dim}=${q.value}`)
      .sort()
      .join(",")}`;
    let variants = groups.get(key);
    if (!variants) groups.set(key, (variants = new Map()));
    if (!variants.has(signature)) variants.set(signature, { rule, negative, quantities, signature });
  }
  const list: Conflict[] = [];
  let total = 0;
  for (const [key, variants] of groups) {
    if (variants.size < 2) continue;
    const vs = [...variants.values()];
    for (let a = 0; a < vs.length; a++) {
      for (let b = a + 1; b < vs.length; b++) {
        const conflict = compare(key, vs[a]!, vs[b]!);
        if (!conflict) continue;
        total++;
        if (list.length < MAX_LISTED) list.push(conflict);
      }
    }
  }
  return { list, total };
}

/** `first` comes before `second` in input order. */
function compare(subject: string, first: Variant, second: Variant): Conflict | undefined {
  const differing = first.quantities.find(
    (q) =>
      second.quantities.some((r) => r.dim === q.dim) &&
      !second.quantities.some((r) => r.dim === q.dim && r.value === q.value),
  );
  if (differing) {
    const other = second.quantities.find((r) => r.dim === differing.dim)!;
    return {
      kind: "number",
      subject,
      message: `${first.rule.rule_id} (${where(first.rule)}) and ${second.rule.rule_id} (${where(second.rule)}) give different values for "${subject}": ${differing.text} vs ${other.text}.`,
      rules: [ruleRef(first.rule), ruleRef(second.rule)],
      values: [differing.text, other.text],
    };
  }
  const sameQuantities =
    first.signature.slice(first.signature.indexOf("|")) === second.signature.slice(second.signature.indexOf("|"));
  if (!sameQuantities || first.negative === second.negative) return undefined;
  const pos = first.negative ? second.rule : first.rule;
  const neg = first.negative ? first.rule : second.rule;
  if (pos.priority === "MAY" && neg.priority === "SHOULD NOT") return undefined;
  return {
    kind: "polarity",
    subject,
    message: `${pos.rule_id} (${pos.priority}, ${where(pos)}) and ${neg.rule_id} (${neg.priority}, ${where(neg)}) contradict each other on "${subject}".`,
    rules: [ruleRef(first.rule), ruleRef(second.rule)],
  };
}

function where(rule: DesignRuleSpec): string {
  return rule.source.document ? `${rule.source.document}:${rule.source.line}` : `line ${rule.source.line}`;
}

const QUANTITY =
  /(?<!\d)(\d+(?:\.\d+)?) ?(milliseconds?|ms|밀리초|seconds?|secs?|s|초|minutes?|mins?|분|hours?|hrs?|h|시간|days?|일|tb|gb|mb|kb|bytes?|바이트|%|퍼센트|개|건|회|times|req\/s|rps)(?![a-z])[가-힣]{0,2}/gi;
const UNITS: Readonly<Record<string, [string, number]>> = {
  ms: ["time", 1],
  millisecond: ["time", 1],
  밀리초: ["time", 1],
  s: ["time", 1000],
  sec: ["time", 1000],
  second: ["time", 1000],
  초: ["time", 1000],
  min: ["time", 60_000],
  minute: ["time", 60_000],
  분: ["time", 60_000],
  h: ["time", 3_600_000],
  hr: ["time", 3_600_000],
  hour: ["time", 3_600_000],
  시간: ["time", 3_600_000],
  day: ["time", 86_400_000],
  일: ["time", 86_400_000],
  byte: ["size", 1],
  바이트: ["size", 1],
  kb: ["size", 1024],
  mb: ["size", 1024 ** 2],
  gb: ["size", 1024 ** 3],
  tb: ["size", 1024 ** 4],
  "%": ["percent", 1],
  퍼센트: ["percent", 1],
  개: ["count", 1],
  건: ["count", 1],
  회: ["count", 1],
  times: ["count", 1],
  "req/s": ["rate", 1],
  rps: ["rate", 1],
};

const JOSA = [
  "에서는",
  "에게서",
  "으로는",
  "으로서",
  "으로써",
  "에서",
  "에게",
  "으로",
  "까지",
  "부터",
  "보다",
  "처럼",
  "만큼",
  "이나",
  "에는",
  "은",
  "는",
  "이",
  "가",
  "을",
  "를",
  "의",
  "에",
  "로",
  "와",
  "과",
  "도",
  "만",
];
const VERB_ENDINGS = [
  "하여서는",
  "해서는",
  "하여야",
  "되어야",
  "하도록",
  "해선",
  "하면",
  "해야",
  "하지",
  "하는",
  "한다",
  "하기",
  "돼야",
  "되면",
  "되는",
  "된다",
  "하여",
  "해",
  "하",
  "할",
  "함",
  "됨",
  "되",
];
const STOPWORDS = new Set([
  "모든",
  "각",
  "각각의",
  "전체",
  "반드시",
  "항상",
  "절대",
  "절대로",
  "가능하면",
  "되도록",
  "것",
  "수",
  "및",
  "등",
  "또는",
  "그리고",
  "해당",
  "그",
  "이",
  "the",
  "a",
  "an",
  "all",
  "every",
  "each",
  "any",
  "always",
  "to",
  "of",
  "in",
  "on",
  "for",
  "and",
  "or",
  "be",
  "is",
  "are",
  "it",
  "its",
  "that",
  "this",
  "these",
  "those",
  "with",
  "by",
  "as",
  "at",
  "from",
  "must",
  "shall",
  "should",
  "may",
  "not",
  "required",
  "recommended",
  "optional",
]);

/** The subject of a rule sentence (see the module comment) and its quantities. */
export function subjectOf(description: string): { key: string; quantities: Quantity[] } {
  const clean = cleanSentence(description);
  const modal = detectModal(clean);
  let s = modal?.endingAt !== undefined ? clean.slice(0, modal.endingAt) : clean;
  const quantities: Quantity[] = [];
  QUANTITY.lastIndex = 0;
  s = s.replace(QUANTITY, (text: string, value: string, unit: string) => {
    const u = unit.toLowerCase().replace(/s$/, "");
    const def = UNITS[u] ?? UNITS[unit.toLowerCase()];
    const written = text.slice(0, text.indexOf(unit) + unit.length).trim();
    if (def) quantities.push({ dim: def[0], value: Number(value) * def[1], text: written });
    return " ";
  });
  const words = s
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}_./-]+/u)
    .filter(Boolean);
  const tokens: string[] = [];
  for (let k = 0; k < words.length; k++) {
    let w = stripSuffix(words[k]!, JOSA);
    if (k === words.length - 1) w = stripSuffix(w, VERB_ENDINGS);
    if (/^[a-z]{4,}s$/.test(w)) w = w.slice(0, -1);
    if (w && !STOPWORDS.has(w)) tokens.push(w);
  }
  const set = [...new Set(tokens)].sort();
  return { key: set.length >= 2 ? set.join(" ") : "", quantities };
}

function stripSuffix(word: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes) {
    if (word.length > suffix.length && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}
