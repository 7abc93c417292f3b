/**
 * Is a sentence a rule, and how strong? English RFC 2119 keywords (upper case only, as RFC 8174
 * says: lower-case "must" is ordinary English) and Korean modal endings.
 *
 * English keywords count when they act as the modal verb: MUST/SHALL/SHOULD/MAY (+ NOT) followed
 * by a lower-case word ("Clients MUST retry"), and REQUIRED/RECOMMENDED/OPTIONAL after is/are/be.
 * "MUST 규칙" or "(MUST)" are labels, not rules. When a sentence has several keywords the
 * strongest wins, in the order of their drift points: MUST NOT > MUST > SHOULD NOT > SHOULD > MAY.
 *
 * Korean endings are read at the end of the sentence only, so reported or past speech
 * ("…해야 한다고 했다", "…해야 했다") is not a rule. All patterns are anchored on the last 48
 * characters and have no nested quantifiers.
 */
import type { Priority } from "../spec/design-rule-spec.js";

export interface Modal {
  priority: Priority;
  /** The keyword, or the Korean ending with the word it starts in, e.g. "MUST NOT" or "저장해서는 안 된다". */
  keyword: string;
  language: "en" | "ko";
  /** For Korean: the offset in the cleaned sentence where the ending starts (the rest is the statement). */
  endingAt?: number;
}

export type RejectReason = "question" | "past_tense" | "too_short" | "description";

const STRENGTH: Readonly<Record<Priority, number>> = { "MUST NOT": 5, MUST: 4, "SHOULD NOT": 3, SHOULD: 2, MAY: 1 };

const EN_MODAL = /\b(MUST|SHALL|SHOULD|MAY)( NOT)?(?= ([a-z]+))/g;
/** Words around a keyword that make it a noun ("use MUST for …", "the SHOULD rules"). */
const NOUN_BEFORE = new Set(["a", "an", "the", "use", "uses", "using", "used", "keyword", "keywords", "word", "words", "as", "of", "each", "every", "label", "type"]);
const NOUN_AFTER = new Set(["for", "in", "of", "and", "or", "is", "are", "was", "were", "rule", "rules", "keyword", "keywords", "level", "levels", "requirement", "requirements", "items", "item", "as", "to", "vs", "versus", "means"]);
const EN_ADJECTIVE = /\b(is|are|be|been|was|were)( NOT)? (REQUIRED|RECOMMENDED|OPTIONAL)\b/g;
const EN_PAST_MODAL = /\b(?:was|were|had)( NOT)? (?:REQUIRED|RECOMMENDED|OPTIONAL)\b/;

/** Korean endings, most specific first (negations before the positive forms they contain). */
const KO_ENDINGS: readonly [RegExp, Priority][] = [
  [/(?:하지|지) ?않는 ?것이 ?(?:좋다|좋습니다|좋음|바람직하다|바람직합니다|바람직함)$/, "SHOULD NOT"],
  [/(?:하지|지) ?않(?:기를|는 ?것을) ?권장(?:한다|합니다|함|된다|됩니다|됨)$/, "SHOULD NOT"],
  [/권장(?:하지|되지) ?않(?:는다|습니다|음)$/, "SHOULD NOT"],
  [/지양(?:한다|합니다|함|해야 ?한다|해야 ?합니다|해야 ?함)?$/, "SHOULD NOT"],
  [/비권장(?:이다|입니다)?$/, "SHOULD NOT"],
  [/(?:서는|선|면) ?안 ?(?:된다|됩니다|됨|되며|돼요|돼|되다)$/, "MUST NOT"],
  [/지 ?않아야 ?(?:한다|합니다|함|된다|됩니다|됨)$/, "MUST NOT"],
  [/지 ?(?:마세요|마십시오|말 ?것|말아야 ?(?:한다|합니다|함))$/, "MUST NOT"],
  [/(?:허용되지|허용하지) ?않(?:는다|습니다|음)$/, "MUST NOT"],
  [/금지(?:한다|합니다|함|된다|됩니다|됨|이다|입니다)?$/, "MUST NOT"],
  [/수 ?없(?:다|습니다|음)$/, "MUST NOT"],
  [/권장(?:한다|합니다|함|된다|됩니다|됨|이다|입니다)?$/, "SHOULD"],
  [/것이 ?(?:좋다|좋습니다|좋음)$/, "SHOULD"],
  [/바람직(?:하다|합니다|함)$/, "SHOULD"],
  [/야 ?(?:한다|합니다|함|하며|된다|됩니다|됨)$/, "MUST"],
  [/수 ?(?:있다|있습니다|있음)$/, "MAY"],
  [/(?:해도|어도|아도|여도) ?(?:된다|됩니다|됨|무방하다|무방합니다)$/, "MAY"],
];

