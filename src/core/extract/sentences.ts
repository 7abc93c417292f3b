/**
 * Sentence splitting for Korean and English prose, by a single left-to-right scan (linear time,
 * no regex backtracking over the text).
 *
 * A sentence ends at `.` `!` `?` (and their full-width forms) followed by white space or the end,
 * unless the word before a `.` is a known abbreviation (e.g., i.e., etc., vs.) or a single letter.
 * A line break ends a sentence when the line ends with terminal punctuation, a colon, or a Korean
 * sentence ending (…다, …요, …함, …음, …됨, …임, …금지, …권장); any other line break is a soft
 * wrap and reads as a space. A hard line break — a backslash or two spaces at the end of the line
 * (html_to_md writes `\` for a `<br>`), or a `<br>` tag — always ends a sentence, and its
 * backslash is not part of the sentence. Nothing inside a code span ends a sentence, even when
 * the span wraps onto the next line.
 */

export interface Sentence {
  /** The sentence, trimmed; soft line breaks kept as `\n`. */
  text: string;
  /** Offset of the sentence's first character in the input. */
  start: number;
}

const TERMINATORS = new Set([".", "!", "?", "。", "！", "？"]);
const CLOSERS = new Set([")", "]", '"', "'", "」", "』", "”", "’", "*", "_", "`"]);
const ABBREVIATIONS = new Set([
  "e.g",
  "i.e",
  "etc",
  "vs",
  "cf",
  "approx",
  "mr",
  "ms",
  "dr",
  "no",
  "fig",
  "eq",
  "incl",
  "esp",
  "resp",
  "ca",
  "al",
]);
/** Syllables that end a Korean sentence when they end a line. */
const KO_LINE_ENDINGS = new Set(["다", "요", "함", "음", "됨", "임", "것"]);
const KO_LINE_ENDINGS_2 = new Set(["금지", "권장", "필수"]);

/** Splits `text` into sentences with their start offsets. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const emit = (end: number, next = end) => {
    let a = start;
    let b = end;
    while (a < b && isSpace(text.charCodeAt(a))) a++;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    if (b > a) out.push({ text: text.slice(a, b), start: a });
    start = next;
  };
  const n = text.length;
  const spans = codeSpanEnds(text);
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === "`") {
      // Inside a code span (which may wrap onto the next line) nothing ends a sentence.
      const end = spans.get(i);
      if (end !== undefined) i = end - 1;
      else while (text[i + 1] === "`") i++;
      continue;
    }
    if (TERMINATORS.has(c)) {
      let j = i + 1;
      while (j < n && (TERMINATORS.has(text[j]!) || CLOSERS.has(text[j]!))) j++;
      if (j < n && !isSpace(text.charCodeAt(j))) continue;
      if (c === "." && j === i + 1 && isAbbreviation(text, i)) continue;
      emit(j);
      i = j - 1;
    } else if (c === "\n") {
      const hard = hardBreak(text, start, i);
      if (hard !== -1) emit(hard, i);
      else if (lineEnds(text, start, i)) emit(i);
    } else if (c === "<" && text.charCodeAt(i + 1) === 98 /* b */) {
      const br = /^<br\s*\/?>/i.exec(text.slice(i, i + 8));
      if (br) {
        emit(i, i + br[0].length);
        i += br[0].length - 1;
      }
    }
  }
  emit(n);
  return out;
}

/**
 * For the line that ends at `nl`: where its text ends when it ends in a hard break (an odd run
 * of backslashes, or two spaces), else -1.
 */
function hardBreak(text: string, from: number, nl: number): number {
  const k = nl;
  if (k - 2 >= from && text[k - 1] === " " && text[k - 2] === " ") return k - 2;
  let n = 0;
  while (k - 1 - n >= from && text[k - 1 - n] === "\\") n++;
  return n % 2 === 1 ? k - 1 : -1;
}

/**
 * Code spans: for each opening backtick run, where the span ends (after its closing run). A span
 * closes at the next run of the same length, across line breaks (CommonMark); runs are matched
 * right to left with one map, so the scan stays linear however many backticks there are.
 */
export function codeSpanEnds(text: string): Map<number, number> {
  const ends = new Map<number, number>();
  if (text.indexOf("`") === -1) return ends;
  const runs: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "`") continue;
    let j = i;
    while (j < text.length && text[j] === "`") j++;
    runs.push([i, j - i]);
    i = j - 1;
  }
  const next = new Array<number>(runs.length).fill(-1);
  const seen = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    next[k] = seen.get(runs[k]![1]) ?? -1;
    seen.set(runs[k]![1], k);
  }
  for (let k = 0; k < runs.length; k++) {
    const m = next[k]!;
    if (m === -1) continue;
    ends.set(runs[k]![0], runs[m]![0] + runs[m]![1]);
    k = m;
  }
  return ends;
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
