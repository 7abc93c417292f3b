/**
 * SARIF of lint reports, through the report package's SARIF formatter: one `rules[]` entry per
 * lint code (from the rule modules: summary, helpUri docs/rules/<code>.md, default level, check
 * types), one result per violation with a region, `properties["specgate/rule_id"]` when it
 * concerns a rule, and suppressed violations as results with an `inSource` suppression (so
 * consumers such as gate_score and GitHub code scanning do not count them). Files that could not
 * be linted are tool execution notifications.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { VERSION } from "../../../version.js";
import { sarifLevel } from "../../report/diagnostic.js";
import {
  formatSarif as writeSarif,
  type SarifArtifactLocation,
  type SarifRuleInput,
} from "../../report/formatters/sarif.js";
import { codeName, linterInformationUri, ruleHelpUri } from "../catalog.js";
import { LINT_RULES } from "../rules/index.js";
import { CHECK_TYPES } from "../rules/rule.js";
import { lintDiagnostics } from "./diagnostics.js";
import type { FileReport } from "./report.js";

export interface SarifOptions {
  /** Working directory: relative file names become `%SRCROOT%`-relative URIs. */
  cwd: string;
  /** Absolute base URL of SpecGate's docs (helpUri = `<docsUrl>/rules/<code>.md`); default DEFAULT_DOCS_URL. */
  docsUrl?: string | undefined;
}

/** The SARIF `tool.driver.name` of speclint's log (gate_score reads such runs as document findings). */
export const SPECLINT_SARIF_TOOL = "speclint";

/** The lint codes as SARIF rules, in registry order. */
export function lintSarifRules(docsUrl?: string): SarifRuleInput[] {
  return LINT_RULES.map((rule) => ({
    id: rule.code,
    name: codeName(rule.code),
    shortDescription: rule.summary,
    helpUri: ruleHelpUri(rule.code, docsUrl),
    level: sarifLevel(rule.severity),
    properties: {
      "specgate/check_types": CHECK_TYPES.filter((t) => (rule.checkTypes as readonly string[]).includes(t)),
    },
  }));
}

export function formatSarif(reports: readonly FileReport[], options: SarifOptions): string {
  const diagnostics = lintDiagnostics(reports, { suppressed: true });
  const failed = reports.filter((r) => !r.result);
  return writeSarif(diagnostics, {
    tool: {
      name: SPECLINT_SARIF_TOOL,
      fullName: "SpecGate speclint (design document linter)",
      version: VERSION,
      informationUri: linterInformationUri(options.docsUrl),
    },
    rules: lintSarifRules(options.docsUrl),
    artifact: (file) => artifactUri(file, options.cwd),
    originalUriBaseIds: {
      "%SRCROOT%": { uri: pathToFileURL(options.cwd.endsWith(path.sep) ? options.cwd : options.cwd + path.sep).href },
    },
    notifications: failed.map((r) => ({
      message: `${r.error?.code ?? "E_INTERNAL"}: ${r.error?.message ?? "could not be linted"}`,
      file: r.file,
    })),
  });
}

function artifactUri(file: string, cwd: string): SarifArtifactLocation {
  if (file === "-") return { uri: "stdin" };
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (!relative.startsWith("..") && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
  }
  return { uri: pathToFileURL(absolute).href };
}
