/**
 * A rule's title: the clause that states the requirement, shortened sensibly.
 *
 * Sentences up to 60 characters are kept whole (without the final period, comma or colon). A longer one is cut
 * down to its normative clause — the one that holds the keyword or the Korean ending: a leading
 * condition or purpose ("To be considered as a match, …", "If the server …, …", "…하려면, …",
 * "…경우, …") is dropped. What is left, if still longer than 60 characters, is cut at a word with
 * an ellipsis, keeping the keyword in view: from the clause's start when the keyword comes early,
 * else from a few words before the keyword (English) or up to the ending (Korean, whose ending
 * closes the sentence).
 */
import { shortTitle } from "../spec/rule-terms.js";
import { trimEndChars } from "../text.js";
import { cleanSentence, detectModal } from "./modal.js";

const MAX = 60;
/** Words that open a leading adverbial clause in English: the clause before its comma is a condition, not the rule. */
const LEADING =
  /^(?:if|when|whenever|where|while|unless|although|though|since|because|once|after|before|as|upon|on|in|for|to|with|without|otherwise|however|additionally|also|then|thus|therefore|for example|e\.g\.|i\.e\.|note that|in addition|at|during|by|from|given|depending|regardless|similarly|finally|first|second|third)\b/i;

export function ruleTitle(sentence: string): string {
  const s = trimEndChars(sentence.replace(/\s+/g, " ").trim(), ".。,;:，；：");
  if (s.length <= MAX) return s;
  const modal = detectModal(cleanSentence(s));
  const at = modal === undefined ? -1 : modal.language === "ko" ? (modal.endingAt ?? -1) : (modal.at ?? -1);
  if (at < 0) return shortTitle(s, MAX);
  if (modal!.language === "ko") return koreanTitle(s, at);
  const start = clauseStart(s, at, modal!.language);
  const clause =
    start > 0 && modal!.language === "en" ? s.charAt(start).toUpperCase() + s.slice(start + 1) : s.slice(start);
  if (clause.length <= MAX) return clause;
  const k = at - (s.length - clause.length);
  if (k <= MAX - 15) return shortTitle(clause, MAX);
  // Start a few words before the keyword, so its subject stays in view.
  let from = clause.lastIndexOf(" ", Math.max(0, k - 25));
  from = from <= 0 ? 0 : from + 1;
  return `…${shortTitle(clause.slice(from), MAX - 1)}`;
}

/**
 * A Korean sentence's title: its first clause (up to a comma) that states a rule itself
 * ("…두어야 하며, …"), else the clause its ending closes ("…이상이라면, …완료해야 합니다").
 */
function koreanTitle(s: string, endingAt: number): string {
  let from = 0;
  for (let c = s.indexOf(", "); c !== -1 && c < endingAt; c = s.indexOf(", ", c + 2)) {
    const piece = s.slice(from, c);
    const own = detectModal(cleanSentence(piece));
    if (own?.language === "ko") return piece.length <= MAX ? piece : tail(piece, own.endingAt ?? piece.length);
    from = c + 2;
  }
  const clause = s.slice(from);
  return clause.length <= MAX ? clause : tail(clause, endingAt - from);
}

/**
 * Where an English normative clause starts: after the last comma before the keyword that closes
 * a leading condition (the sentence starts with one of LEADING), or 0.
 */
function clauseStart(s: string, at: number, language: "en" | "ko"): number {
  if (language === "en" && !LEADING.test(s)) return 0;
  const comma = s.lastIndexOf(", ", at);
  if (comma <= 0) return 0;
  const start = comma + 2;
  // A clause of a word or two ("it MUST …") is still the rule; one with nothing before the keyword is not a clause.
  return at - start >= 1 ? start : 0;
}

/** A Korean clause, whose ending closes it: its last MAX characters from a word boundary, after an ellipsis. */
function tail(clause: string, endingAt: number): string {
  if (clause.length - endingAt > MAX - 1) return shortTitle(clause, MAX);
  let from = clause.indexOf(" ", clause.length - (MAX - 1));
  from = from === -1 ? clause.length - (MAX - 1) : from + 1;
  return `…${clause.slice(from)}`;
}
