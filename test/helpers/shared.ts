/**
 * Paths into shared/ (corpus, reference, schemas), which lies beside the repository: `../shared`
 * in CI, further up for a git worktree. Found by walking up from the repository root.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function findShared(): string {
  for (let dir = path.dirname(REPO_ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared");
    if (existsSync(path.join(candidate, "corpus"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`shared/ (with corpus/) not found above ${REPO_ROOT}`);
  }
}

export const SHARED_DIR = findShared();

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

export function readShared(...parts: string[]): string {
  return readFileSync(sharedPath(...parts), "utf8");
}
