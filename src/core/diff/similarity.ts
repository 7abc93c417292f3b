/**
 * How alike two rule statements are: the Jaccard index of their token sets, |A ∩ B| / |A ∪ B|
 * (0 = nothing shared, 1 = the same tokens).
 *
 * Tokens, after NFKC normalisation and lower-casing, of the first {@link MAX_STATEMENT_CHARS}
 * characters:
 * - a run of Hangul becomes its character bigrams ("컨트롤러는" → 컨트, 트롤, 롤러, 러는), so a
 *   particle or an ending that changes ("컨트롤러가") leaves most of the word's tokens shared; a
 *   single syllable stays one token;
 * - any other run of letters and digits is one word, with a plural "s" dropped from words of four
 *   letters or more ("requests" → "request");
 * - punctuation, Markdown and spacing are not tokens.
 */

/** Only this much of a statement is compared: a rule is a sentence, not a chapter. */
export const MAX_STATEMENT_CHARS = 2000;

const RUNS = /\p{Script=Hangul}+|(?:(?!\p{Script=Hangul})[\p{L}\p{N}])+/gu;
const HANGUL = /^\p{Script=Hangul}/u;

/** The distinct tokens of a statement (see the module comment). */
export function statementTokens(statement: string): Set<string> {
  const text = statement.slice(0, MAX_STATEMENT_CHARS).normalize("NFKC").toLowerCase();
  const tokens = new Set<string>();
  for (const [run] of text.matchAll(RUNS)) {
    if (HANGUL.test(run)) {
      const chars = [...run];
      if (chars.length === 1) tokens.add(run);
      for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
    } else tokens.add(run.length >= 4 && run.endsWith("s") && !run.endsWith("ss") ? run.slice(0, -1) : run);
  }
  return tokens;
}

/** The Jaccard index of two token sets; two empty sets are not alike (0). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** How alike two statements are (0-1). */
export function statementSimilarity(a: string, b: string): number {
  return jaccard(statementTokens(a), statementTokens(b));
}
