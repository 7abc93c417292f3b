/**
 * The safe writer: puts generated files under one root directory and nowhere else.
 *
 * For each file: the relative path is checked (no absolute path, no `..`, `.` or empty segment,
 * no backslash or NUL); each parent directory is walked from the root with `lstat`, created when
 * missing, and a symbolic link is followed only when its real path stays inside the root; the
 * file itself must not be a link; an existing file is replaced only when it carries SpecGate's
 * generated header, and left alone when its content is already identical. Content goes to a
 * temporary file in the same directory (`wx`, never following links) that is renamed over the
 * target, so readers see the old file or the new one, never half of one.
 *
 * Refusals and per-file I/O errors are returned in `skipped`; other files are still written.
 * A file raced in between the checks and the rename is the one case this cannot rule out.
 */
import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { lstat, mkdir, open, readFile, realpath, rename, stat, unlink } from "node:fs/promises";
import { createDirectories } from "../directories.js";
import path from "node:path";
import { SpecGateError } from "../../errors.js";
import { hasGeneratedHeader } from "./common.js";
import type { GeneratedFile, SkippedItem } from "./types.js";

export interface WriteReport {
  written: string[];
  unchanged: string[];
  skipped: SkippedItem[];
}

export interface WriteOptions {
  signal?: AbortSignal | undefined;
  /** Create the root directory when missing (the CLI's `--out`). Default false: it must exist. */
  createRoot?: boolean | undefined;
}

/** Why a relative path may not be written, or undefined when it is acceptable. */
export function relativePathProblem(rel: string): string | undefined {
  if (!rel || rel.length > 1024) return "the path is empty or too long";
  if (rel.includes("\0") || rel.includes("\\")) return "the path contains a NUL or a backslash";
  if (path.posix.isAbsolute(rel) || path.win32.isAbsolute(rel) || /^[A-Za-z]:/.test(rel))
    return "absolute paths are not written";
  if (rel.split("/").some((seg) => seg === "" || seg === "." || seg === ".."))
    return "the path has an empty, '.' or '..' segment";
  return undefined;
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await lstat(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Resolves the root to its real path, creating it when allowed; E_CONFIG when unusable. */
async function resolveRoot(root: string, createRoot: boolean): Promise<string> {
  try {
    if (createRoot) await createDirectories(root);
    const real = await realpath(root);
    if (!(await stat(real)).isDirectory()) throw new SpecGateError("E_CONFIG", `${root} is not a directory.`);
    if (path.parse(real).root === real)
      throw new SpecGateError(
        "E_CONFIG",
        `Refusing to write into the filesystem root (${real}); set SPECGATE_WORKSPACE or --out to the project directory.`,
      );
    return real;
  } catch (error) {
    if (error instanceof SpecGateError) throw error;
    throw new SpecGateError(
      "E_CONFIG",
      `Cannot use ${root} as the output directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
    );
  }
}

/** Walks/creates the parent directories of `rel` under `root`; returns the real parent path or a refusal. */
async function parentDir(root: string, rel: string): Promise<{ dir: string } | { refusal: string }> {
  let cur = root;
  const segments = rel.split("/").slice(0, -1);
  for (let i = 0; i < segments.length; i++) {
    const next = path.join(cur, segments[i]!);
    const shown = segments.slice(0, i + 1).join("/");
    let info = await lstatOrNull(next);
    if (!info) {
      try {
        await mkdir(next);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      info = await lstat(next);
    }
    if (info.isSymbolicLink()) {
      const real = await realpath(next).catch(() => undefined);
      if (!real || !inside(root, real))
        return { refusal: `${shown} is a symbolic link leading outside the output directory` };
      if (!(await stat(real)).isDirectory()) return { refusal: `${shown} is not a directory` };
      cur = real;
      continue;
    }
    if (!info.isDirectory()) return { refusal: `${shown} exists and is not a directory` };
    cur = next;
  }
  return { dir: cur };
}

async function readHead(file: string, bytes: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

async function writeAtomically(dir: string, name: string, content: string, mode: number): Promise<void> {
  const tmp = path.join(dir, `.${name}.specgate-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(tmp, "wx", mode);
  try {
    await handle.writeFile(content, "utf8");
    await handle.close();
    await rename(tmp, path.join(dir, name));
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/**
 * Writes `files` under `root`. Throws E_CONFIG when the root is unusable and E_CANCELLED when
 * `signal` fires between files; everything else is reported per file.
 */
export async function writeGeneratedFiles(
  root: string,
  files: readonly GeneratedFile[],
  options: WriteOptions = {},
): Promise<WriteReport> {
  const report: WriteReport = { written: [], unchanged: [], skipped: [] };
  const realRoot = await resolveRoot(root, options.createRoot ?? false);
  for (const file of files) {
    if (options.signal?.aborted)
      throw new SpecGateError("E_CANCELLED", "Writing was cancelled; files already written are complete.");
    const refuse = (reason: string) =>
      report.skipped.push({ target: file.target, path: file.path, reason: `not written: ${reason}` });
    const problem = relativePathProblem(file.path);
    if (problem) {
      refuse(problem);
      continue;
    }
    try {
      const parent = await parentDir(realRoot, file.path);
      if ("refusal" in parent) {
        refuse(parent.refusal);
        continue;
      }
      const name = path.posix.basename(file.path);
      const target = path.join(parent.dir, name);
      const info = await lstatOrNull(target);
      let mode = 0o644;
      if (info) {
        if (info.isSymbolicLink()) {
          refuse("the file is a symbolic link; SpecGate does not write through links");
          continue;
        }
        if (!info.isFile()) {
          refuse("the path exists and is not a regular file");
          continue;
        }
        if (!hasGeneratedHeader(await readHead(target, 4096))) {
          refuse(
            'the file exists and was not generated by SpecGate (no "generated by SpecGate" header); move or delete it to let SpecGate write it',
          );
          continue;
        }
        if (info.size === Buffer.byteLength(file.content) && (await readFile(target, "utf8")) === file.content) {
          report.unchanged.push(file.path);
          continue;
        }
        mode = info.mode & 0o777;
      }
      await writeAtomically(parent.dir, name, file.content, mode);
      report.written.push(file.path);
    } catch (error) {
      refuse(`I/O error ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return report;
}