/**
 * "…할 수 있다" also describes what a reader can do or see ("버튼을 클릭하면 목록을 확인할 수
 * 있습니다"). Such a Korean MAY sentence is a description, not a permission, when the verb before
 * 수 있다 is one of seeing or finding out, or when a condition ("…하면 ") or a click ("버튼을
 * 클릭하여 ") leads to it.
 */
const KO_SEEING = /(?:확인할|볼|살펴볼|조회할|열람할|미리보기할|찾을|알|참고할|이용할|활용할|경험할|만나볼|다운로드 ?받을) ?수 ?(?:있다|있습니다|있음)$/;
const KO_CONDITION = /[가-힣]면[ ,]|(?:클릭|눌러|누르)[가-힣]*[ ,]/;
const KO_QUESTION = /(?:인가|는가|을까|할까|습니까|나요|까요|는지|을지)$/;
const KO_PAST = /(?:했다|였다|었다|았다|됐다|되었다|했습니다|였습니다|었습니다|았습니다|됐습니다|되었습니다|했음|였음|었음|았음)$/;
/**
 * A cheap test on a whole block: can any of its sentences be (or look like) a rule? Covers every
 * English keyword, every Korean ending above and every RULE_HINT; blocks without a match are
 * skipped unread.
 */
const MAYBE_RULE = /\b(?:MUST|SHALL|SHOULD|MAY|REQUIRED|RECOMMENDED|OPTIONAL)\b|야|안 ?[된됩됨됐돼되]|금지|권장|바람직|좋[다습음]|수 ?[있없]|지양|마[세십]|말 ?것|말아|무방|허용/;

export function mayHoldRule(text: string): boolean {
  return MAYBE_RULE.test(text);
}

/** Words that suggest a rule: used only to count sentences that were turned down. */
const RULE_HINT = /\b(?:MUST|SHALL|SHOULD|MAY|REQUIRED|RECOMMENDED|OPTIONAL)\b|야 ?[하한합함했]|안 ?[된됩됨됐돼]|금지|권장|바람직|수 ?있|수 ?없|것이 ?좋/;

/**
 * The sentence with its tail punctuation, closing quotes and one trailing parenthetical
 * ("… 사용해야 함 (ID 누락)") removed, white space collapsed. Endings are matched on this.
 */
export function cleanSentence(sentence: string): string {
  let s = sentence.replace(/\s+/g, " ").trim();
  for (let k = 0; k < 3; k++) {
    const before = s;
    s = trimEnd(s, TAIL_PUNCTUATION);
    if (s.endsWith(")") || s.endsWith("）")) {
      const open = Math.max(s.lastIndexOf("("), s.lastIndexOf("（"));
      if (open > 0 && s.length - open <= 80) s = s.slice(0, open);
    }
    if (s === before) break;
  }
  return s.trim();
}

const TAIL_PUNCTUATION = new Set([..."。.!！:：;,\"'”’」』*_ \t"]);

