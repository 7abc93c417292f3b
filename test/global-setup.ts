/**
 * The suite runs against the build `npm test` made first (dist/: the bundled command, the worker's
 * module, the parsed rulesets). Nothing may rebuild it while tests run: a build replaces the
 * bundle's chunks, and a test that spawns the command then reads a file that is gone. A test that
 * triggers a build (an `npm` command running the package's `prepare` script on this checkout)
 * fails the run here, by name of what changed, instead of failing another test by chance.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WATCHED = ["dist/cli.js", "dist/chunks/meta.json", "dist/perf/worker.js"];

function stamps(): Map<string, string> {
  const result = new Map<string, string>();
  for (const file of WATCHED) {
    const info = statSync(path.join(ROOT, file), { throwIfNoEntry: false });
    result.set(file, info ? `${info.ino}:${info.mtimeMs}` : "missing");
  }
  return result;
}

export default function setup(): () => void {
  const before = stamps();
  return () => {
    const after = stamps();
    const changed = WATCHED.filter((f) => before.get(f) !== after.get(f));
    if (changed.length === 0) return;
    // A failing teardown is only printed by the runner; the exit code says it too.
    process.exitCode = 1;
    throw new Error(
      `The build changed while the tests ran (${changed.join(", ")}): a test rebuilt dist/. ` +
        "Tests must use the build `npm test` made; run npm with --ignore-scripts (or npm_config_ignore_scripts) where it would run this package's scripts.",
    );
  };
}
