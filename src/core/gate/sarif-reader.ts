/**
 * Reads SARIF 2.1.0 logs from any producer into {@link RawFinding}s: Semgrep (results without
 * `level`), CodeQL (`ruleIndex` into `tool.driver.rules[]`, or `rule.toolComponent` into
 * `tool.extensions[]`), SpecGate's own lint/gate SARIF, and anything else that follows the spec.
 *
 * The reader is a generator that walks known fields only — it never recurses into user data, so
 * deep or cyclic objects cost nothing and a million results stream through without being copied.
 * A field of the wrong type is E_INVALID_INPUT naming its JSON path (`sarif.runs[0].results[3].level`).
 */
import { SpecGateError } from "../../errors.js";
import { SPECLINT_SARIF_TOOL } from "../lint/format/sarif.js";
import type { Level, RawFinding } from "./types.js";

const LEVELS: ReadonlySet<string> = new Set(["none", "note", "warning", "error"]);
const NOT_FAILURES: ReadonlySet<string> = new Set(["pass", "notApplicable", "informational"]);
const KINDS: ReadonlySet<string> = new Set(["pass", "open", "informational", "notApplicable", "review", "fail"]);
const BASELINE_STATES: ReadonlySet<string> = new Set(["new", "unchanged", "updated", "absent"]);

/** A result that is not a failure (SARIF `kind` pass / notApplicable / informational). */
export interface NotAFailure {
  notAFailure: true;
}

type Obj = Record<string, unknown>;

interface Descriptor {
  id?: string | undefined;
  level?: Level | undefined;
  specgateRuleId?: string | undefined;
  messageStrings?: Obj | undefined;
  shortText?: string | undefined;
}

export function isSarifLog(value: unknown): boolean {
  return (
    isObj(value) &&
    (Array.isArray(value.runs) || typeof value.version === "string" || typeof value.$schema === "string")
  );
}

/**
 * Yields one entry per result of every run, in order. Throws E_INVALID_INPUT for a malformed
 * log; the error's `details.path` is the JSON path of the offending value.
 */
export function* readSarif(
  log: unknown,
  root: string,
  label = root,
  options: { fingerprints?: boolean } = {},
): Generator<RawFinding | NotAFailure> {
  const wantFingerprints = options.fingerprints ?? true;
  const at0: At = (s = "") => root + s;
  const doc = obj(log, at0, "");
  if (doc.version !== undefined && doc.version !== "2.1.0")
    fail(`${root}.version`, `is ${show(doc.version)}; only SARIF 2.1.0 is supported`);
  const runs = arr(doc.runs, at0, ".runs");
  const uris = new Map<string, string>();
  for (let r = 0; r < runs.length; r++) {
    const atRun: At = (s = "") => `${root}.runs[${r}]${s}`;
    const run = obj(runs[r], atRun, "");
    const tool = optObj(run.tool, atRun, ".tool");
    const driver = optObj(tool?.driver, atRun, ".tool.driver");
    const toolName = optStr(driver?.name, atRun, ".tool.driver.name");
    // SpecGate's lint SARIF: its results are about the document, not code.
    const documentRun = toolName === SPECLINT_SARIF_TOOL;
    const driverRules = readDescriptors(driver?.rules, atRun, ".tool.driver.rules");
    const extensionsRaw =
      tool?.extensions === undefined || tool.extensions === null ? [] : arr(tool.extensions, atRun, ".tool.extensions");
    const extensions = extensionsRaw.map((ext, i) =>
      readDescriptors(obj(ext, atRun, `.tool.extensions[${i}]`).rules, atRun, `.tool.extensions[${i}].rules`),
    );
    const byId = new Map<string, Descriptor>();
    for (const list of [driverRules, ...extensions])
      for (const d of list) if (d.id !== undefined && !byId.has(d.id)) byId.set(d.id, d);
    const artifacts =
      run.artifacts === undefined || run.artifacts === null ? [] : arr(run.artifacts, atRun, ".artifacts");

    if (run.results === undefined || run.results === null) continue;
    const results = arr(run.results, atRun, ".results");
    // Paths are only built when something is wrong (a million results must not make a million
    // strings each), and by one function per run that reads the current index.
    let current = 0;
    const at: At = (s = "") => `${root}.runs[${r}].results[${current}]${s}`;
    for (let i = 0; i < results.length; i++) {
      current = i;
      const result = obj(results[i], at, "");
      const kind = optStr(result.kind, at, ".kind");
      if (kind !== undefined) {
        if (!KINDS.has(kind)) fail(at(".kind"), `is ${show(kind)}, not a SARIF result kind`);
        if (NOT_FAILURES.has(kind)) {
          yield NOT_A_FAILURE;
          continue;
        }
      }
      const descriptor = descriptorOf(result, at, driverRules, extensions, byId);
      const ruleRef = optObj(result.rule, at, ".rule");
      const ref = optStr(result.ruleId, at, ".ruleId") ?? optStr(ruleRef?.id, at, ".rule.id") ?? descriptor?.id ?? "";
      const props = optObj(result.properties, at, ".properties");
      const explicit =
        optStr(props?.["specgate/rule_id"], at, '.properties["specgate/rule_id"]') ?? descriptor?.specgateRuleId;

      const ownLevel = optStr(result.level, at, ".level");
      if (ownLevel !== undefined && !LEVELS.has(ownLevel))
        fail(at(".level"), `is ${show(ownLevel)}; expected none, note, warning or error`);
      const finding: RawFinding = {
        source: label,
        tool: toolName,
        ref,
        explicitRuleId: explicit,
        file: undefined,
        line: undefined,
        column: undefined,
        message: "",
        level: (ownLevel ?? descriptor?.level ?? "warning") as Level,
        levelSource: ownLevel !== undefined ? "result" : descriptor?.level !== undefined ? "rule" : "default",
        fingerprints: wantFingerprints ? fingerprintsOf(result, at) : NONE,
        suppression: suppressionOf(result, at),
        ...(documentRun ? { document: true as const } : {}),
      };
      readLocation(result, at, artifacts, uris, finding);
      finding.message = messageOf(result, at, descriptor) || ref || "(no message)";
      yield finding;
    }
  }
}

