/** Documents for the speclint benchmarks: the 16 KB seed, the corpus, and a 10 MB design document built from the seed. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { FIXTURES } from "../test/helpers/fixtures.js";

export const SEED = path.join(FIXTURES, "reference/SpecGate-Performance-Design.seed.md");
export const CORPUS_FILES = [
  "standards/SpecGate-API-Design.md",
  "standards/SpecGate-Architecture-Design.md",
  "standards/SpecGate-Data-Model-Design.md",
  "standards/SpecGate-Performance-Design.md",
  "standards/SpecGate-Security-Design.md",
  "test-documents/01-API-Design-Perfect.md",
  "test-documents/02-Architecture-Design-TitleError.md",
  "test-documents/03-Data-Model-Design-MissingRules.md",
  "test-documents/04-Security-Design-MissingCode.md",
  "test-documents/05-Performance-Design-MissingHistory.md",
].map((f) => path.join(FIXTURES, "corpus/specgate-docs", f));

export const readSeed = (): Promise<string> => readFile(SEED, "utf8");
export const readCorpusDocs = (): Promise<string[]> => Promise.all(CORPUS_FILES.map((f) => readFile(f, "utf8")));

const AREAS = ["API", "DATA", "ARCH", "SEC", "PERF", "UI", "TEST", "DEV", "OPS"];

/**
 * A realistic document of about `bytes`: the seed's title, then its body repeated with every
 * copy's rule ids renumbered (unique, valid RULE-AREA-NNN), so the linter reads thousands of
 * rules, sections and code blocks rather than one repeated defect.
 */
export function largeDocument(seed: string, bytes: number): string {
  const [title, ...rest] = seed.split("\n");
  const body = rest.join("\n");
  const parts = [title!];
  let size = Buffer.byteLength(title!);
  const bodyBytes = Buffer.byteLength(body);
  for (let copy = 0; size + bodyBytes < bytes; copy++) {
    const area = AREAS[Math.floor(copy / 140) % AREAS.length]!;
    parts.push(
      body.replace(
        /RULE-PERF-(\d{3})/g,
        (_, n: string) => `RULE-${area}-${String(((copy % 140) * 7 + Number(n)) % 1000).padStart(3, "0")}`,
      ),
    );
    size += bodyBytes;
  }
  return parts.join("\n");
}
