/**
 * What the accuracy tests and the accuracy benchmark both read: the third-party documents of
 * test/fixtures/external, the rules rule_extract takes from them, the judged samples.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { convertHtml } from "../../src/core/convert/index.js";
import { extractRules, type ExtractOptions } from "../../src/core/extract/index.js";
import { referenceFromPage, referenceFromSource, type Content } from "./fidelity.js";
import { corpusPath, externalPath } from "./fixtures.js";

export interface Doc {
  name: string;
  text: string;
}

const docs = (dir: string, ext: string): Doc[] =>
  readdirSync(externalPath(dir))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((name) => ({ name, text: readFileSync(externalPath(dir, name), "utf8") }));

/** The specifications written with BCP 14 keywords (Markdown). */
export const specDocuments = (): Doc[] => docs("specs", ".md");
/** Real design documents that do not follow RFC 2119 (KEPs, Rust RFCs). */
export const designDocuments = (): Doc[] => docs("real-docs", ".md");

/** The Korean QueryPie pages (storage format): those of external/confluence-ko and the four of the corpus. */
export function koreanPages(): Doc[] {
  const corpus = readdirSync(corpusPath("confluence-storage"))
    .filter((f) => /^qp-\d+-ko-.*\.page\.xhtml$/.test(f))
    .map((name) => ({ name, text: readFileSync(corpusPath("confluence-storage", name), "utf8") }));
  return [...docs("confluence-ko", ".xhtml"), ...corpus].sort((a, b) => (a.name < b.name ? -1 : 1));
}

export interface TakenRule {
  document: string;
  line: number;
  priority: string;
  keyword: string;
  sentence: string;
  title: string;
}

export function rulesOf(doc: Doc, markdown = doc.text, options: ExtractOptions = {}): TakenRule[] {
  return extractRules(markdown, { source: { id: doc.name }, ...options }).rules.map((r) => ({
    document: doc.name,
    line: r.source.line,
    priority: r.priority,
    keyword: r.reliability.keyword ?? "",
    sentence: r.description,
    title: r.title,
  }));
}

/** A converted Korean page's rules (as rule_extract reads a fetched page). */
export async function koreanRules(page: Doc): Promise<TakenRule[]> {
  return rulesOf(page, (await convertHtml(page.text)).markdown);
}

/** The `n` rules whose SHA-256 of document + newline + sentence sorts first: a sample no one picks by hand. */
export function hashSample<T extends { document: string; sentence: string }>(rules: readonly T[], n: number): T[] {
  const key = (r: T) => createHash("sha256").update(`${r.document}\n${r.sentence}`).digest("hex");
  return [...rules].sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, n);
}

export interface Judgment {
  document?: string;
  page?: string;
  line: number;
  priority: string;
  sentence: string;
  requirement: boolean;
  priority_right?: boolean;
  /** Korean pages: whether rule_extract took the sentence before capability sentences were kept out. */
  before?: boolean;
}

export function judgments(...path: string[]): Judgment[] {
  return (JSON.parse(readFileSync(externalPath(...path), "utf8")) as { judgments: Judgment[] }).judgments;
}

export interface ConversionPage {
  name: string;
  html: string;
  /** What a reader must find in the converted page (see fidelity.ts). */
  ref: Content;
}

/**
 * The third-party Confluence pages html_to_md is measured on: mark's test pages (with their
 * Markdown sources as references), the storage corpus and the Korean QueryPie pages.
 */
export function conversionPages(): ConversionPage[] {
  const out: ConversionPage[] = [];
  const mark = externalPath("mark-roundtrip");
  const files = readdirSync(mark);
  for (const f of files.filter((x) => x.endsWith(".html")).sort()) {
    const html = readFileSync(`${mark}/${f}`, "utf8");
    // Variants (droph1, stripnewlines …) come from the same source as the base page.
    const stem = f.replace(/\.html$/, "");
    const source = files.includes(`${stem}.md`) ? `${stem}.md` : `${stem.replace(/-[a-z0-9]+$/, "")}.md`;
    const ref = files.includes(source)
      ? referenceFromSource(readFileSync(`${mark}/${source}`, "utf8"), html)
      : referenceFromPage(html);
    out.push({ name: `mark/${f}`, html, ref });
  }
  const storage = readdirSync(corpusPath("confluence-storage"))
    .filter((f) => f.endsWith(".xhtml"))
    .sort();
  for (const f of storage) {
    const html = readFileSync(corpusPath("confluence-storage", f), "utf8");
    out.push({ name: `storage/${f}`, html, ref: referenceFromPage(html) });
  }
  for (const p of koreanPages().filter((x) => !storage.includes(x.name)))
    out.push({ name: `ko/${p.name}`, html: p.text, ref: referenceFromPage(p.text) });
  return out;
}
