/**
 * Loading rulesets: a bundled name (`specgate`, `specgate-en`, files in the top-level
 * `rulesets/` directory) or a YAML file, resolving `extends` chains.
 *
 * Safety, because a ruleset path can arrive in a tool call:
 * - with `allowAnyPath: false` (MCP), a path must resolve — symlinks followed — inside the
 *   bundled directory or `workspace`; otherwise E_FORBIDDEN, whether or not the file exists (a
 *   link in the workspace must not tell what exists outside). Only `.yaml`/`.yml` files are read.
 * - YAML is parsed (./parse.ts) with the `yaml` package, aliases capped (YAML bombs), duplicate
 *   keys refused, `__proto__`/`constructor`/`prototype` keys refused, then validated with zod; any
 *   problem is E_INVALID_INPUT naming the file and key. Error messages never echo file content.
 *   The bundled rulesets come parsed from the build while their YAML is unchanged.
 * - files over 256 KB are refused; `extends` chains are capped at 8 and cycles refused.
 *
 * All reads are async. Results are cached per process; a file ruleset is re-read when the
 * mtime or size of any file in its chain changes.
 */
import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { canonicalJson } from "../../../canonical-json.js";
import { SpecGateError } from "../../../errors.js";
import { isWithin, resolvedTarget } from "../../paths.js";
import { PACKAGE_ROOT } from "../../../package-root.js";
import { BUNDLED_DIR, BUNDLED_RULESETS } from "./bundled.js";
import { compileRuleset, type Ruleset } from "./compile.js";
import type { RulesetFile } from "./schema.js";

export { BUNDLED_DIR, BUNDLED_RULESETS };

const MAX_FILE_BYTES = 256 * 1024;
const MAX_EXTENDS_DEPTH = 8;

export interface LoadRulesetOptions {
  /** Root under which ruleset files may be read when `allowAnyPath` is false. */
  workspace?: string | undefined;
  /** CLI and library: the user names the file, any readable path is fine. MCP: false. */
  allowAnyPath?: boolean | undefined;
  /** Directory relative paths are resolved against (default: workspace, else cwd). */
  baseDir?: string | undefined;
}

interface Loaded {
  /** The merged raw object (before compiling). */
  merged: RulesetFile;
  /** Files read, with the stamp they had, for cache validation. */
  files: { file: string; stamp: string }[];
}

const cache = new Map<string, { files: { file: string; stamp: string }[]; ruleset: Ruleset }>();
const MAX_CACHED = 64;

/** The ruleset for a document language when the caller names none. */
export function defaultRulesetName(language: "ko" | "en"): string {
  return language === "en" ? "specgate-en" : "specgate";
}

/**
 * Loads and compiles a ruleset by bundled name or path. Throws E_NOT_FOUND, E_FORBIDDEN or
 * E_INVALID_INPUT (naming the key) — never a raw fs or YAML error.
 */
export async function loadRuleset(ref: string, options: LoadRulesetOptions = {}): Promise<Ruleset> {
  const file = await locate(ref, options, options.baseDir ?? options.workspace ?? process.cwd());
  const hit = cache.get(file);
  if (hit && (await stillFresh(hit.files))) return hit.ruleset;
  const loaded = await loadChain(file, options, []);
  const name = isBundled(file) ? path.basename(file).replace(/\.ya?ml$/, "") : file;
  const identity = `${name}#${createHash("sha256").update(canonicalJson(loaded.merged)).digest("base64url").slice(0, 16)}`;
  const ruleset = compileRuleset(loaded.merged, name, identity);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(file, { files: loaded.files, ruleset });
  return ruleset;
}

/** Lays `over` on `base`: objects merge key by key, arrays and scalars replace. */
export function mergeRulesets(base: RulesetFile, over: RulesetFile): RulesetFile {
  return mergeDeep(base, over) as RulesetFile;
}

function mergeDeep(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeDeep(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function loadChain(file: string, options: LoadRulesetOptions, seen: string[]): Promise<Loaded> {
  if (seen.includes(file))
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `Ruleset ${file}: \`extends\` forms a cycle (${[...seen, file].map(display).join(" → ")}).`,
      { details: { key: "extends" } },
    );
  if (seen.length >= MAX_EXTENDS_DEPTH)
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `Ruleset ${display(file)}: \`extends\` chain is deeper than ${MAX_EXTENDS_DEPTH}.`,
      { details: { key: "extends" } },
    );
  const { text, stamp } = await readRulesetFile(file);
  const own = await parseOwn(file, text);
  const files = [{ file, stamp }];
  let parentRef = own.extends;
  // A root file other than the bundled `specgate` is laid over the bundled ruleset of its language.
  if (parentRef === undefined && file !== path.join(BUNDLED_DIR, "specgate.yaml"))
    parentRef = own.language === "en" ? "specgate-en" : "specgate";
  if (parentRef === undefined) return { merged: own, files };
  const parentFile = await locate(parentRef, options, path.dirname(file));
  const parent = await loadChain(parentFile, options, [...seen, file]);
  const { extends: _ignored, ...rest } = own;
  return { merged: mergeRulesets(parent.merged, rest), files: [...parent.files, ...files] };
}

