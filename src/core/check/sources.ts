/**
 * The code a check runs over:
 *
 * - editor buffers and snippets (`files: [{path, content}]`) keep their own relative paths (so
 *   scope globs such as `src/**\/*.java` apply) and are checked in memory by the language server
 *   (src/core/astgrep/lsp.ts);
 * - `paths` (globs, directories or files under a root: the server's workspace, the CLI's current
 *   directory) become what ast-grep's own walker reads: the directories to walk and the globs that
 *   select files in them. The walker runs on every core, does not follow symbolic links, skips
 *   hidden files and what .gitignore ignores; SpecGate adds node_modules. Nothing outside the root
 *   is read: no `..`, no absolute path, and a path named outright must resolve inside the root.
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { SpecGateError, throwIfAborted } from "../../errors.js";
import { isWithin, resolvedTarget } from "../paths.js";
import { trimEndChars } from "../text.js";

/** What ast-grep is asked to scan under `cwd`. */
export interface ScanTargets {
  cwd: string;
  /** Directories and files to walk, relative to `cwd`. */
  paths: string[];
  /** Globs that select files (relative to `cwd`); none: every file under `paths`. */
  globs: string[];
}

/**
 * Largest file checked: ast-grep itself skips, without a word, files of 7,000,000 bytes or more
 * and files of 300,000 lines or more (measured with 0.51), so SpecGate names them in `skipped`
 * instead of reporting nothing: buffers by these limits, files on disk by ast-grep's own report.
 */
export const MAX_FILE_BYTES = 7_000_000 - 1;
export const MAX_FILE_LINES = 300_000 - 1;
export const TOO_LARGE = "7 MB or 300,000 lines or more: ast-grep does not read it";

function tooLarge(content: string): boolean {
  if (Buffer.byteLength(content) > MAX_FILE_BYTES) return true;
  let lines = 0;
  for (let at = content.indexOf("\n"); at !== -1; at = content.indexOf("\n", at + 1))
    if (++lines > MAX_FILE_LINES) return true;
  return false;
}
/** Excluded from every walk, as most tools do: dependencies are not the project's code. */
export const ALWAYS_EXCLUDED = ["!**/node_modules/**"];