/** Builds the JSON path of a value under the current object, on demand. */
type At = (suffix?: string) => string;
const NOT_A_FAILURE: NotAFailure = Object.freeze({ notAFailure: true });
const NONE: string[] = [];
/** Distinct artifact URIs remembered in their cleaned form (a bound, so memory stays flat). */
const MAX_URI_MEMO = 20_000;

function readDescriptors(value: unknown, atParent: At, key: string): Descriptor[] {
  if (value === undefined || value === null) return [];
  const list = arr(value, atParent, key);
  const out: Descriptor[] = new Array<Descriptor>(list.length);
  for (let i = 0; i < list.length; i++) {
    const at: At = (s = "") => atParent(`${key}[${i}]${s}`);
    const d = obj(list[i], at, "");
    const config = optObj(d.defaultConfiguration, at, ".defaultConfiguration");
    const level = optStr(config?.level, at, ".defaultConfiguration.level");
    if (level !== undefined && !LEVELS.has(level))
      fail(at(".defaultConfiguration.level"), `is ${show(level)}; expected none, note, warning or error`);
    const props = optObj(d.properties, at, ".properties");
    const shortDescription = optObj(d.shortDescription, at, ".shortDescription");
    out[i] = {
      id: optStr(d.id, at, ".id"),
      level: level as Level | undefined,
      specgateRuleId: optStr(props?.["specgate/rule_id"], at, '.properties["specgate/rule_id"]'),
      messageStrings: optObj(d.messageStrings, at, ".messageStrings"),
      shortText: typeof shortDescription?.text === "string" ? shortDescription.text : undefined,
    };
  }
  return out;
}

function descriptorOf(
  result: Obj,
  at: At,
  driver: Descriptor[],
  extensions: Descriptor[][],
  byId: Map<string, Descriptor>,
): Descriptor | undefined {
  const ref = optObj(result.rule, at, ".rule");
  const component = optObj(ref?.toolComponent, at, ".rule.toolComponent");
  const refIndex = optIndex(ref?.index, at, ".rule.index");
  const componentIndex = optIndex(component?.index, at, ".rule.toolComponent.index");
  if (componentIndex !== undefined) {
    const rules = extensions[componentIndex];
    if (!rules)
      fail(
        at(".rule.toolComponent.index"),
        `is ${componentIndex} but the run has ${extensions.length} tool extensions`,
      );
    if (refIndex !== undefined) {
      const d = rules[refIndex];
      if (!d) fail(at(".rule.index"), `is ${refIndex} but tool extension ${componentIndex} has ${rules.length} rules`);
      return d;
    }
  }
  const index = optIndex(result.ruleIndex, at, ".ruleIndex") ?? (componentIndex === undefined ? refIndex : undefined);
  if (index !== undefined) {
    const d = driver[index];
    if (!d) fail(at(".ruleIndex"), `is ${index} but tool.driver.rules has ${driver.length} entries`);
    return d;
  }
  const id = typeof result.ruleId === "string" ? result.ruleId : typeof ref?.id === "string" ? ref.id : undefined;
  return id === undefined ? undefined : byId.get(id);
}

/** Sets `file`, `line` and `column` of `into` from the result's first location. */
function readLocation(result: Obj, at: At, artifacts: unknown[], uris: Map<string, string>, into: RawFinding): void {
  if (result.locations === undefined || result.locations === null) return;
  const locations = arr(result.locations, at, ".locations");
  if (locations.length === 0) return;
  const location = obj(locations[0], at, ".locations[0]");
  const physical = optObj(location.physicalLocation, at, ".locations[0].physicalLocation");
  if (!physical) return;
  const artifact = optObj(physical.artifactLocation, at, ".locations[0].physicalLocation.artifactLocation");
  let uri = optStr(artifact?.uri, at, ".locations[0].physicalLocation.artifactLocation.uri");
  const artifactIndex = optIndex(artifact?.index, at, ".locations[0].physicalLocation.artifactLocation.index");
  if (uri === undefined && artifactIndex !== undefined) {
    const a = artifacts[artifactIndex];
    const loc = isObj(a) && isObj(a.location) ? a.location : undefined;
    if (typeof loc?.uri === "string") uri = loc.uri;
  }
  const region = optObj(physical.region, at, ".locations[0].physicalLocation.region");
  const line = optPositive(region?.startLine, at, ".locations[0].physicalLocation.region.startLine");
  const column = optPositive(region?.startColumn, at, ".locations[0].physicalLocation.region.startColumn");
  let file: string | undefined;
  if (uri) {
    file = uris.get(uri);
    if (file === undefined) {
      file = cleanUri(uri);
      if (uris.size < MAX_URI_MEMO) uris.set(uri, file);
    }
  }
  into.file = file || undefined;
  into.line = line;
  into.column = column;
}

