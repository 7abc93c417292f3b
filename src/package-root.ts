/**
 * The package's root directory (where package.json, rulesets/ and dist/ are), found from this
 * module's location: src/ and dist/ modules sit one or more levels below it, and so do the
 * command-line bundle's chunks (dist/chunks/), so the root is the nearest directory above with
 * SpecGate's package.json rather than a fixed number of `..`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const NAME = "@specgate/cli";

function findRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown };
      if (pkg.name === NAME) return dir;
    } catch {
      // no package.json here, or not one to read: look further up
    }
    if (path.dirname(dir) === dir) return path.dirname(here);
  }
}

export const PACKAGE_ROOT: string = findRoot();
