/**
 * The package version, read once from the package's package.json.
 * It is part of every cache key, so a new release never reads results an older one produced.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "./package-root.js";

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export const VERSION: string = readVersion();

/** The name the package is published under (its command is `specgate`). */
export const PACKAGE_NAME = "@specgate/cli";
