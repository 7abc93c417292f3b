/**
 * Is a sentence a rule, and how strong? English RFC 2119 keywords (upper case only, as RFC 8174
 * says: lower-case "must" is ordinary English — unless the caller opts in to `anyCase`) and
 * Korean modal endings.
 *
 * English keywords count when they act as the modal verb: MUST/SHALL/SHOULD/MAY (+ NOT) followed
 * by a lower-case word ("Clients MUST retry"), or by a comma and an inserted phrase ("MUST, by
 * validation, match"); and REQUIRED/RECOMMENDED/OPTIONAL after is/are/be, an adverb allowed
 * between ("is strictly OPTIONAL", "is therefore RECOMMENDED"), before a noun after an article
 * ("the RECOMMENDED limit") or in parentheses ("(RECOMMENDED)", "(string, REQUIRED)"). A keyword is a label, not a
 * rule, when a noun-like word follows it ("the MUST rules", "MUST 규칙", "(MUST)"), or when an
 * article or "use" comes before it and no verb follows ("use MUST when …"): "a multipart media
 * type MUST be used" and "the keyword SHALL be ignored" are rules. When a sentence has several
 * keywords the strongest wins, in the order of their drift points: MUST NOT > MUST > SHOULD NOT >
 * SHOULD > MAY.
 *
 * With `anyCase`, lower-case must/shall/should (+ not) and "is required/recommended" count too
 * (the reading of design documents that do not follow RFC 2119, such as KEPs and Rust RFCs);
 * lower-case "may" and "optional" do not, because they mostly say what is possible. Such a match
 * is marked `lowerCase` and its rule gets a lower reliability.
 *
 * Korean endings are read by korean.ts.
 */
import type { Priority } from "../spec/design-rule-spec.js";
import { koreanDescription, koreanModal, koreanPast, koreanQuestion } from "./korean.js";

export interface Modal {
  priority: Priority;
  /** The keyword, or the Korean ending with the word it starts in, e.g. "MUST NOT" or "저장해서는 안 된다". */
  keyword: string;
  language: "en" | "ko";
  /** For Korean: the offset in the cleaned sentence where the ending starts (the rest is the statement). */
  endingAt?: number;
  /** For English: the offset of the keyword in the cleaned sentence. */
  at?: number;
  /** A lower-case English keyword, read only with `anyCase`. */
  lowerCase?: boolean;
}

export interface ModalOptions {
  /** Also read lower-case must/shall/should and "is required/recommended" (see the module comment). */
  anyCase?: boolean | undefined;
  /** The sentence ended in a colon: a keyword that ends it is a lead-in's modal ("Servers MUST:"). */
  leadIn?: boolean | undefined;
}

export type RejectReason = "question" | "past_tense" | "too_short" | "description";

const STRENGTH: Readonly<Record<Priority, number>> = { "MUST NOT": 5, MUST: 4, "SHOULD NOT": 3, SHOULD: 2, MAY: 1 };