const GLOB_CHARS = /[*?[\]{}]/;
/** Control characters, line and paragraph separators, zero-width and bidirectional formatting characters. */
const UNSAFE_PATH_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** A buffer's path made relative and safe: `C:\\x\\A.java`, `/abs/in/root/A.java`, `./a/../b.ts` handled. */
export function bufferPath(raw: string, root: string | undefined, field: string): string {
  const slashed = raw.trim().replace(/\\/g, "/");
  if (!slashed)
    throw new SpecGateError("E_INVALID_INPUT", `${field}: give the file's path, e.g. src/main/java/App.java.`);
  if (UNSAFE_PATH_CHARS.test(slashed) || !(slashed as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${field}: the path holds control, invisible or direction-changing characters; give the file's path as the repository names it.`,
    );
  }
  let rel = slashed;
  if (path.posix.isAbsolute(slashed) || /^[A-Za-z]:\//.test(slashed)) {
    const inRoot = root ? path.relative(root, slashed) : undefined;
    if (inRoot === undefined || inRoot.startsWith("..") || path.isAbsolute(inRoot)) {
      throw new SpecGateError(
        "E_INVALID_INPUT",
        `${field}: "${raw}" is an absolute path outside the workspace; give the path relative to the repository root.`,
      );
    }
    rel = inRoot.replace(/\\/g, "/");
  }
  const normal = path.posix.normalize(rel).replace(/^\.\//, "");
  if (normal === "." || normal === ".." || normal.startsWith("../"))
    throw new SpecGateError("E_INVALID_INPUT", `${field}: "${raw}" leaves the repository root; give a path inside it.`);
  return normal;
}

/**
 * Editor buffers with their paths made relative and safe (unique after normalisation); buffers of
 * 7 MB or 300,000 lines or more are set aside in `skipped`, as files on disk are.
 */
export function prepareBuffers(
  buffers: readonly { path: string; content: string }[],
  root: string | undefined,
  field = "files",
): { buffers: { path: string; content: string }[]; skipped: { file: string; reason: string }[] } {
  const seen = new Map<string, number>();
  const out: { path: string; content: string }[] = [];
  const skipped: { file: string; reason: string }[] = [];
  buffers.forEach((b, i) => {
    const name = bufferPath(b.path, root, `${field}[${i}].path`);
    const before = seen.get(name);
    if (before !== undefined)
      throw new SpecGateError(
        "E_INVALID_INPUT",
        `${field}[${i}].path: "${name}" is given twice (also ${field}[${before}]).`,
      );
    seen.set(name, i);
    if (tooLarge(b.content)) skipped.push({ file: name, reason: TOO_LARGE });
    else out.push({ path: name, content: b.content });
  });
  return { buffers: out, skipped };
}

/**
 * `paths` (globs, directories, files) as ast-grep's walk: each glob's fixed leading directories
 * become a path to walk and the glob itself selects files; a directory is walked whole; a file
 * is named outright. E_INVALID_INPUT for a path that leaves the root, E_NOT_FOUND for a plain
 * path that does not exist.
 */
export async function workspaceTargets(
  root: string,
  patterns: readonly string[],
  options: { signal?: AbortSignal | undefined; field?: string } = {},
): Promise<ScanTargets> {
  const field = options.field ?? "paths";
  const rootReal = await realpath(root).catch(() => {
    throw new SpecGateError(
      "E_CONFIG",
      `The workspace ${root} does not exist; set SPECGATE_WORKSPACE to the repository to check.`,
    );
  });
  const walk = new Set<string>();
  const globs: string[] = [];
  for (const [i, p] of patterns.entries()) {
    throwIfAborted(options.signal);
    const g = trimEndChars(p.trim().replace(/^\.\//, ""), "/") || ".";
    if (path.posix.isAbsolute(g) || /^[A-Za-z]:[\\/]/.test(g) || g.split("/").includes("..")) {
      throw new SpecGateError(
        "E_INVALID_INPUT",
        `${field}[${i}]: "${p}" must be a glob relative to the workspace (no absolute path, no ..).`,
      );
    }
    if (GLOB_CHARS.test(g)) {
      const segments = g.split("/");
      const fixed =
        segments
          .slice(
            0,
            segments.findIndex((s) => GLOB_CHARS.test(s)),
          )
          .join("/") || ".";
      walk.add(fixed);
      globs.push(g);
      continue;
    }
    const full = path.join(rootReal, g);
    const real = await realpath(full).catch(() => undefined);
    // Where the path leads decides first, existing or not: a link must not tell what exists outside.
    if (!isWithin(rootReal, real ?? (await resolvedTarget(full))))
      throw new SpecGateError("E_INVALID_INPUT", `${field}[${i}]: "${p}" leads outside the workspace.`);
    if (!real) throw new SpecGateError("E_NOT_FOUND", `${field}[${i}]: "${p}" does not exist in the workspace.`);
    const isDir = (await stat(real)).isDirectory();
    walk.add(g);
    globs.push(isDir ? (g === "." ? "**" : `${g}/**`) : g);
  }
  // A path inside another one would be walked twice.
  const sorted = [...walk].sort();
  const paths = sorted.includes(".")
    ? ["."]
    : sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(`${q}/`)));
  return { cwd: rootReal, paths, globs: globs.includes("**") ? [] : globs };
}

/** Files named outright (a diff's), each checked to resolve inside the root; missing ones are left out. */
export async function namedFiles(
  root: string,
  files: readonly string[],
): Promise<ScanTargets & { skipped: { file: string; reason: string }[] }> {
  const rootReal = await realpath(root).catch(() => {
    throw new SpecGateError(
      "E_CONFIG",
      `The workspace ${root} does not exist; set SPECGATE_WORKSPACE to the repository to check.`,
    );
  });
  const paths: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const f of files) {
    if (path.posix.isAbsolute(f) || f.split("/").includes("..")) {
      skipped.push({ file: f, reason: "outside the workspace" });
      continue;
    }
    const full = path.join(rootReal, f);
    const real = await realpath(full).catch(() => undefined);
    if (!isWithin(rootReal, real ?? (await resolvedTarget(full))) || real === rootReal)
      skipped.push({ file: f, reason: "a link that leads outside the workspace" });
    else if (!real) continue;
    else if ((await stat(real)).isFile()) paths.push(f);
  }
  return { cwd: rootReal, paths, globs: [], skipped };
}
