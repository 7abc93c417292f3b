/**
 * Benchmark inputs: the Confluence storage corpus pages (test/fixtures/corpus/confluence-storage) repeated,
 * in name order, up to the target size in UTF-8 bytes. Real storage format, so
 * every size carries the same mix of macros, CDATA code, tables and Korean text.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { corpusPath } from "../../test/helpers/fixtures.js";

export const CORPUS_DIR = corpusPath("confluence-storage");

export function corpusPages(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".xhtml"))
    .sort()
    .map((f) => readFileSync(path.join(CORPUS_DIR, f), "utf8"));
}

/**
 * Pages repeated up to `targetBytes` UTF-8 bytes: whole pages only, skipping a page that would
 * overflow while a smaller one still fits, so each size is within one small page of its target.
 */
export function buildInput(targetBytes: number): string {
  const pages = corpusPages().map((p) => ({ text: p, bytes: Buffer.byteLength(p) + 1 }));
  const parts: string[] = [];
  let bytes = 0;
  for (let i = 0, misses = 0; misses < pages.length; i++) {
    const page = pages[i % pages.length]!;
    if (bytes + page.bytes > targetBytes && parts.length > 0) {
      misses++;
      continue;
    }
    misses = 0;
    parts.push(page.text);
    bytes += page.bytes;
  }
  return parts.join("\n");
}

export const SIZES: readonly { label: string; bytes: number }[] = [
  { label: "16 KB", bytes: 16 * 1024 },
  { label: "150 KB", bytes: 150 * 1024 },
  { label: "1 MB", bytes: 1024 * 1024 },
  { label: "10 MB", bytes: 10 * 1024 * 1024 },
];
