#!/usr/bin/env node
/** The `specgate` executable: the only place that reads process.argv/env and exits. */
import module from "node:module";

// Node ≥ 22.1 keeps V8's compiled code of SpecGate and its packages between runs (in the OS
// temporary directory, or NODE_COMPILE_CACHE), which shortens every start after the first.
// Node 20 has no such cache: there this does nothing. Enabled before the CLI is imported so
// that its modules are compiled with the cache.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** The package's version, written in by the build that bundles this file; undefined run from source. */
declare const SPECGATE_BUNDLED_VERSION: string | undefined;

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  // What commander would print, without loading it or reading package.json: scripts ask often.
  const version =
    typeof SPECGATE_BUNDLED_VERSION === "string" ? SPECGATE_BUNDLED_VERSION : (await import("./version.js")).VERSION;
  process.stdout.write(`${version}\n`);
} else {
  const { runCli } = await import("./cli/program.js");
  process.exitCode = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  });
}
