/**
 * Links from findings to code on GitHub (or GitHub Enterprise): `<server>/<owner>/<repo>/blob/<commit>/<path>#L<line>`.
 * Only repository-relative paths get a link; absolute paths and `..` cannot be placed in a repository.
 */
import { SpecGateError } from "../../errors.js";
import { trimEndChars } from "../text.js";

export interface LinkTarget {
  serverUrl: string;
  repository: string;
  commit: string;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const COMMIT = /^[A-Za-z0-9_./-]{1,200}$/;

/** Checks the link settings; all three must be known for links, and none of them may be odd. */
export function linkTarget(
  repository: string | undefined,
  commit: string | undefined,
  serverUrl = "https://github.com",
): LinkTarget | undefined {
  if (repository !== undefined && !REPOSITORY.test(repository)) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `repository must look like owner/name (got "${repository.slice(0, 80)}").`,
      { details: { path: "repository" } },
    );
  }
  if (commit !== undefined && (!COMMIT.test(commit) || commit.includes(".."))) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `commit must be a commit SHA or a ref name (got "${commit.slice(0, 80)}").`,
      { details: { path: "commit" } },
    );
  }
  let server: URL;
  try {
    server = new URL(serverUrl);
  } catch {
    throw new SpecGateError("E_INVALID_INPUT", `server_url must be an http(s) URL (got "${serverUrl.slice(0, 80)}").`, {
      details: { path: "server_url" },
    });
  }
  if (server.protocol !== "https:" && server.protocol !== "http:") {
    throw new SpecGateError("E_INVALID_INPUT", `server_url must be an http(s) URL (got "${serverUrl.slice(0, 80)}").`, {
      details: { path: "server_url" },
    });
  }
  if (!repository || !commit) return undefined;
  return { serverUrl: trimEndChars(server.href, "/"), repository, commit };
}

/** The blob URL of `file` at `line`, or undefined when the path is not repository-relative. */
export function lineUrl(
  target: LinkTarget | undefined,
  file: string | undefined,
  line: number | undefined,
): string | undefined {
  if (!target || !file) return undefined;
  const path = file.replace(/\\/g, "/").replace(/^\.\//, "");
  if (path.startsWith("/") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return undefined;
  const segments = path.split("/");
  if (segments.some((s) => s === ".." || s === "")) return undefined;
  const encoded = segments.map(encodeURIComponent).join("/");
  const commit = target.commit.split("/").map(encodeURIComponent).join("/");
  return `${target.serverUrl}/${target.repository}/blob/${commit}/${encoded}${line ? `#L${line}` : ""}`;
}
