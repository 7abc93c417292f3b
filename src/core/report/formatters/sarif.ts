/**
 * The SARIF 2.1.0 formatter: diagnostics → one run of one tool, with `rules[]` (helpUri, help,
 * default level, properties), results with `ruleIndex`, locations, `partialFingerprints`, fixes
 * and in-source suppressions, and (when asked) the invocation's notifications about inputs that
 * could not be processed. Ready for GitHub code scanning (`upload-sarif`) and for `specgate gate`;
 * the output validates against the OASIS SARIF 2.1.0 schema (tested). The one SARIF writer of
 * SpecGate: speclint, the gate and `specgate check` all write through it.
 */
import { fullText, sarifLevel, type Diagnostic, type DiagnosticSeverity } from "../diagnostic.js";

export type SarifLevel = "error" | "warning" | "note" | "none";

export interface SarifToolInfo {
  name: string;
  /** e.g. "SpecGate speclint (design document linter)". */
  fullName?: string;
  version: string;
  informationUri?: string;
}

/** A rule of the run (`tool.driver.rules[]`). */
export interface SarifRuleInput {
  id: string;
  name?: string;
  shortDescription: string;
  fullDescription?: string;
  /** An absolute URL that explains the rule (written only when it is an http(s) URL). */
  helpUri?: string;
  helpText?: string;
  helpMarkdown?: string;
  level?: SarifLevel;
  properties?: Record<string, unknown>;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifOptions {
  tool: SarifToolInfo;
  /** Rules first listed; a diagnostic whose code is not among them gets a minimal descriptor. */
  rules?: readonly SarifRuleInput[];
  /** How a diagnostic's file becomes an artifact location; default {@link toUri}. */
  artifact?: (file: string) => SarifArtifactLocation;
  /** `originalUriBaseIds` of the run (e.g. `%SRCROOT%`), for relative artifact locations. */
  originalUriBaseIds?: Record<string, { uri: string }>;
  /** When set (even empty), the run records its invocation: inputs that could not be processed. */
  notifications?: readonly { message: string; file?: string; level?: SarifLevel }[];
  /** `message.text` of a result; default: the message, then the help on its own line. */
  text?: (d: Diagnostic) => string;
  /** Run `properties` (e.g. the gate's drift score and decision). */
  properties?: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: Record<string, unknown> };
  results: Record<string, unknown>[];
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** The log as an object. */
export function toSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): SarifLog {
  const descriptors: Record<string, unknown>[] = [];
  const indexOf = new Map<string, number>();
  const addRule = (r: SarifRuleInput) => {
    if (indexOf.has(r.id)) return;
    indexOf.set(r.id, descriptors.length);
    descriptors.push(descriptor(r));
  };
  for (const r of options.rules ?? []) addRule(r);
  const artifact = options.artifact ?? ((file: string) => ({ uri: toUri(file) }));
  const text = options.text ?? fullText;
  const results = diagnostics.map((d) => {
    if (!indexOf.has(d.code)) addRule({ id: d.code, shortDescription: d.code });
    const result: Record<string, unknown> = {
      ruleId: d.code,
      ruleIndex: indexOf.get(d.code),
      level: sarifLevel(d.severity),
      message: { text: text(d) || d.code },
    };
    const location = d.file ? artifact(d.file) : undefined;
    if (location) {
      const region: Record<string, number> = {};
      if (d.line) region.startLine = d.line;
      if (d.line && d.column) region.startColumn = d.column;
      result.locations = [{ physicalLocation: { artifactLocation: location, ...(d.line ? { region } : {}) } }];
    }
    if (d.fingerprints && Object.keys(d.fingerprints).length > 0) result.partialFingerprints = { ...d.fingerprints };
    if (d.fix && location) {
      const { start_line, end_line } = d.fix;
      const replacement = {
        deletedRegion: { startLine: start_line, startColumn: 1, endLine: end_line, endColumn: 1 },
        insertedContent: { text: d.fix.text },
      };
      result.fixes = [
        {
          description: { text: d.fix.description },
          artifactChanges: [{ artifactLocation: location, replacements: [replacement] }],
        },
      ];
    }
    if (d.suppression) {
      result.suppressions = [
        {
          kind: "inSource",
          status: "accepted",
          ...(d.suppression.justification ? { justification: d.suppression.justification } : {}),
        },
      ];
    }
    if (d.properties) result.properties = { ...d.properties };
    return result;
  });
  const { tool } = options;
  const driver: Record<string, unknown> = { name: tool.name };
  if (tool.fullName) driver.fullName = tool.fullName;
  driver.version = tool.version;
  if (semver(tool.version)) driver.semanticVersion = tool.version;
  if (tool.informationUri) driver.informationUri = tool.informationUri;
  driver.rules = descriptors;
  const run: Record<string, unknown> = { tool: { driver } };
  if (options.originalUriBaseIds) run.originalUriBaseIds = options.originalUriBaseIds;
  if (options.notifications) {
    const notifications = options.notifications.map((n) => ({
      level: n.level ?? "error",
      message: { text: n.message },
      ...(n.file ? { locations: [{ physicalLocation: { artifactLocation: artifact(n.file) } }] } : {}),
    }));
    run.invocations = [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }];
  }
  run.results = results;
  if (options.properties) run.properties = { ...options.properties };
  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run as SarifRun] };
}

