/** Paths to test fixtures inside the repository (a clean clone in CI has nothing else). */
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures");
export const CORPUS = path.join(FIXTURES, "corpus");
export const SCHEMAS = path.join(FIXTURES, "schemas");
export const REFERENCE = path.join(FIXTURES, "reference");
/** Third-party documents for accuracy work (sources and licences in external/SOURCES.md). */
export const EXTERNAL = path.join(FIXTURES, "external");

export const fixturePath = (...parts: string[]): string => path.join(FIXTURES, ...parts);
export const readFixture = (...parts: string[]): Promise<string> => readFile(fixturePath(...parts), "utf8");
export const readFixtureSync = (...parts: string[]): string => readFileSync(fixturePath(...parts), "utf8");
/** The Confluence storage-format pages of the corpus (`*.xhtml`), sorted by name. */
export const storagePages = (): string[] =>
  readdirSync(corpusPath("confluence-storage"))
    .filter((f) => f.endsWith(".xhtml"))
    .sort();
/** The SpecGate design documents of the corpus, as `standards/…` and `test-documents/…` paths, sorted. */
export const designDocuments = (): string[] =>
  ["standards", "test-documents"]
    .flatMap((dir) =>
      readdirSync(corpusPath("specgate-docs", dir))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `${dir}/${f}`),
    )
    .sort();
export const corpusPath = (...parts: string[]): string => path.join(CORPUS, ...parts);
export const readCorpus = (...parts: string[]): Promise<string> => readFile(corpusPath(...parts), "utf8");
export const readCorpusSync = (...parts: string[]): string => readFileSync(corpusPath(...parts), "utf8");
export const schemaPath = (...parts: string[]): string => path.join(SCHEMAS, ...parts);
export const referencePath = (...parts: string[]): string => path.join(REFERENCE, ...parts);
export const externalPath = (...parts: string[]): string => path.join(EXTERNAL, ...parts);
export const readExternalSync = (...parts: string[]): string => readFileSync(externalPath(...parts), "utf8");