/** The keyword, then the next word — right after it, or after an inserted phrase between commas ("MUST, by validation, match"). */
const EN_MODAL = /(?<![A-Za-z])(MUST|SHALL|SHOULD|MAY)( NOT)?(?= ["“']?([a-z]+)|, [a-z][^,.;:]{0,60}, ([a-z]+))/g;
const EN_MODAL_ANY =
  /(?<![A-Za-z])(MUST|SHALL|SHOULD|MAY|must|shall|should)( NOT| not)?(?= ["“']?([a-z]+)|, [a-z][^,.;:]{0,60}, ([a-z]+))/g;
/** A keyword that ends a lead-in ("Servers MUST:", "Both parties MUST NOT:"). */
const EN_MODAL_END = /(?<![A-Za-z])(MUST|SHALL|SHOULD|MAY)( NOT)?$/;
/** Words before a keyword that make it a noun ("use MUST for …", "the SHOULD rules") unless a verb follows. */
const NOUN_BEFORE = new Set([
  "a",
  "an",
  "the",
  "use",
  "uses",
  "using",
  "as",
  "of",
  "each",
  "every",
  "label",
  "word",
  "words",
  "keyword",
  "keywords",
]);
/** Words after a keyword that make it a noun or a label, whatever comes before. */
const NOUN_AFTER = new Set([
  "for",
  "in",
  "of",
  "and",
  "or",
  "is",
  "are",
  "was",
  "were",
  "rule",
  "rules",
  "keyword",
  "keywords",
  "level",
  "levels",
  "requirement",
  "requirements",
  "items",
  "item",
  "as",
  "to",
  "vs",
  "versus",
  "means",
  "mean",
  "indicates",
  "denotes",
  "marks",
  "signals",
  "statements",
  "sentences",
  "clauses",
]);
/** Words that only a verb phrase starts with: after these, the keyword is the modal whatever comes before. */
const VERB_AFTER = new Set([
  "be",
  "have",
  "not",
  "only",
  "also",
  "always",
  "never",
  "still",
  "then",
  "either",
  "both",
  "just",
  "instead",
  "therefore",
  "thus",
  "now",
  "already",
  "first",
  "otherwise",
]);
const EN_ADJECTIVE =
  /(?<![A-Za-z])(is|are|be|been|was|were)( NOT| not)?((?: [a-z]+ly| therefore| also| then| thus| still| always| not){0,2}) (REQUIRED|RECOMMENDED|OPTIONAL)(?![A-Za-z])/g;
const EN_ADJECTIVE_ANY =
  /(?<![A-Za-z])(is|are|be|been|was|were)( NOT| not)?((?: [a-z]+ly| therefore| also| then| thus| still| always| not){0,2}) (REQUIRED|RECOMMENDED|OPTIONAL|required|recommended)(?![A-Za-z])/g;
/** A marker before a noun or in parentheses: "the RECOMMENDED limit", "an OPTIONAL field", "(RECOMMENDED)", "(string, REQUIRED)". */
const EN_MARKER =
  /(?<![A-Za-z])(?:(?:[Tt]he|[Aa]n?) (NOT )?(REQUIRED|RECOMMENDED|OPTIONAL) [a-z]|\((?:[^()]{0,40}, ?)?(NOT )?(REQUIRED|RECOMMENDED|OPTIONAL)\))/g;
const EN_PAST_MODAL = /(?<![A-Za-z])(?:was|were|had)( NOT)? (?:REQUIRED|RECOMMENDED|OPTIONAL)(?![A-Za-z])/;

/**
 * A cheap test on a whole block: can any of its sentences be (or look like) a rule? Covers every
 * English keyword, every Korean ending above and every RULE_HINT; blocks without a match are
 * skipped unread.
 */
const MAYBE_RULE =
  /(?<![A-Za-z])(?:MUST|SHALL|SHOULD|MAY|REQUIRED|RECOMMENDED|OPTIONAL)(?![A-Za-z])|야|안 ?[된됩됨됐돼되]|금지|권장|바람직|좋[다습음]|수 ?[있없]|지양|마[세십]|말 ?것|말아|무방|허용/;
const MAYBE_RULE_ANY = /(?<![A-Za-z])(?:must|shall|should|required|recommended)(?![A-Za-z])/i;

export function mayHoldRule(text: string, options: ModalOptions = {}): boolean {
  return MAYBE_RULE.test(text) || (options.anyCase === true && MAYBE_RULE_ANY.test(text));
}

/** Words that suggest a rule: used only to count sentences that were turned down. */
const RULE_HINT =
  /(?<![A-Za-z])(?:MUST|SHALL|SHOULD|MAY|REQUIRED|RECOMMENDED|OPTIONAL)(?![A-Za-z])|야 ?[하한합함했]|안 ?[된됩됨됐돼]|금지|권장|바람직|수 ?있|수 ?없|것이 ?좋/;

/** A parenthetical that states a rule itself ("(which SHOULD be 400 days or less)", "(RECOMMENDED)"): kept. */
const KEYWORD_IN_PARENS =
  /(?<![A-Za-z])(?:(?:MUST|SHALL|SHOULD|MAY)(?: NOT)? [a-z]|(?:REQUIRED|RECOMMENDED|OPTIONAL)(?![A-Za-z]))/;

/**
 * The sentence with its tail punctuation, closing quotes and one trailing parenthetical
 * ("… 사용해야 함 (ID 누락)", but not one that states a rule) removed, white space collapsed.
 * Endings are matched on this.
 */
export function cleanSentence(sentence: string): string {
  let s = sentence.replace(/\s+/g, " ").trim();
  for (let k = 0; k < 3; k++) {
    const before = s;
    s = trimEnd(s, TAIL_PUNCTUATION);
    if (s.endsWith(")") || s.endsWith("）")) {
      const open = Math.max(s.lastIndexOf("("), s.lastIndexOf("（"));
      if (open > 0 && s.length - open <= 80 && !KEYWORD_IN_PARENS.test(s.slice(open))) s = s.slice(0, open);
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
export function detectModal(clean: string, options: ModalOptions = {}): Modal | undefined {
  const anyCase = options.anyCase === true;
  let best: Modal | undefined;
  const consider = (m: Modal) => {
    if (!best || STRENGTH[m.priority] > STRENGTH[best.priority]) best = m;
  };
  const modal = anyCase ? EN_MODAL_ANY : EN_MODAL;
  modal.lastIndex = 0;
  for (let m = modal.exec(clean); m; m = modal.exec(clean)) {
    const next = m[3] ?? m[4]!;
    const lowerCase = m[1] !== m[1]!.toUpperCase();
    if (lowerCase && !lowerCaseModal(clean, m.index, m[1]!, next)) continue;
    if (NOUN_AFTER.has(next) || (NOUN_BEFORE.has(wordBefore(clean, m.index)) && !VERB_AFTER.has(next))) continue;
    const word = m[1]!.toUpperCase();
    const verb = word === "SHALL" ? "MUST" : (word as "MUST" | "SHOULD" | "MAY");
    const priority = (m[2] ? (verb === "MAY" ? undefined : `${verb} NOT`) : verb) as Priority | undefined;
    if (priority)
      consider({
        priority,
        keyword: `${m[1]}${m[2] ?? ""}`,
        language: "en",
        at: m.index,
        ...(lowerCase ? { lowerCase } : {}),
      });
  }
  const adjective = anyCase ? EN_ADJECTIVE_ANY : EN_ADJECTIVE;
  adjective.lastIndex = 0;
  for (let m = adjective.exec(clean); m; m = adjective.exec(clean)) {
    if (/^(?:was|were)$/.test(m[1]!)) continue;
    // "would be required", "could be RECOMMENDED": a condition, not a requirement.
    if (m[1] === "be" && /^(?:would|could|might)$/.test(wordBefore(clean, m.index))) continue;
    const word = m[4]!;
    const lowerCase = word !== word.toUpperCase();
    const negated = m[2] !== undefined || / not\b/.test(m[3] ?? "");
    const upper = word.toUpperCase();
    let priority: Priority | undefined;
    if (upper === "REQUIRED") priority = negated ? undefined : "MUST";
    else if (upper === "RECOMMENDED") priority = negated ? "SHOULD NOT" : "SHOULD";
    else priority = negated ? undefined : "MAY";
    const at = m.index + m[0].length - word.length;
    if (priority)
      consider({
        priority,
        keyword: `${negated ? "NOT " : ""}${word}`,
        language: "en",
        at,
        ...(lowerCase ? { lowerCase } : {}),
      });
  }
  EN_MARKER.lastIndex = 0;
  for (let m = EN_MARKER.exec(clean); m; m = EN_MARKER.exec(clean)) {
    const word = m[2] ?? m[4]!;
    const negated = (m[1] ?? m[3]) !== undefined;
    const priority: Priority | undefined =
      word === "REQUIRED"
        ? negated
          ? undefined
          : "MUST"
        : word === "RECOMMENDED"
          ? negated
            ? "SHOULD NOT"
            : "SHOULD"
          : negated
            ? undefined
            : "MAY";
    if (priority)
      consider({
        priority,
        keyword: `${negated ? "NOT " : ""}${word}`,
        language: "en",
        at: m.index + m[0].indexOf(word),
      });
  }
  if (!best && options.leadIn) {
    const end = EN_MODAL_END.exec(clean);
    if (end && clean.slice(0, end.index).trim() !== "") {
      const word = end[1]!.toUpperCase();
      const verb = word === "SHALL" ? "MUST" : (word as "MUST" | "SHOULD" | "MAY");
      const priority = (end[2] ? (verb === "MAY" ? undefined : `${verb} NOT`) : verb) as Priority | undefined;
      if (priority) best = { priority, keyword: `${end[1]}${end[2] ?? ""}`, language: "en", at: end.index };
    }
  }
  return best ?? koreanModal(clean);
}

/**
 * Why a sentence that reads like a rule is not one, or undefined. `clean` is the cleaned form,
 * `raw` the sentence as written (for its question mark); `rulesSection` says whether it sits under
 * a heading that names rules (see koreanDescription).
 */
export function rejectReason(
  raw: string,
  clean: string,
  modal: Modal | undefined,
  rulesSection = false,
): RejectReason | undefined {
  const trimmed = raw.trim();
  if (/[?？]["'”’)*_]*$/.test(trimmed) || koreanQuestion(clean)) return "question";
  if (EN_PAST_MODAL.test(clean) || koreanPast(clean)) return "past_tense";
  if (modal?.language === "ko" && koreanDescription(clean, modal.priority, rulesSection)) return "description";
  if (modal) {
    const statement = modal.endingAt !== undefined ? clean.slice(0, modal.endingAt) : clean.replace(modal.keyword, " ");
    if (statement.replace(/[^\p{L}\p{N}]+/gu, "").length < 3) return "too_short";
  }
  return undefined;
}

/** Whether a turned-down sentence looked like a rule (for the `rejected` counters). */
export function looksLikeRule(clean: string): boolean {
  return (
    RULE_HINT.test(clean.slice(-48)) ||
    /(?<![A-Za-z])(?:MUST|SHALL|SHOULD|MAY|REQUIRED|RECOMMENDED)(?![A-Za-z])/.test(clean)
  );
}

/**
 * A lower-case must/shall/should reads as a requirement only as a modal with a subject before it:
 * not sentence-first ("Should the call fail, …" is a condition), not "should have been" (a past
 * that did not happen), not "must-have".
 */
function lowerCaseModal(clean: string, at: number, word: string, next: string): boolean {
  if (clean.slice(0, at).trim() === "") return false;
  if (next === "have" && /^ ?(?:not )?have been\b/.test(clean.slice(at + word.length).replace(/^ not/, " not")))
    return false;
  return true;
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