async function locate(ref: string, options: LoadRulesetOptions, baseDir: string): Promise<string> {
  if ((BUNDLED_RULESETS as readonly string[]).includes(ref)) return path.join(BUNDLED_DIR, `${ref}.yaml`);
  if (!/\.ya?ml$/i.test(ref)) {
    throw new SpecGateError(
      "E_NOT_FOUND",
      `Ruleset "${ref}" is neither a bundled ruleset (${BUNDLED_RULESETS.join(", ")}) nor a .yaml/.yml file.`,
      { details: { ruleset: ref } },
    );
  }
  const absolute = path.resolve(baseDir, ref);
  const roots = options.allowAnyPath
    ? []
    : [path.resolve(BUNDLED_DIR), ...(options.workspace ? [path.resolve(options.workspace)] : [])];
  const within = (file: string, dirs: string[]) => dirs.some((root) => isWithin(root, file));
  const forbidden = () =>
    new SpecGateError(
      "E_FORBIDDEN",
      `Ruleset ${ref} is outside the workspace; rulesets are read only from the bundled set or under SPECGATE_WORKSPACE.`,
      {
        details: { ruleset: ref },
      },
    );
  // Checked before touching the file system, so a tool call cannot probe for files elsewhere.
  if (!options.allowAnyPath && !within(absolute, roots)) throw forbidden();
  const real = await realpath(absolute).catch(() => undefined);
  if (!options.allowAnyPath) {
    // Symlinks inside the workspace must not lead out of it — decided on where the path leads
    // whether or not the file is there, so the answer never tells what exists outside.
    const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
    if (!within(real ?? (await resolvedTarget(absolute)), realRoots)) throw forbidden();
  }
  if (real === undefined)
    throw new SpecGateError("E_NOT_FOUND", `Ruleset file ${options.allowAnyPath ? absolute : ref} does not exist.`, {
      details: { ruleset: ref },
    });
  return real;
}

/**
 * A ruleset file's own content. A bundled ruleset is read as the build parsed and validated it
 * (dist/rulesets/<name>.json) while its YAML is the text the build read; otherwise, and for every
 * other file, the YAML is parsed and validated here.
 */
async function parseOwn(file: string, text: string): Promise<RulesetFile> {
  if (isBundled(file)) {
    const compiled = await readCompiled(display(file), text);
    if (compiled) return compiled;
  }
  const { parseRulesetYaml } = await import("./parse.js");
  return parseRulesetYaml(text, display(file));
}

async function readCompiled(name: string, text: string): Promise<RulesetFile | undefined> {
  try {
    const compiled = JSON.parse(
      await readFile(path.join(PACKAGE_ROOT, "dist", "rulesets", `${name}.json`), "utf8"),
    ) as CompiledRuleset;
    return compiled.source_sha256 === sourceHash(text) ? compiled.ruleset : undefined;
  } catch {
    return undefined; // not built, or not readable: parse the YAML
  }
}

/** What the build writes for a bundled ruleset: the parsed file, and the hash of the YAML it came from. */
export interface CompiledRuleset {
  source_sha256: string;
  ruleset: RulesetFile;
}

export function sourceHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

async function readRulesetFile(file: string): Promise<{ text: string; stamp: string }> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new SpecGateError("E_INVALID_INPUT", `Ruleset ${display(file)} is not a file.`);
    if (info.size > MAX_FILE_BYTES)
      throw new SpecGateError(
        "E_INVALID_INPUT",
        `Ruleset ${display(file)} is ${info.size} bytes; rulesets are limited to ${MAX_FILE_BYTES / 1024} KB.`,
      );
    const text = await readFile(file, "utf8");
    return { text, stamp: `${info.mtimeMs}:${info.size}` };
  } catch (error) {
    if (error instanceof SpecGateError) throw error;
    throw new SpecGateError(
      "E_NOT_FOUND",
      `Cannot read ruleset ${display(file)} (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
    );
  }
}

async function stillFresh(files: { file: string; stamp: string }[]): Promise<boolean> {
  const stamps = await Promise.all(
    files.map((f) =>
      stat(f.file).then(
        (s) => `${s.mtimeMs}:${s.size}`,
        () => "",
      ),
    ),
  );
  return stamps.every((s, i) => s === files[i]!.stamp);
}

function isBundled(file: string): boolean {
  return path.dirname(file) === path.resolve(BUNDLED_DIR) || file.startsWith(path.resolve(BUNDLED_DIR) + path.sep);
}

/** Bundled files by name; others by path. */
function display(file: string): string {
  return isBundled(file) ? path.basename(file).replace(/\.ya?ml$/, "") : file;
}
