/**
 * An independent count of BCP 14 keyword sentences in a Markdown specification, the yardstick
 * rule_extract's recall and precision are measured against. It shares nothing with the
 * extractor: markdown-it parses with its inline parser on, each paragraph (list items' too) and
 * each table cell is reduced to the text a reader sees, and ICU's sentence segmentation
 * (`Intl.Segmenter`) splits it.
 *
 * A keyword sentence holds one of the BCP 14 key words in upper case (RFC 8174): MUST, MUST NOT,
 * REQUIRED, SHALL, SHALL NOT, SHOULD, SHOULD NOT, RECOMMENDED, NOT RECOMMENDED, MAY, OPTIONAL —
 * outside code spans and not quoted ("MUST", the way the BCP 14 boilerplate names them).
 * Headings, code blocks, HTML blocks and quotations (blockquotes that are not GitHub alerts) hold
 * none. Its expected priority is its strongest key word: MUST NOT > MUST > SHOULD NOT > SHOULD > MAY.
 */
import MarkdownIt from "markdown-it";

type Token = ReturnType<InstanceType<typeof MarkdownIt>["parse"]>[number];

export type Priority = "MUST" | "MUST NOT" | "SHOULD" | "SHOULD NOT" | "MAY";

export interface KeywordSentence {
  /** First and last line (1-based) of the paragraph or table row it is in. */
  line: number;
  endLine: number;
  text: string;
  /** Every key word, in order of appearance. */
  keywords: string[];
  priority: Priority;
}

const KEYWORD =
  /(?<![A-Za-z])(MUST NOT|MUST|SHALL NOT|SHALL|SHOULD NOT|SHOULD|NOT RECOMMENDED|RECOMMENDED|REQUIRED|MAY|OPTIONAL)(?![A-Za-z])/g;
const QUOTED = /["“'‘]\s*$/;
const STRENGTH: Record<Priority, number> = { "MUST NOT": 5, MUST: 4, "SHOULD NOT": 3, SHOULD: 2, MAY: 1 };
const PRIORITY: Record<string, Priority> = {
  "MUST NOT": "MUST NOT",
  "SHALL NOT": "MUST NOT",
  MUST: "MUST",
  SHALL: "MUST",
  REQUIRED: "MUST",
  "SHOULD NOT": "SHOULD NOT",
  "NOT RECOMMENDED": "SHOULD NOT",
  SHOULD: "SHOULD",
  RECOMMENDED: "SHOULD",
  MAY: "MAY",
  OPTIONAL: "MAY",
};

const md = new MarkdownIt({ html: true });
const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * Inline tokens → visible text. Code spans are parked as private-use placeholders: their words
 * never count as key words, but they are part of the sentence the extractor must return.
 */
function inlineText(children: readonly Token[], code: string[]): string {
  let out = "";
  for (const t of children) {
    if (t.type === "text") out += t.content;
    else if (t.type === "code_inline") {
      out += `\uE000${code.length}\uE001`;
      code.push(t.content);
    } else if (t.type === "softbreak") out += " ";
    else if (t.type === "hardbreak") out += "\n";
    else if (t.type === "html_inline" && /^<br\s*\/?>$/i.test(t.content)) out += "\n";
    else if (t.type === "image") out += t.content;
  }
  return out;
}

function keywordsOf(sentence: string): string[] {
  const found: string[] = [];
  for (const m of sentence.matchAll(KEYWORD)) {
    const before = sentence.slice(0, m.index);
    const after = sentence.slice(m.index! + m[0].length);
    if (QUOTED.test(before) && /^\s*["”'’]/.test(after)) continue; // "MUST": a mention
    found.push(m[1]!);
  }
  return found;
}

/** The keyword sentences of a Markdown document, in document order. */
export function keywordSentences(markdown: string): KeywordSentence[] {
  const tokens = md.parse(markdown, {});
  const out: KeywordSentence[] = [];
  const quotes: boolean[] = []; // per open blockquote: is it a quotation (not an alert)?
  let rowLines: [number, number] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === "blockquote_open") {
      const first = tokens[i + 2];
      quotes.push(!(first?.type === "inline" && /^\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]/i.test(first.content)));
      continue;
    }
    if (t.type === "blockquote_close") {
      quotes.pop();
      continue;
    }
    if (t.type === "tr_open" && t.map) rowLines = [t.map[0] + 1, t.map[1]];
    if (t.type !== "inline" || quotes.includes(true)) continue;
    const parent = tokens[i - 1]!;
    if (parent.type === "heading_open") continue;
    const lines: [number, number] | null =
      parent.type === "th_open" || parent.type === "td_open"
        ? rowLines
        : parent.map
          ? [parent.map[0] + 1, parent.map[1]]
          : null;
    if (!lines) continue;
    const code: string[] = [];
    const text = inlineText(t.children ?? [], code).replace(/\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]/gi, "");
    for (const { segment } of segmenter.segment(text)) {
      const masked = segment.replace(/\s+/g, " ").trim();
      const keywords = keywordsOf(masked.replace(/\uE000\d+\uE001/g, "◦"));
      if (keywords.length === 0) continue;
      const priority = keywords.map((k) => PRIORITY[k]!).reduce((a, b) => (STRENGTH[b] > STRENGTH[a] ? b : a));
      const sentence = masked.replace(/\uE000(\d+)\uE001/g, (_m, n: string) => code[Number(n)] ?? "");
      out.push({ line: lines[0], endLine: lines[1], text: sentence, keywords, priority });
    }
  }
  return out;
}

