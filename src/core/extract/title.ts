/**
 * A rule's title: its sentence, shortened sensibly. Sentences up to 60 characters are kept
 * whole (without the final period); longer ones are cut at the first clause boundary between
 * the 15th and 60th character (", ", "; ", " — ", "하며 ", "하고 ", "이며 "), else at a word
 * near the 60th character with an ellipsis.
 */
import { shortTitle } from "../spec/design-rule-spec.js";
import { trimEndChars } from "../text.js";

const MAX = 60;
const MIN_CLAUSE = 15;
const BOUNDARIES = [", ", "; ", " — ", " – ", " - ", "하며 ", "하고 ", "이며 ", "되며 ", "이고 "];

export function ruleTitle(sentence: string): string {
  const s = trimEndChars(sentence.replace(/\s+/g, " ").trim(), ".。");
  if (s.length <= MAX) return s;
  let cut = -1;
  for (const b of BOUNDARIES) {
    const at = s.indexOf(b, MIN_CLAUSE);
    if (at !== -1 && at <= MAX && (cut === -1 || at < cut)) cut = b.endsWith(" ") && !b.startsWith(" ") && /[가-힣]/.test(b) ? at + b.length - 1 : at;
  }
  if (cut !== -1) return s.slice(0, cut).trim();
  return shortTitle(s, MAX);
}
