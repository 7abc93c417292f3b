/**
 * Where the ast-grep binary is. `@ast-grep/cli` lists one optional dependency per platform
 * (`@ast-grep/cli-linux-x64-gnu`, …) that ships the native executable; npm installs the one that
 * fits this machine. The package's own `ast-grep` file is a JavaScript shim until its postinstall
 * script copies the binary over it — and npm 11 does not run install scripts unless allowed — so
 * SpecGate runs the platform package's executable directly: it works whether or not the script ran.
 */
import { constants } from "node:fs";
import { access, open, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { SpecGateError } from "../../errors.js";

export interface AstGrepBinary {
  /** The program to start. */
  command: string;
  /** Arguments before ast-grep's own (the shim's path when the shim runs under node). */
  prefix: string[];
  /** The version of `@ast-grep/cli` installed, e.g. 0.51.1. */
  version: string;
}

const require = createRequire(import.meta.url);
let cached: Promise<AstGrepBinary> | undefined;

/** The npm package of this platform's binary, e.g. `@ast-grep/cli-linux-x64-gnu`. */
export function platformPackage(platform = process.platform, arch = process.arch): string | undefined {
  if (platform === "linux" && (arch === "x64" || arch === "arm64")) return `@ast-grep/cli-linux-${arch}-gnu`;
  if (platform === "darwin" && (arch === "x64" || arch === "arm64")) return `@ast-grep/cli-darwin-${arch}`;
  if (platform === "win32" && (arch === "x64" || arch === "arm64" || arch === "ia32"))
    return `@ast-grep/cli-win32-${arch}-msvc`;
  return undefined;
}

/**
 * Finds the binary once per process: the platform package's executable, else the CLI package's
 * `ast-grep` file (the binary when its postinstall ran, the shim — run with node — when not).
 * Throws E_CONFIG when neither is installed.
 */
export function findAstGrep(): Promise<AstGrepBinary> {
  cached ??= locate().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function locate(): Promise<AstGrepBinary> {
  const exe = process.platform === "win32" ? "ast-grep.exe" : "ast-grep";
  let cliDir: string;
  try {
    cliDir = path.dirname(require.resolve("@ast-grep/cli/package.json"));
  } catch {
    throw new SpecGateError(
      "E_CONFIG",
      "The ast-grep checker is not installed: run `npm ci` (or `npm install`) so the @ast-grep/cli dependency is present.",
    );
  }
  const version = (JSON.parse(await readFile(path.join(cliDir, "package.json"), "utf8")) as { version: string })
    .version;
  const pkg = platformPackage();
  if (pkg) {
    try {
      const dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [cliDir] }));
      const binary = path.join(dir, exe);
      await access(binary, constants.X_OK);
      return { command: binary, prefix: [], version };
    } catch {
      // Not installed for this platform (e.g. npm ci --omit=optional): try the CLI package's own file.
    }
  }
  const own = path.join(cliDir, "ast-grep");
  try {
    await access(own, constants.R_OK);
  } catch {
    throw new SpecGateError(
      "E_CONFIG",
      `No ast-grep binary for ${process.platform}-${process.arch}: reinstall with optional dependencies (npm ci without --omit=optional).`,
    );
  }
  const file = await open(own, "r");
  const head = Buffer.alloc(2);
  try {
    await file.read(head, 0, 2, 0);
  } finally {
    await file.close();
  }
  return head.toString("latin1") === "#!"
    ? { command: process.execPath, prefix: [own], version }
    : { command: own, prefix: [], version };
}