/** Letters and digits, lower case, one space apart: how sentences are compared. */
export function normalizeForMatch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export interface ExtractedRule {
  priority: string;
  description: string;
  line: number;
}

export interface RecallReport {
  sentences: number;
  found: number;
  /** Found with the expected priority. */
  rightPriority: number;
  missed: KeywordSentence[];
  wrongPriority: { sentence: KeywordSentence; rule: ExtractedRule }[];
  rules: number;
  /** Rules that state a counted sentence with its priority. */
  rulesRight: number;
  /** Rules that match no counted sentence. */
  unmatched: ExtractedRule[];
}

/**
 * Matches extracted keyword rules to counted sentences: a rule states a sentence when its line is
 * within the sentence's paragraph (or row) and one text holds the other, as words — a rule may be
 * the sentence with its lead-in list attached, or a field marker with its field's name.
 */
export function compareWithCount(markdown: string, rules: readonly ExtractedRule[]): RecallReport {
  const sentences = keywordSentences(markdown);
  const norm = sentences.map((s) => ` ${normalizeForMatch(s.text)} `);
  const ruleNorm = rules.map((r) => ` ${normalizeForMatch(r.description)} `);
  const matchOf = new Map<number, number>(); // sentence → rule
  const ruleMatched = new Set<number>();
  const rightRules = new Set<number>();
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    for (let s = 0; s < sentences.length; s++) {
      const sentence = sentences[s]!;
      if (rule.line < sentence.line || rule.line > sentence.endLine) continue;
      const a = norm[s]!;
      const b = ruleNorm[r]!;
      if (a.trim() === "" || b.trim() === "" || !(a.includes(b) || b.includes(a))) continue;
      // The rule must carry the sentence's key words as written (a MAY rule that ends "as
      // required" does not state the REQUIRED of the sentence next to it).
      if (!sentence.keywords.every((k) => rule.description.includes(k))) continue;
      ruleMatched.add(r);
      const previous = matchOf.get(s);
      if (
        previous === undefined ||
        (rules[previous]!.priority !== sentence.priority && rule.priority === sentence.priority)
      )
        matchOf.set(s, r);
      if (rule.priority === sentence.priority) rightRules.add(r);
    }
  }
  const missed: KeywordSentence[] = [];
  const wrongPriority: { sentence: KeywordSentence; rule: ExtractedRule }[] = [];
  let rightPriority = 0;
  sentences.forEach((s, k) => {
    const r = matchOf.get(k);
    if (r === undefined) missed.push(s);
    else if (rules[r]!.priority === s.priority) rightPriority++;
    else wrongPriority.push({ sentence: s, rule: rules[r]! });
  });
  return {
    sentences: sentences.length,
    found: sentences.length - missed.length,
    rightPriority,
    missed,
    wrongPriority,
    rules: rules.length,
    rulesRight: rightRules.size,
    unmatched: rules.filter((_r, k) => !ruleMatched.has(k)),
  };
}
