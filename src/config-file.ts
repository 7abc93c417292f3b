/**
 * The project configuration file: `.specgate.yaml` (or `.specgate.yml`, `.specgate.json`), found
 * by walking up from a directory to the first directory holding `.git` (inclusive) or the
 * filesystem root. Validated strictly: an unknown key, a wrong type or anything that looks like a
 * secret is E_CONFIG naming the file and the key path. Paths in it are relative to its directory.
 *
 * The CLI reads it from the current directory (flags override it, it overrides the defaults);
 * the MCP tools read the one in SPECGATE_WORKSPACE.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { TARGETS } from "./core/generate/types.js";
import { BUNDLED_RULESETS } from "./core/lint/ruleset/bundled.js";
import { trimEndChars } from "./core/text.js";
import { SpecGateError } from "./errors.js";
import { PARSE_ONCE } from "./parse-once.js";

export const CONFIG_FILE_NAMES = [".specgate.yaml", ".specgate.yml", ".specgate.json"] as const;

/** Output formats of `specgate lint`. */
export const LINT_FORMATS = ["stylish", "json", "sarif", "github", "markdown", "junit", "gitlab"] as const;

const score = z.number().min(0).max(100);
const text = z.string().min(1);

const FileSchema = z.strictObject({
  ruleset: text.optional(),
  min_score: score.optional(),
  ignore: z.array(text).optional(),
  format: z.enum(LINT_FORMATS).optional(),
  confluence: z
    .strictObject({
      base_url: z
        .string()
        .refine((v) => /^https?:\/\/[^/\s]+/i.test(v) && URL.canParse(v), "an absolute http(s) URL")
        .optional(),
      client_cert: text.optional(),
      client_key: text.optional(),
      ca_cert: text.optional(),
    })
    .optional(),
  generate: z
    .strictObject({
      targets: z.array(z.enum(TARGETS)).optional(),
      out: text.optional(),
      project: text.optional(),
      base_package: text.optional(),
    })
    .optional(),
  gate: z.strictObject({ fail: score.optional(), warn: score.optional() }).optional(),
});

/** The keys each level accepts, for "did you mean". */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  "": Object.keys(FileSchema.shape),
  confluence: ["base_url", "client_cert", "client_key", "ca_cert"],
  generate: ["targets", "out", "project", "base_package"],
  gate: ["fail", "warn"],
};

/** Key names that hold credentials: never in a file that is committed. */
const SECRET_KEY = /^(?:.*[_-])?(?:token|password|passwd|secret|pat|api[_-]?key|credentials?)$/i;

export interface ConfigFile {
  /** Absolute path of the file read. */
  readonly file: string;
  /** A bundled ruleset name, or an absolute path (resolved against the file's directory). */
  readonly ruleset?: string;
  readonly minScore?: number;
  /** Globs left out of document expansion (relative to the current directory, like `!glob`). */
  readonly ignore: readonly string[];
  readonly format?: (typeof LINT_FORMATS)[number];
  readonly confluence: {
    readonly baseUrl?: string;
    /** PEM files for mutual TLS and a private CA: absolute (resolved against the file's directory). */
    readonly clientCert?: string;
    readonly clientKey?: string;
    readonly caCert?: string;
  };
  readonly generate: {
    readonly targets?: readonly (typeof TARGETS)[number][];
    /** Absolute (resolved against the file's directory). */
    readonly out?: string;
    readonly project?: string;
    readonly basePackage?: string;
  };
  readonly gate: { readonly fail?: number; readonly warn?: number };
}

/**
 * The first configuration file found from `start` upwards, stopping after a directory that
 * holds `.git` (or at the root). `undefined` when there is none.
 */
export async function findConfigFile(start: string): Promise<string | undefined> {
  let dir = path.resolve(start);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
    }
    if (await stat(path.join(dir, ".git")).catch(() => undefined)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The configuration file directly in `dir` (no walking up), if any. */
export async function configFileIn(dir: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(path.resolve(dir), name);
    if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
  }
  return undefined;
}

/** Reads and validates one configuration file. Throws E_CONFIG (E_NOT_FOUND when it is missing). */
export async function readConfigFile(file: string): Promise<ConfigFile> {
  const absolute = path.resolve(file);
  const source = await readFile(absolute, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new SpecGateError(
      error.code === "ENOENT" ? "E_NOT_FOUND" : "E_CONFIG",
      `Cannot read configuration file ${file}: ${error.code ?? String(error)}.`,
    );
  });
  return parseConfigFile(source, absolute);
}

/**
 * Validates configuration text; `file` (absolute) names it in errors and anchors its paths. The
 * YAML parser is loaded only for a YAML file: most commands run with none.
 */
