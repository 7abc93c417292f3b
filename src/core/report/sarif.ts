/**
 * A small SARIF 2.1.0 writer for any SpecGate report (the gate's violations today, lint
 * violations later): rules with `helpUri` and `properties`, results with `ruleIndex`, locations,
 * and `partialFingerprints`, ready for GitHub code scanning (`upload-sarif`). The output validates
 * against the OASIS SARIF 2.1.0 schema (tested).
 */

export type SarifLevel = "error" | "warning" | "note" | "none";

export interface SarifToolInfo {
  name: string;
  version: string;
  informationUri?: string;
}

export interface SarifRuleInput {
  id: string;
  name?: string;
  shortDescription: string;
  fullDescription?: string;
  /** An absolute URL that explains the rule (the design document). */
  helpUri?: string;
  helpText?: string;
  helpMarkdown?: string;
  level?: SarifLevel;
  properties?: Record<string, unknown>;
}

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

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: Record<string, unknown> };
  results: Record<string, unknown>[];
  properties?: Record<string, unknown>;
}

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * One run of `tool` with `rules` and `results`. A result naming a rule that is not in `rules`
 * gets a minimal descriptor, so every `ruleIndex` is valid.
 */
export function buildSarifLog(tool: SarifToolInfo, rules: readonly SarifRuleInput[], results: readonly SarifResultInput[], runProperties?: Record<string, unknown>): SarifLog {
  const descriptors: Record<string, unknown>[] = [];
  const indexOf = new Map<string, number>();
  const addRule = (r: SarifRuleInput) => {
    if (indexOf.has(r.id)) return;
    indexOf.set(r.id, descriptors.length);
    descriptors.push(descriptor(r));
  };
  for (const r of rules) addRule(r);
  const out = results.map((r) => {
    if (!indexOf.has(r.ruleId)) addRule({ id: r.ruleId, shortDescription: r.ruleId });
    const result: Record<string, unknown> = {
      ruleId: r.ruleId,
      ruleIndex: indexOf.get(r.ruleId),
      level: r.level,
      message: { text: r.message || r.ruleId },
    };
    if (r.file) {
      const region: Record<string, number> = {};
      if (r.line) region.startLine = r.line;
      if (r.line && r.column) region.startColumn = r.column;
      result.locations = [{ physicalLocation: { artifactLocation: { uri: toUri(r.file) }, ...(r.line ? { region } : {}) } }];
    }
    if (r.partialFingerprints && Object.keys(r.partialFingerprints).length > 0) result.partialFingerprints = { ...r.partialFingerprints };
    if (r.properties) result.properties = { ...r.properties };
    return result;
  });
  const driver: Record<string, unknown> = { name: tool.name, version: tool.version, semanticVersion: semver(tool.version), rules: descriptors };
  if (tool.informationUri) driver.informationUri = tool.informationUri;
  if (!driver.semanticVersion) delete driver.semanticVersion;
  const run: SarifRun = { tool: { driver }, results: out };
  if (runProperties) run.properties = { ...runProperties };
  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
}

function descriptor(r: SarifRuleInput): Record<string, unknown> {
  const d: Record<string, unknown> = { id: r.id, shortDescription: { text: oneLine(r.shortDescription || r.id, 1000) } };
  if (r.name) d.name = r.name;
  if (r.fullDescription) d.fullDescription = { text: r.fullDescription };
  if (r.helpUri && isAbsoluteUrl(r.helpUri)) d.helpUri = r.helpUri;
  if (r.helpText || r.helpMarkdown) d.help = { text: r.helpText ?? r.helpMarkdown ?? "", ...(r.helpMarkdown ? { markdown: r.helpMarkdown } : {}) };
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

function semver(v: string): string | undefined {
  return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v) ? v : undefined;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
