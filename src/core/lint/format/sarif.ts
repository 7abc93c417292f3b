/**
 * SARIF 2.1.0 output of lint reports (validated in tests against the OASIS schema): one
 * `rules[]` entry per lint code with its helpUri (docs/rules/<code>.md) and default level, one
 * result per violation with a region, `properties["specgate/rule_id"]` when it concerns a rule,
 * and suppressed violations as results with an `inSource` suppression (so consumers such as
 * gate_score and GitHub code scanning do not count them). Files that could not be linted are
 * tool execution notifications. Self-contained; no other SARIF writer is used.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { VERSION } from "../../../version.js";
import { CHECK_TYPE_CODES, CHECK_TYPES, DEFAULT_SEVERITY, LINT_CODES } from "../codes.js";
import { CODE_SUMMARIES, codeName, linterInformationUri, ruleHelpUri } from "../catalog.js";
import type { LintSeverity, LintViolation, SuppressedViolation } from "../types.js";
import type { FileReport } from "./report.js";

const LEVEL: Record<LintSeverity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

export interface SarifOptions {
  /** Working directory: relative file names become `%SRCROOT%`-relative URIs. */
  cwd: string;
  /** Absolute base URL of SpecGate's docs (helpUri = `<docsUrl>/rules/<code>.md`); default DEFAULT_DOCS_URL. */
  docsUrl?: string | undefined;
}

/** The SARIF `tool.driver.name` of speclint's log (gate_score reads such runs as document findings). */
export const SPECLINT_SARIF_TOOL = "speclint";

export function formatSarif(reports: readonly FileReport[], options: SarifOptions): string {
  const ruleIndex = new Map<string, number>(LINT_CODES.map((c, i) => [c, i]));
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  for (const r of reports) {
    const uri = artifactUri(r.file, options.cwd);
    if (!r.result) {
      notifications.push({
        level: "error",
        message: { text: `${r.error?.code ?? "E_INTERNAL"}: ${r.error?.message ?? "could not be linted"}` },
        locations: [{ physicalLocation: { artifactLocation: uri } }],
      });
      continue;
    }
    for (const v of r.result.violations) results.push(result(v, uri, ruleIndex));
    for (const v of r.result.suppressed ?? []) results.push(result(v, uri, ruleIndex, v));
  }
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: SPECLINT_SARIF_TOOL,
            fullName: "SpecGate speclint (design document linter)",
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: linterInformationUri(options.docsUrl),
            rules: LINT_CODES.map((code) => ({
              id: code,
              name: codeName(code),
              shortDescription: { text: CODE_SUMMARIES[code] },
              helpUri: ruleHelpUri(code, options.docsUrl),
              defaultConfiguration: { level: LEVEL[DEFAULT_SEVERITY[code]] },
              properties: { "specgate/check_types": CHECK_TYPES.filter((t) => CHECK_TYPE_CODES[t].has(code)) },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(options.cwd.endsWith(path.sep) ? options.cwd : options.cwd + path.sep).href } },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(v: LintViolation, uri: ArtifactLocation, ruleIndex: Map<string, number>, suppressed?: SuppressedViolation): unknown {
  const properties: Record<string, unknown> = { deduction: v.deduction };
  if (v.rule_id) properties["specgate/rule_id"] = v.rule_id;
  return {
    ruleId: v.code,
    ...(ruleIndex.has(v.code) ? { ruleIndex: ruleIndex.get(v.code) } : {}),
    level: LEVEL[v.severity],
    message: { text: `${v.message}\n${v.suggestion}` },
    locations: [{ physicalLocation: { artifactLocation: uri, region: { startLine: v.line, ...(v.column ? { startColumn: v.column } : {}) } } }],
    ...(v.fix
      ? {
          fixes: [
            {
              description: { text: v.fix.description },
              artifactChanges: [
                {
                  artifactLocation: uri,
                  replacements: [{ deletedRegion: { startLine: v.fix.start_line, startColumn: 1, endLine: v.fix.end_line, endColumn: 1 }, insertedContent: { text: v.fix.text } }],
                },
              ],
            },
          ],
        }
      : {}),
    ...(suppressed
      ? {
          suppressions: [
            { kind: "inSource", status: "accepted", ...(suppressed.suppression.justification ? { justification: suppressed.suppression.justification } : {}) },
          ],
        }
      : {}),
    properties,
  };
}

type ArtifactLocation = { uri: string; uriBaseId?: string };

function artifactUri(file: string, cwd: string): ArtifactLocation {
  if (file === "-") return { uri: "stdin" };
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (!relative.startsWith("..") && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
  }
  return { uri: pathToFileURL(absolute).href };
}
