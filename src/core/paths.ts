/**
 * Confinement of caller-named paths to a root (the workspace), without an existence oracle.
 *
 * A path that leaves the root through a symbolic link must be refused the same way whether or not
 * its target exists: answering "does not exist" for a missing file and "outside the workspace" for
 * an existing one would let a caller probe the whole file system through a link in the workspace.
 * So containment is decided on where the path *leads* — {@link resolvedTarget} follows every link
 * it meets, dangling ones included — and only a path that leads inside may be reported missing.
 */
import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";

/** Links followed before giving up (the kernel's own limit is 40). */
const MAX_HOPS = 40;

/** True when `p` is `root` or below it (both absolute and normalised). */
export function isWithin(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * The real path `file` (absolute) leads to, whether or not it exists: its real path when it
 * exists; otherwise the real path of its deepest existing ancestor with the missing rest appended,
 * and a dangling link replaced by its target, resolved the same way.
 */
export async function resolvedTarget(file: string, links = 0): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    // Missing, unreadable or a loop: work it out from the parent.
  }
  const parent = path.dirname(file);
  if (parent === file) return file;
  const dir = await resolvedTarget(parent, links);
  const here = path.join(dir, path.basename(file));
  if (links >= MAX_HOPS) return here;
  const link = await lstat(here).then(
    (info) => (info.isSymbolicLink() ? readlink(here) : undefined),
    () => undefined,
  );
  return link === undefined ? here : resolvedTarget(path.resolve(dir, link), links + 1);
}
