/**
 * Sentence splitting for Korean and English prose, by a single left-to-right scan (linear time,
 * no regex backtracking over the text).
 *
 * A sentence ends at `.` `!` `?` (and their full-width forms) followed by white space or the end,
 * unless the word before a `.` is a known abbreviation (e.g., i.e., etc., vs.) or a single letter.
 * A line break ends a sentence when the line ends with terminal punctuation, a colon, or a Korean
 * sentence ending (…다, …요, …함, …음, …됨, …임, …금지, …권장); any other line break is a soft
 * wrap and reads as a space.
 */

export interface Sentence {
  /** The sentence, trimmed; soft line breaks kept as `\n`. */
  text: string;
  /** Offset of the sentence's first character in the input. */
  start: number;
}

const TERMINATORS = new Set([".", "!", "?", "。", "！", "？"]);
const CLOSERS = new Set([")", "]", '"', "'", "」", "』", "”", "’", "*", "_", "`"]);
const ABBREVIATIONS = new Set(["e.g", "i.e", "etc", "vs", "cf", "approx", "mr", "ms", "dr", "no", "fig", "eq", "incl", "esp", "resp", "ca", "al"]);
/** Syllables that end a Korean sentence when they end a line. */
const KO_LINE_ENDINGS = new Set(["다", "요", "함", "음", "됨", "임", "것"]);
const KO_LINE_ENDINGS_2 = new Set(["금지", "권장", "필수"]);

/** Splits `text` into sentences with their start offsets. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const emit = (end: number) => {
    let a = start;
    let b = end;
    while (a < b && isSpace(text.charCodeAt(a))) a++;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    if (b > a) out.push({ text: text.slice(a, b), start: a });
    start = end;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (TERMINATORS.has(c)) {
      let j = i + 1;
      while (j < n && (TERMINATORS.has(text[j]!) || CLOSERS.has(text[j]!))) j++;
      if (j < n && !isSpace(text.charCodeAt(j))) continue;
      if (c === "." && j === i + 1 && isAbbreviation(text, i)) continue;
      emit(j);
      i = j - 1;
    } else if (c === "\n") {
      if (lineEnds(text, start, i)) emit(i);
    }
  }
  emit(n);
  return out;
}

/** Whether the line that ends at `nl` (a `\n`) ends a sentence. */
function lineEnds(text: string, from: number, nl: number): boolean {
  let k = nl - 1;
  while (k >= from && isSpace(text.charCodeAt(k))) k--;
  if (k < from) return false;
  const last = text[k]!;
  if (TERMINATORS.has(last) || last === ":" || last === "：") return true;
  if (KO_LINE_ENDINGS.has(last)) return true;
  return k > from && KO_LINE_ENDINGS_2.has(text.slice(k - 1, k + 1));
}

/** The word before the `.` at `dot` is an abbreviation or a lone letter (`e.g.`, `U.S.`). */
function isAbbreviation(text: string, dot: number): boolean {
  let k = dot - 1;
  while (k >= 0 && !isSpace(text.charCodeAt(k)) && text[k] !== "(") k--;
  const word = text.slice(k + 1, dot).toLowerCase();
  if (word.length === 1 && /[a-z]/.test(word)) return true;
  return ABBREVIATIONS.has(word);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xa0 || code === 0x3000;
}
