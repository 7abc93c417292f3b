/**
 * The code a check runs over, as relative paths under one directory ast-grep is started in:
 *
 * - editor buffers and snippets (`files: [{path, content}]`) are written to a private temporary
 *   directory under their own relative paths (so scope globs such as `src/**\/*.java` apply),
 *   removed when the check ends;
 * - `paths` are globs under a root (the server's workspace, the CLI's current directory),
 *   expanded here: nothing outside the root is read — no `..`, no absolute path, no symbolic link
 *   leading out — and node_modules and .git are skipped.
 */
import { mkdtemp, mkdir, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { glob } from "tinyglobby";
import { SpecGateError, throwIfAborted } from "../../errors.js";

export interface SourceSet {
  /** The directory ast-grep runs in; `files` are relative to it (POSIX separators). */
  cwd: string;
  files: string[];
  /** Files not checked, and why (too large, outside the root). */
  skipped: { file: string; reason: string }[];
  dispose(): Promise<void>;
}

/** Most files one check reads from disk. */
export const MAX_FILES = 100_000;
/**
 * Largest file checked: ast-grep itself skips files of 7,000,000 bytes or more without a word
 * (measured with 0.51), so SpecGate names them in `skipped` instead of reporting nothing.
 */
export const MAX_FILE_BYTES = 7_000_000 - 1;
const TOO_LARGE = "7 MB or larger: ast-grep does not read it";

/** A buffer's path made relative and safe: `C:\\x\\A.java`, `/abs/in/root/A.java`, `./a/../b.ts` handled. */
export function bufferPath(raw: string, root: string | undefined, field: string): string {
  const slashed = raw.trim().replace(/\\/g, "/");
  if (!slashed || slashed.includes("\u0000")) throw new SpecGateError("E_INVALID_INPUT", `${field}: give the file's path, e.g. src/main/java/App.java.`);
  let rel = slashed;
  if (path.posix.isAbsolute(slashed) || /^[A-Za-z]:\//.test(slashed)) {
    const inRoot = root ? path.relative(root, slashed) : undefined;
    if (inRoot === undefined || inRoot.startsWith("..") || path.isAbsolute(inRoot)) {
      throw new SpecGateError("E_INVALID_INPUT", `${field}: "${raw}" is an absolute path outside the workspace; give the path relative to the repository root.`);
    }
    rel = inRoot.replace(/\\/g, "/");
  }
  const normal = path.posix.normalize(rel).replace(/^\.\//, "");
  if (normal === "." || normal === ".." || normal.startsWith("../")) throw new SpecGateError("E_INVALID_INPUT", `${field}: "${raw}" leaves the repository root; give a path inside it.`);
  return normal;
}

/** Writes buffers to a temporary directory. Paths must be unique after normalisation. */
export async function bufferSources(buffers: readonly { path: string; content: string }[], root: string | undefined, field = "files"): Promise<SourceSet> {
  const names = buffers.map((b, i) => bufferPath(b.path, root, `${field}[${i}].path`));
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const before = seen.get(n);
    if (before !== undefined) throw new SpecGateError("E_INVALID_INPUT", `${field}[${i}].path: "${n}" is given twice (also ${field}[${before}]).`);
    seen.set(n, i);
  });
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-check-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const skipped: SourceSet["skipped"] = [];
  const files: string[] = [];
  try {
    for (const [i, name] of names.entries()) {
      if (Buffer.byteLength(buffers[i]!.content) > MAX_FILE_BYTES) {
        skipped.push({ file: name, reason: TOO_LARGE });
        continue;
      }
      files.push(name);
      const target = path.join(dir, "src", name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, buffers[i]!.content);
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { cwd: path.join(dir, "src"), files, skipped, dispose };
}

/** Expands globs (or plain files and directories) under `root`. */
export async function workspaceSources(root: string, patterns: readonly string[], options: { signal?: AbortSignal | undefined; field?: string; followOutside?: boolean } = {}): Promise<SourceSet> {
  const field = options.field ?? "paths";
  const globs = patterns.map((p, i) => {
    const g = p.trim().replace(/^\.\//, "");
    if (!g || path.posix.isAbsolute(g) || /^[A-Za-z]:\//.test(g) || g.split("/").includes("..")) {
      throw new SpecGateError("E_INVALID_INPUT", `${field}[${i}]: "${p}" must be a glob relative to the workspace (no absolute path, no ..).`);
    }
    return g;
  });
  const rootReal = await realpath(root).catch(() => {
    throw new SpecGateError("E_CONFIG", `The workspace ${root} does not exist; set SPECGATE_WORKSPACE to the repository to check.`);
  });
  const expanded = new Set<string>();
  for (const g of globs) {
    throwIfAborted(options.signal);
    const isDir = !/[*?[{]/.test(g) && (await stat(path.join(rootReal, g)).then((s) => s.isDirectory(), () => false));
    const found = await glob(isDir ? `${g.replace(/\/$/, "")}/**` : g, {
      cwd: rootReal,
      onlyFiles: true,
      dot: false,
      followSymbolicLinks: false,
      ignore: ["**/node_modules/**", "**/.git/**"],
      expandDirectories: false,
    });
    for (const f of found) {
      expanded.add(f);
      if (expanded.size > MAX_FILES) throw new SpecGateError("E_TOO_LARGE", `${field} match more than ${MAX_FILES} files; check a narrower set of paths.`);
    }
  }
  const files: string[] = [];
  const skipped: SourceSet["skipped"] = [];
  for (const f of [...expanded].sort()) {
    throwIfAborted(options.signal);
    const full = path.join(rootReal, f);
    const real = await realpath(full).catch(() => undefined);
    if (!real || (!options.followOutside && real !== full && !real.startsWith(rootReal + path.sep))) {
      skipped.push({ file: f, reason: "a link that leads outside the workspace" });
      continue;
    }
    const info = await stat(real);
    if (info.size > MAX_FILE_BYTES) {
      skipped.push({ file: f, reason: TOO_LARGE });
      continue;
    }
    files.push(f);
  }
  return { cwd: rootReal, files, skipped, dispose: async () => undefined };
}