/** `file:///a/b%20c.ts` → `/a/b c.ts`; relative URIs are kept relative. */
function cleanUri(uri: string): string {
  let u = uri.startsWith("file://") ? uri.slice("file://".length) : uri;
  if (/^\/[A-Za-z]:\//.test(u)) u = u.slice(1);
  if (u.includes("%")) {
    try {
      u = decodeURIComponent(u);
    } catch {
      /* keep the raw text when it is not valid percent-encoding */
    }
  }
  return u.startsWith("./") ? u.slice(2) : u;
}

function messageOf(result: Obj, at: At, descriptor: Descriptor | undefined): string {
  const message = optObj(result.message, at, ".message");
  if (!message) return descriptor?.shortText ?? "";
  const text = optStr(message.text, at, ".message.text");
  if (text) return fill(text, message.arguments);
  const id = optStr(message.id, at, ".message.id");
  const template = id !== undefined ? descriptor?.messageStrings?.[id] : undefined;
  if (isObj(template) && typeof template.text === "string") return fill(template.text, message.arguments);
  const markdown = optStr(message.markdown, at, ".message.markdown");
  return markdown ?? descriptor?.shortText ?? "";
}

/** SARIF message placeholders `{0}`, `{1}` … filled from `arguments`. */
function fill(text: string, args: unknown): string {
  if (!Array.isArray(args) || args.length === 0 || !text.includes("{")) return text;
  return text.replace(/\{(\d{1,3})\}/g, (all, n: string) => {
    const v: unknown = args[Number(n)];
    return typeof v === "string" || typeof v === "number" ? String(v) : all;
  });
}

function fingerprintsOf(result: Obj, at: At): string[] {
  if (result.partialFingerprints == null && result.fingerprints == null) return NONE;
  const out: string[] = [];
  for (const field of ["partialFingerprints", "fingerprints"] as const) {
    const fp = optObj(result[field], at, `.${field}`);
    if (!fp) continue;
    for (const key of Object.keys(fp)) {
      const v = fp[key];
      if (typeof v === "string" && v) out.push(`${key}=${v}`);
    }
  }
  return out;
}

function suppressionOf(result: Obj, at: At): RawFinding["suppression"] {
  if (result.suppressions !== undefined && result.suppressions !== null) {
    const list = arr(result.suppressions, at, ".suppressions");
    // A suppression whose request was rejected does not suppress (SARIF §3.35.3).
    if (list.some((s) => !(isObj(s) && s.status === "rejected"))) return "suppressed";
  }
  const state = optStr(result.baselineState, at, ".baselineState");
  if (state === undefined) return undefined;
  if (!BASELINE_STATES.has(state))
    fail(at(".baselineState"), `is ${show(state)}; expected new, unchanged, updated or absent`);
  if (state === "unchanged") return "baseline_unchanged";
  if (state === "absent") return "baseline_absent";
  return undefined;
}

function fail(path: string, problem: string): never {
  throw new SpecGateError("E_INVALID_INPUT", `Malformed SARIF: ${path} ${problem}.`, { details: { path } });
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function obj(v: unknown, at: At, key: string): Obj {
  if (!isObj(v)) fail(at(key), `must be an object (got ${typeName(v)})`);
  return v;
}

function optObj(v: unknown, at: At, key: string): Obj | undefined {
  return v === undefined || v === null ? undefined : obj(v, at, key);
}

function arr(v: unknown, at: At, key: string): unknown[] {
  if (!Array.isArray(v)) fail(at(key), `must be an array (got ${typeName(v)})`);
  return v;
}

function optStr(v: unknown, at: At, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") fail(at(key), `must be a string (got ${typeName(v)})`);
  return v;
}

/** SARIF indexes are integers ≥ -1, where -1 means "not given". */
function optIndex(v: unknown, at: At, key: string): number | undefined {
  if (v === undefined || v === null || v === -1) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
    fail(at(key), `must be an integer index ≥ 0 (got ${show(v)})`);
  return v;
}

function optPositive(v: unknown, at: At, key: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) fail(at(key), `must be an integer ≥ 1 (got ${show(v)})`);
  return v;
}

/** A short, safe rendering of a bad value (never serialises objects: they may be huge or cyclic). */
function show(v: unknown): string {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeName(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : typeof v;
}
