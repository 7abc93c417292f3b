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
  id?: string;
  level?: Level;
  specgateRuleId?: string;
  messageStrings?: Obj;
  shortText?: string;
}

export function isSarifLog(value: unknown): boolean {
  return isObj(value) && (Array.isArray(value.runs) || typeof value.version === "string" || typeof value.$schema === "string");
}

/**
 * Yields one entry per result of every run, in order. Throws E_INVALID_INPUT for a malformed
 * log; the error's `details.path` is the JSON path of the offending value.
 */
export function* readSarif(log: unknown, root: string, label = root): Generator<RawFinding | NotAFailure> {
  const doc = obj(log, root);
  if (doc.version !== undefined && doc.version !== "2.1.0") {
    fail(`${root}.version`, `is ${show(doc.version)}; only SARIF 2.1.0 is supported`);
  }
  const runs = arr(doc.runs, `${root}.runs`);
  for (let r = 0; r < runs.length; r++) {
    const runPath = `${root}.runs[${r}]`;
    const run = obj(runs[r], runPath);
    const tool = optObj(run.tool, `${runPath}.tool`);
    const driver = optObj(tool?.driver, `${runPath}.tool.driver`);
    const toolName = optStr(driver?.name, `${runPath}.tool.driver.name`);
    const driverRules = readDescriptors(driver?.rules, `${runPath}.tool.driver.rules`);
    const extensionsRaw = tool?.extensions === undefined ? [] : arr(tool.extensions, `${runPath}.tool.extensions`);
    const extensions = extensionsRaw.map((ext, i) => {
      const e = obj(ext, `${runPath}.tool.extensions[${i}]`);
      return readDescriptors(e.rules, `${runPath}.tool.extensions[${i}].rules`);
    });
    const byId = new Map<string, Descriptor>();
    for (const list of [driverRules, ...extensions]) for (const d of list) if (d.id !== undefined && !byId.has(d.id)) byId.set(d.id, d);
    const artifacts = run.artifacts === undefined || run.artifacts === null ? [] : arr(run.artifacts, `${runPath}.artifacts`);

    if (run.results === undefined || run.results === null) continue;
    const results = arr(run.results, `${runPath}.results`);
    for (let i = 0; i < results.length; i++) {
      const path = `${runPath}.results[${i}]`;
      const result = obj(results[i], path);
      const kind = optStr(result.kind, `${path}.kind`);
      if (kind !== undefined && !KINDS.has(kind)) fail(`${path}.kind`, `is "${kind}", not a SARIF result kind`);
      if (kind !== undefined && NOT_FAILURES.has(kind)) {
        yield { notAFailure: true };
        continue;
      }
      const descriptor = descriptorOf(result, path, driverRules, extensions, byId);
      const ruleRef = optObj(result.rule, `${path}.rule`);
      const ref = optStr(result.ruleId, `${path}.ruleId`) ?? optStr(ruleRef?.id, `${path}.rule.id`) ?? descriptor?.id ?? "";
      const props = optObj(result.properties, `${path}.properties`);
      const explicit = optStr(props?.["specgate/rule_id"], `${path}.properties["specgate/rule_id"]`) ?? descriptor?.specgateRuleId;

      const ownLevel = optStr(result.level, `${path}.level`);
      if (ownLevel !== undefined && !LEVELS.has(ownLevel)) fail(`${path}.level`, `is "${ownLevel}"; expected none, note, warning or error`);
      const level = (ownLevel ?? descriptor?.level ?? "warning") as Level;
      const levelSource = ownLevel !== undefined ? "result" : descriptor?.level !== undefined ? "rule" : "default";

      const finding: RawFinding = {
        source: label,
        ...(toolName ? { tool: toolName } : {}),
        ref,
        ...(explicit !== undefined ? { explicitRuleId: explicit } : {}),
        ...locationOf(result, path, artifacts),
        message: messageOf(result, path, descriptor) || ref || "(no message)",
        level,
        levelSource,
        fingerprints: fingerprintsOf(result, path),
      };
      const suppression = suppressionOf(result, path);
      if (suppression) finding.suppression = suppression;
      yield finding;
    }
  }
}

function readDescriptors(value: unknown, path: string): Descriptor[] {
  if (value === undefined || value === null) return [];
  const list = arr(value, path);
  const out: Descriptor[] = new Array<Descriptor>(list.length);
  for (let i = 0; i < list.length; i++) {
    const p = `${path}[${i}]`;
    const d = obj(list[i], p);
    const config = optObj(d.defaultConfiguration, `${p}.defaultConfiguration`);
    const level = optStr(config?.level, `${p}.defaultConfiguration.level`);
    if (level !== undefined && !LEVELS.has(level)) fail(`${p}.defaultConfiguration.level`, `is "${level}"; expected none, note, warning or error`);
    const props = optObj(d.properties, `${p}.properties`);
    const shortDescription = optObj(d.shortDescription, `${p}.shortDescription`);
    out[i] = {
      id: optStr(d.id, `${p}.id`),
      level: level as Level | undefined,
      specgateRuleId: optStr(props?.["specgate/rule_id"], `${p}.properties["specgate/rule_id"]`),
      messageStrings: optObj(d.messageStrings, `${p}.messageStrings`),
      shortText: typeof shortDescription?.text === "string" ? shortDescription.text : undefined,
    };
  }
  return out;
}

