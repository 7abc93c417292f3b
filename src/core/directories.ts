/**
 * `mkdir -p` one directory at a time. Node 20's recursive mkdir can loop for ever on paths under
 * pseudo filesystems (`/proc/x`: the parent exists but nothing can be created in it), so the
 * missing directories are found by walking up to the nearest existing one and created in order,
 * each failure reported as it happens.
 */
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

export async function createDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  for (;;) {
    const info = await stat(cur).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (info) {
      if (!info.isDirectory())
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: "ENOTDIR", path: cur });
      break;
    }
    missing.push(cur);
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}
