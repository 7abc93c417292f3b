/**
 * Command-line document arguments → files, shared by the commands that read documents (`lint`,
 * `extract`): `-` is standard input, globs expand, directories expand to their documents,
 * `!pattern` leaves files out, and what names nothing is reported with the reason.
 *
 * The glob library and the gitignore matcher are loaded when an argument needs them: files named
 * as they are (the common `specgate lint design.md`) are checked with `stat` alone.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Ignore } from "ignore";
import { trimEndChars } from "../core/text.js";
import { SpecGateError } from "../errors.js";

/** Paths to leave out, in gitignore syntax, read from the current directory. */
export const IGNORE_FILE = ".specgateignore";

export const DOCUMENT_EXTENSIONS = ["md", "markdown", "mdx", "html", "htm", "xhtml"] as const;

const globber = () => import("tinyglobby");

/**
 * A character the glob syntax gives a meaning to (wildcards, classes, braces, extglobs, escapes).
 * An argument with none of them is a plain path; one with any is left to the glob library to judge.
 */
const GLOB_SYNTAX = /[*?[\]{}()!+@\\]/;

async function isGlob(pattern: string): Promise<boolean> {
  return GLOB_SYNTAX.test(pattern) && (await globber()).isDynamicPattern(pattern);
}

/** The files matching the glob `source` makes (it may escape a path with the library's rules). */
async function matchesOf(
  cwd: string,
  ignore: string[],
  source: (g: typeof import("tinyglobby")) => string,
): Promise<string[]> {
  const g = await globber();
  return g.glob(source(g), { cwd, ignore, onlyFiles: true });
}

/** An argument that names no document, and why. */
export interface MissingDocument {
  pattern: string;
  message: string;
}

export interface ExpandedDocuments {
  files: string[];
  missing: MissingDocument[];
}

/**
 * Arguments → files, in order, without duplicates. node_modules is never searched; `!glob`
 * arguments (quote them) exclude what they match from every other argument, files named
 * explicitly included; an excluded file is left out without complaint. A `.specgateignore` in the
 * current directory (gitignore syntax) leaves out what it matches, the same way.
 */
export async function expandDocuments(
  patterns: readonly string[],
  cwd: string,
  extraIgnores: readonly string[] = [],
): Promise<ExpandedDocuments> {
  const excluded = [
    ...extraIgnores,
    ...patterns.filter((p) => p.startsWith("!") && p.length > 1).map((p) => p.slice(1)),
  ];
  const ignore = ["**/node_modules/**", ...excluded];
  const positive = patterns.filter((p) => !(p.startsWith("!") && p.length > 1));
  const files: string[] = [];
  const missing: MissingDocument[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = file === "-" ? "-" : path.resolve(cwd, file);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(file);
    }
  };
  for (const pattern of positive) {
    if (pattern === "-") {
      add("-");
      continue;
    }
    const dynamic = await isGlob(pattern);
    const info = dynamic ? undefined : await stat(path.resolve(cwd, pattern)).catch(() => undefined);
    if (info?.isFile()) {
      // Named explicitly, yet still left out by an exclusion (`"!docs/archive/**"`), silently.
      const kept =
        excluded.length === 0 ||
        !isUnder(cwd, pattern) ||
        (await matchesOf(cwd, excluded, (g) => g.escapePath(toPosix(path.relative(cwd, path.resolve(cwd, pattern))))))
          .length > 0;
      if (kept) add(pattern);
      continue;
    }
    let matches: string[];
    let reason: string;
    if (info?.isDirectory()) {
      matches = await matchesOf(
        cwd,
        ignore,
        (g) => `${g.escapePath(globBase(pattern))}/**/*.{${DOCUMENT_EXTENSIONS.join(",")}}`,
      );
      reason = `${pattern} is a directory with no documents in it (${DOCUMENT_EXTENSIONS.map((e) => `*.${e}`).join(", ")}).`;
    } else if (dynamic) {
      matches = await matchesOf(cwd, ignore, () => pattern);
      reason = `No file matches ${pattern}.`;
    } else {
      matches = [];
      reason = `No such file or directory: ${pattern}.`;
    }
    if (matches.length === 0) missing.push({ pattern, message: reason });
    for (const m of matches.sort()) add(m);
  }
  if (files.length === 0 && missing.length === 0) throw new SpecGateError("E_INVALID_INPUT", "No files given.");
  const ignored = await ignoreFile(cwd);
  if (!ignored) return { files, missing };
  // `.specgateignore` leaves out what it matches under the current directory, named or found.
  const kept = files.filter(
    (f) => f === "-" || !isUnder(cwd, f) || !ignored.ignores(toPosix(path.relative(cwd, path.resolve(cwd, f)))),
  );
  return { files: kept, missing };
}

/** The `.specgateignore` of `cwd`, when there is one. */
async function ignoreFile(cwd: string): Promise<Ignore | undefined> {
  const text = await readFile(path.join(cwd, IGNORE_FILE), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return undefined;
    throw new SpecGateError("E_INVALID_INPUT", `Cannot read ${IGNORE_FILE}: ${error.code ?? String(error)}.`);
  });
  return text === undefined ? undefined : (await import("ignore")).default().add(text);
}

function isUnder(cwd: string, file: string): boolean {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

/** A directory argument as a glob base (forward slashes, no trailing slash). */
function globBase(dir: string): string {
  return trimEndChars(toPosix(dir), "/") || ".";
}