function descriptorOf(result: Obj, path: string, driver: Descriptor[], extensions: Descriptor[][], byId: Map<string, Descriptor>): Descriptor | undefined {
  const ref = optObj(result.rule, `${path}.rule`);
  const component = optObj(ref?.toolComponent, `${path}.rule.toolComponent`);
  const refIndex = optIndex(ref?.index, `${path}.rule.index`);
  const componentIndex = optIndex(component?.index, `${path}.rule.toolComponent.index`);
  if (componentIndex !== undefined) {
    const rules = extensions[componentIndex];
    if (!rules) fail(`${path}.rule.toolComponent.index`, `is ${componentIndex} but the run has ${extensions.length} tool extensions`);
    if (refIndex !== undefined) {
      const d = rules[refIndex];
      if (!d) fail(`${path}.rule.index`, `is ${refIndex} but tool extension ${componentIndex} has ${rules.length} rules`);
      return d;
    }
  }
  const index = optIndex(result.ruleIndex, `${path}.ruleIndex`) ?? (componentIndex === undefined ? refIndex : undefined);
  if (index !== undefined) {
    const d = driver[index];
    if (!d) fail(`${path}.ruleIndex`, `is ${index} but tool.driver.rules has ${driver.length} entries`);
    return d;
  }
  const id = typeof result.ruleId === "string" ? result.ruleId : typeof ref?.id === "string" ? ref.id : undefined;
  return id === undefined ? undefined : byId.get(id);
}

function locationOf(result: Obj, path: string, artifacts: unknown[]): { file?: string; line?: number; column?: number } {
  if (result.locations === undefined || result.locations === null) return {};
  const locations = arr(result.locations, `${path}.locations`);
  if (locations.length === 0) return {};
  const lp = `${path}.locations[0]`;
  const location = obj(locations[0], lp);
  const physical = optObj(location.physicalLocation, `${lp}.physicalLocation`);
  if (!physical) return {};
  const artifact = optObj(physical.artifactLocation, `${lp}.physicalLocation.artifactLocation`);
  let uri = optStr(artifact?.uri, `${lp}.physicalLocation.artifactLocation.uri`);
  const artifactIndex = optIndex(artifact?.index, `${lp}.physicalLocation.artifactLocation.index`);
  if (uri === undefined && artifactIndex !== undefined) {
    const a = artifacts[artifactIndex];
    const loc = isObj(a) && isObj(a.location) ? a.location : undefined;
    if (typeof loc?.uri === "string") uri = loc.uri;
  }
  const region = optObj(physical.region, `${lp}.physicalLocation.region`);
  const line = optPositive(region?.startLine, `${lp}.physicalLocation.region.startLine`);
  const column = optPositive(region?.startColumn, `${lp}.physicalLocation.region.startColumn`);
  return { ...(uri ? { file: cleanUri(uri) } : {}), ...(line ? { line } : {}), ...(column ? { column } : {}) };
}

/** `file:///a/b%20c.ts` → `/a/b c.ts`; relative URIs are kept relative. */
function cleanUri(uri: string): string {
  let u = uri.startsWith("file://") ? uri.slice("file://".length) : uri;
  if (/^\/[A-Za-z]:\//.test(u)) u = u.slice(1);
  try {
    u = decodeURIComponent(u);
  } catch {
    /* keep the raw text when it is not valid percent-encoding */
  }
  return u.startsWith("./") ? u.slice(2) : u;
}

function messageOf(result: Obj, path: string, descriptor: Descriptor | undefined): string {
  const message = optObj(result.message, `${path}.message`);
  if (!message) return descriptor?.shortText ?? "";
  const text = optStr(message.text, `${path}.message.text`);
  if (text) return fill(text, message.arguments);
  const id = optStr(message.id, `${path}.message.id`);
  const template = id !== undefined ? descriptor?.messageStrings?.[id] : undefined;
  if (isObj(template) && typeof template.text === "string") return fill(template.text, message.arguments);
  const markdown = optStr(message.markdown, `${path}.message.markdown`);
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

function fingerprintsOf(result: Obj, path: string): string[] {
  const out: string[] = [];
  for (const field of ["partialFingerprints", "fingerprints"] as const) {
    const fp = optObj(result[field], `${path}.${field}`);
    if (!fp) continue;
    for (const key of Object.keys(fp)) {
      const v = fp[key];
      if (typeof v === "string" && v) out.push(`${key}=${v}`);
    }
  }
  return out;
}

function suppressionOf(result: Obj, path: string): RawFinding["suppression"] {
  if (result.suppressions !== undefined && result.suppressions !== null) {
    const list = arr(result.suppressions, `${path}.suppressions`);
    // A suppression whose request was rejected does not suppress (SARIF §3.35.3).
    if (list.some((s) => !(isObj(s) && s.status === "rejected"))) return "suppressed";
  }
  const state = optStr(result.baselineState, `${path}.baselineState`);
  if (state !== undefined && !BASELINE_STATES.has(state)) fail(`${path}.baselineState`, `is "${state}"; expected new, unchanged, updated or absent`);
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

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) fail(path, `must be an object (got ${typeName(v)})`);
  return v;
}

function optObj(v: unknown, path: string): Obj | undefined {
  return v === undefined || v === null ? undefined : obj(v, path);
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, `must be an array (got ${typeName(v)})`);
  return v;
}

function optStr(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") fail(path, `must be a string (got ${typeName(v)})`);
  return v;
}

/** SARIF indexes are integers ≥ -1, where -1 means "not given". */
function optIndex(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null || v === -1) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) fail(path, `must be an integer index ≥ 0 (got ${show(v)})`);
  return v;
}

function optPositive(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) fail(path, `must be an integer ≥ 1 (got ${show(v)})`);
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