export async function parseConfigFile(source: string, file: string): Promise<ConfigFile> {
  const yaml = file.endsWith(".json") ? undefined : await import("yaml");
  let raw: unknown;
  try {
    raw = yaml ? (yaml.parse(source) as unknown) : (JSON.parse(source) as unknown);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new SpecGateError("E_CONFIG", `${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${reason}`);
  }
  if (raw === null || raw === undefined) raw = {};
  refuseSecrets(raw, [], file);
  const parsed = FileSchema.safeParse(raw, PARSE_ONCE);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => describeIssue(issue));
    throw new SpecGateError("E_CONFIG", `${file}: ${lines.join("; ")}`);
  }
  const c = parsed.data;
  const dir = path.dirname(file);
  const ruleset =
    c.ruleset === undefined || (BUNDLED_RULESETS as readonly string[]).includes(c.ruleset)
      ? c.ruleset
      : path.resolve(dir, c.ruleset);
  return {
    file,
    ...(ruleset !== undefined ? { ruleset } : {}),
    ...(c.min_score !== undefined ? { minScore: c.min_score } : {}),
    ignore: c.ignore ?? [],
    ...(c.format !== undefined ? { format: c.format } : {}),
    confluence: {
      ...(c.confluence?.base_url !== undefined ? { baseUrl: trimEndChars(c.confluence.base_url, "/") } : {}),
      ...(c.confluence?.client_cert !== undefined ? { clientCert: path.resolve(dir, c.confluence.client_cert) } : {}),
      ...(c.confluence?.client_key !== undefined ? { clientKey: path.resolve(dir, c.confluence.client_key) } : {}),
      ...(c.confluence?.ca_cert !== undefined ? { caCert: path.resolve(dir, c.confluence.ca_cert) } : {}),
    },
    generate: {
      ...(c.generate?.targets !== undefined ? { targets: c.generate.targets } : {}),
      ...(c.generate?.out !== undefined ? { out: path.resolve(dir, c.generate.out) } : {}),
      ...(c.generate?.project !== undefined ? { project: c.generate.project } : {}),
      ...(c.generate?.base_package !== undefined ? { basePackage: c.generate.base_package } : {}),
    },
    gate: {
      ...(c.gate?.fail !== undefined ? { fail: c.gate.fail } : {}),
      ...(c.gate?.warn !== undefined ? { warn: c.gate.warn } : {}),
    },
  };
}

/**
 * The file the CLI uses: `--config FILE` (must exist), none with `--no-config` (`false`), else
 * the one found from `cwd` upwards.
 */
export async function loadCliConfigFile(
  option: string | boolean | undefined,
  cwd: string,
): Promise<ConfigFile | undefined> {
  if (option === false) return undefined;
  if (typeof option === "string") return readConfigFile(path.resolve(cwd, option));
  const found = await findConfigFile(cwd);
  return found === undefined ? undefined : readConfigFile(found);
}

function refuseSecrets(value: unknown, at: (string | number)[], file: string): void {
  if (Array.isArray(value)) value.forEach((v, i) => refuseSecrets(v, [...at, i], file));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(key)) {
        throw new SpecGateError(
          "E_CONFIG",
          `${file}: ${keyPath([...at, key])}: looks like a secret; secrets go in the environment (CONFLUENCE_API_TOKEN, CONFLUENCE_PAT, GITHUB_TOKEN), never in a configuration file.`,
        );
      }
      refuseSecrets(v, [...at, key], file);
    }
  }
  if (typeof value === "string" && at.join(".") === "confluence.base_url" && hasPassword(value))
    throw new SpecGateError(
      "E_CONFIG",
      `${file}: confluence.base_url: holds credentials; secrets go in the environment (CONFLUENCE_EMAIL, CONFLUENCE_API_TOKEN).`,
    );
}

/** Whether a URL carries a password (`https://user:secret@host`). */
function hasPassword(value: string): boolean {
  try {
    return new URL(value).password !== "";
  } catch {
    return false;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const parent = issue.path.map(String).join(".");
    const known = KNOWN_KEYS[parent] ?? [];
    return issue.keys
      .map((key) => {
        const near = closest(key, known);
        return `${keyPath([...issue.path, key])}: unknown key${near ? ` (did you mean "${near}"?)` : ""}; known keys: ${known.join(", ")}`;
      })
      .join("; ");
  }
  const where = issue.path.length ? keyPath(issue.path) : "(top level)";
  if (issue.code === "invalid_value" && "values" in issue)
    return `${where}: expected one of ${issue.values.map(String).join(", ")}`;
  if (issue.code === "invalid_type") return `${where}: expected ${issue.expected}`;
  if (issue.code === "too_small" || issue.code === "too_big")
    return `${where}: ${issue.message.replace(/^Too (small|big): expected /, "expected ")}`;
  if (issue.code === "custom") return `${where}: expected ${issue.message}`;
  return `${where}: ${issue.message}`;
}

function keyPath(parts: readonly PropertyKey[]): string {
  return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

/** The known key within edit distance 2 of `key`, if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