/** `s` without the characters of `set` at its end (a loop: an end-anchored regex would be quadratic). */
function trimEnd(s: string, set: ReadonlySet<string>): string {
  let end = s.length;
  while (end > 0 && set.has(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** The modal of a cleaned sentence, or undefined when it states no rule. */
export function detectModal(clean: string): Modal | undefined {
  let best: Modal | undefined;
  EN_MODAL.lastIndex = 0;
  for (let m = EN_MODAL.exec(clean); m; m = EN_MODAL.exec(clean)) {
    if (NOUN_AFTER.has(m[3]!) || NOUN_BEFORE.has(wordBefore(clean, m.index))) continue;
    const verb = m[1] === "SHALL" ? "MUST" : (m[1] as "MUST" | "SHOULD" | "MAY");
    const priority = (m[2] ? (verb === "MAY" ? undefined : `${verb} NOT`) : verb) as Priority | undefined;
    if (priority && (!best || STRENGTH[priority] > STRENGTH[best.priority])) best = { priority, keyword: `${m[1]}${m[2] ?? ""}`, language: "en" };
  }
  EN_ADJECTIVE.lastIndex = 0;
  for (let m = EN_ADJECTIVE.exec(clean); m; m = EN_ADJECTIVE.exec(clean)) {
    if (/^(?:was|were)$/.test(m[1]!)) continue;
    const word = m[3]!;
    const negated = m[2] !== undefined;
    let priority: Priority | undefined;
    if (word === "REQUIRED") priority = negated ? undefined : "MUST";
    else if (word === "RECOMMENDED") priority = negated ? "SHOULD NOT" : "SHOULD";
    else priority = negated ? undefined : "MAY";
    if (priority && (!best || STRENGTH[priority] > STRENGTH[best.priority])) best = { priority, keyword: `${negated ? "NOT " : ""}${word}`, language: "en" };
  }
  if (best) return best;
  const tailStart = Math.max(0, clean.length - 48);
  const tail = clean.slice(tailStart);
  for (const [re, priority] of KO_ENDINGS) {
    const m = re.exec(tail);
    if (m) {
      const at = tailStart + m.index;
      const wordStart = clean.lastIndexOf(" ", at - 1) + 1;
      return { priority, keyword: clean.slice(wordStart), language: "ko", endingAt: at };
    }
  }
  return undefined;
}

/**
 * Why a sentence that reads like a rule is not one, or undefined. `clean` is the cleaned form,
 * `raw` the sentence as written (for its question mark).
 */
export function rejectReason(raw: string, clean: string, modal: Modal | undefined): RejectReason | undefined {
  const trimmed = raw.trim();
  if (/[?？]["'”’)*_]*$/.test(trimmed) || KO_QUESTION.test(clean)) return "question";
  if (EN_PAST_MODAL.test(clean) || KO_PAST.test(clean)) return "past_tense";
  if (modal?.language === "ko" && modal.priority === "MAY" && (KO_SEEING.test(clean) || KO_CONDITION.test(clean))) return "description";
  if (modal) {
    const statement = modal.endingAt !== undefined ? clean.slice(0, modal.endingAt) : clean.replace(modal.keyword, " ");
    if (statement.replace(/[^\p{L}\p{N}]+/gu, "").length < 3) return "too_short";
  }
  return undefined;
}

/** Whether a turned-down sentence looked like a rule (for the `rejected` counters). */
export function looksLikeRule(clean: string): boolean {
  return RULE_HINT.test(clean.slice(-48)) || /\b(?:MUST|SHALL|SHOULD|MAY|REQUIRED|RECOMMENDED)\b/.test(clean);
}

function wordBefore(text: string, at: number): string {
  let end = at;
  while (end > 0 && text[end - 1] === " ") end--;
  let start = end;
  while (start > 0 && /[A-Za-z]/.test(text[start - 1]!)) start--;
  return text.slice(start, end).toLowerCase();
}

/** Whether a priority is a prohibition. */
export function isNegative(priority: Priority): boolean {
  return priority === "MUST NOT" || priority === "SHOULD NOT";
}
