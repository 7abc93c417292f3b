/**
 * Every page of the Confluence storage corpus and every SpecGate design document (rendered to
 * HTML by markdown-it, then converted back) converts with every word kept, no markup leaked,
 * normalised output, the same bytes twice; a representative set is compared with golden files
 * (set UPDATE_GOLDENS=1 to rewrite them after a reviewed change).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { convertHtml } from "../../../src/core/convert/index.js";
import { designDocuments, fixturePath, readCorpusSync, storagePages } from "../../helpers/fixtures.js";
import { codeBodies, codeBodiesLost, leaks, missingWords, normalisationProblems, styleProblems } from "./check.js";

const GOLDEN_DIR = fixturePath("convert");

const pages = storagePages();
/** File name → corpus path (`standards/…` or `test-documents/…`); the names are unique. */
const docPaths = new Map(designDocuments().map((p) => [path.basename(p), p]));
const docs = [...docPaths.keys()].sort();
const markdownIt = new MarkdownIt();

/** Pages and documents whose whole output is pinned. */
const GOLDEN = new Set([
  ...pages,
  "SpecGate-API-Design.md",
  "SpecGate-Performance-Design.md",
  "04-Security-Design-MissingCode.md",
]);

function golden(name: string, markdown: string): void {
  const file = path.join(GOLDEN_DIR, `${name.replace(/\.(xhtml|md)$/, "")}.md`);
  if (process.env.UPDATE_GOLDENS === "1" || !existsSync(file)) {
    writeFileSync(file, markdown);
    if (process.env.UPDATE_GOLDENS !== "1")
      throw new Error(`golden file ${path.basename(file)} was missing and has been written; review and commit it`);
  }
  expect(markdown).toBe(readFileSync(file, "utf8"));
}

describe("confluence storage corpus", () => {
  it("holds multi-line CDATA code bodies to check", () => {
    const total = pages.reduce((n, f) => n + codeBodies(readCorpusSync("confluence-storage", f)).length, 0);
    expect(total).toBeGreaterThanOrEqual(10);
  });

  it.each(pages)("%s: every word kept, nothing leaked, normalised, deterministic", async (file) => {
    const html = readCorpusSync("confluence-storage", file);
    const out = await convertHtml(html);
    expect(out.stats.format).toBe("storage");
    expect(missingWords(html, out.markdown)).toEqual([]);
    expect(codeBodiesLost(html, out.markdown)).toEqual([]);
    expect(leaks(out.markdown)).toEqual([]);
    expect(normalisationProblems(out.markdown)).toEqual([]);
    expect(styleProblems(out.markdown)).toEqual([]);
    expect((await convertHtml(html)).markdown).toBe(out.markdown);
    if (GOLDEN.has(file)) golden(file, out.markdown);
  });
});

describe("SpecGate design documents, Markdown → HTML → Markdown", () => {
  it.each(docs)("%s: every word kept, rule lines intact", async (file) => {
    const source = readCorpusSync("specgate-docs", docPaths.get(file)!);
    const html = markdownIt.render(source);
    const out = await convertHtml(html);
    expect(out.stats.format).toBe("html");
    expect(missingWords(html, out.markdown)).toEqual([]);
    expect(leaks(out.markdown)).toEqual([]);
    expect(normalisationProblems(out.markdown)).toEqual([]);
    expect(styleProblems(out.markdown)).toEqual([]);
    const rules = (text: string) =>
      [...text.matchAll(/\*\*RULE-[A-Z]+-\d{3}\*\* \((?:MUST NOT|MUST|SHOULD NOT|SHOULD|MAY)\): .+/g)].map((m) => m[0]);
    expect(rules(out.markdown)).toEqual(rules(source));
    const headings = (text: string) => text.split("\n").filter((l) => /^#{1,6} /.test(l));
    expect(headings(out.markdown)).toEqual(headings(source).map((h) => h.trimEnd()));
    if (GOLDEN.has(file)) golden(file, out.markdown);
  });
});