/** The log as JSON text (two-space indented, with a final newline). */
export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(diagnostics, options), null, 2)}\n`;
}

/** A result for {@link buildSarifLog}: a diagnostic in SARIF's terms. */
export interface SarifResultInput {
  ruleId: string;
  level: SarifLevel;
  message: string;
  /** Repository-relative path (or absolute; written as a file: URI). */
  file?: string;
  line?: number;
  column?: number;
  partialFingerprints?: Record<string, string>;
  properties?: Record<string, unknown>;
}

/**
 * One run of `tool` with `rules` and `results` given in SARIF's terms (the library's original
 * entry point; it goes through {@link toSarif}).
 */
export function buildSarifLog(
  tool: SarifToolInfo,
  rules: readonly SarifRuleInput[],
  results: readonly SarifResultInput[],
  runProperties?: Record<string, unknown>,
): SarifLog {
  const severity: Record<SarifLevel, DiagnosticSeverity> = {
    error: "error",
    warning: "warning",
    note: "info",
    none: "none",
  };
  const diagnostics = results.map((r): Diagnostic => ({
    source: "gate",
    code: r.ruleId,
    severity: severity[r.level],
    message: r.message,
    file: r.file,
    line: r.line,
    column: r.column,
    fingerprints: r.partialFingerprints,
    properties: r.properties,
  }));
  return toSarif(diagnostics, { tool, rules, ...(runProperties ? { properties: runProperties } : {}) });
}

function descriptor(r: SarifRuleInput): Record<string, unknown> {
  const d: Record<string, unknown> = { id: r.id };
  if (r.name) d.name = r.name;
  d.shortDescription = { text: oneLine(r.shortDescription || r.id, 1000) };
  if (r.fullDescription) d.fullDescription = { text: r.fullDescription };
  if (r.helpUri && isAbsoluteUrl(r.helpUri)) d.helpUri = r.helpUri;
  if (r.helpText || r.helpMarkdown)
    d.help = { text: r.helpText ?? r.helpMarkdown ?? "", ...(r.helpMarkdown ? { markdown: r.helpMarkdown } : {}) };
  if (r.level) d.defaultConfiguration = { level: r.level };
  if (r.properties) d.properties = { ...r.properties };
  return d;
}

/** A path as a SARIF artifact URI: relative paths stay relative (percent-encoded), absolute ones become file: URIs. */
export function toUri(file: string): string {
  const p = file.replace(/\\/g, "/");
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(p)) return p;
  if (/^[A-Za-z]:\//.test(p)) return `file:///${encodeURI(p)}`;
  if (p.startsWith("/")) return `file://${encodeURI(p)}`;
  return encodeURI(p.replace(/^\.\//, "")).replace(/[?#]/g, (c) => encodeURIComponent(c));
}

function isAbsoluteUrl(u: string): boolean {
  try {
    const url = new URL(u);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function semver(v: string): boolean {
  return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
