/**
 * The simple findings list: `[{ rule_id, file?, line?, column?, message?, level?, fingerprint? }]`
 * — what a script or a tool without SARIF output can write. `level` accepts SARIF levels and the
 * usual synonyms (ERROR, WARN, INFO), any case.
 */
import { SpecGateError } from "../../errors.js";
import type { Level, RawFinding } from "./types.js";

const LEVEL_SYNONYMS: Readonly<Record<string, Level>> = {
  error: "error",
  warning: "warning",
  warn: "warning",
  note: "note",
  info: "note",
  notice: "note",
  none: "none",
};

export function* readFindingList(list: unknown, root: string, label = root): Generator<RawFinding> {
  if (!Array.isArray(list)) bad(root, "must be an array of findings or a SARIF log");
  let current = 0;
  const at = (key = "") => `${root}[${current}]${key}`;
  for (let i = 0; i < list.length; i++) {
    current = i;
    const item: unknown = list[i];
    if (typeof item !== "object" || item === null || Array.isArray(item))
      bad(at(), "must be an object with at least rule_id");
    const f = item as Record<string, unknown>;
    const ref = f.rule_id ?? f.ruleId;
    if (typeof ref !== "string" || !ref.trim()) bad(at(".rule_id"), "must be a non-empty string");
    const file = optString(f.file ?? f.path, at, ".file");
    const line = optPositive(f.line, at, ".line");
    const column = optPositive(f.column, at, ".column");
    const message = optString(f.message, at, ".message");
    const levelIn = optString(f.level ?? f.severity, at, ".level");
    let level: Level = "warning";
    if (levelIn !== undefined) {
      const mapped = LEVEL_SYNONYMS[levelIn.trim().toLowerCase()];
      if (!mapped) bad(at(".level"), `is "${levelIn.slice(0, 40)}"; expected error, warning, note or none`);
      level = mapped;
    }
    const fingerprint = optString(f.fingerprint, at, ".fingerprint");
    yield {
      source: label,
      ref: ref.trim(),
      file: file || undefined,
      line,
      column,
      message: message ?? ref.trim(),
      level,
      levelSource: levelIn !== undefined ? "result" : "default",
      fingerprints: fingerprint ? [fingerprint] : [],
    };
  }
}

function bad(path: string, problem: string): never {
  throw new SpecGateError("E_INVALID_INPUT", `Malformed findings: ${path} ${problem}.`, { details: { path } });
}

function optString(v: unknown, at: (key: string) => string, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") bad(at(key), `must be a string (got ${Array.isArray(v) ? "an array" : typeof v})`);
  return v;
}

function optPositive(v: unknown, at: (key: string) => string, key: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    bad(at(key), `must be an integer ≥ 1 (got ${typeof v === "number" ? v : typeof v})`);
  return v;
}
