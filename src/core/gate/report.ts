/**
 * The gate result in the CLI's other formats, through the report package: its violations as
 * diagnostics, SpecGate SARIF for code scanning (rules with `helpUri` and
 * `properties["specgate/rule_id"]`), GitHub annotations, JUnit, and a plain-text summary.
 */
import { VERSION } from "../../version.js";
import type { Diagnostic } from "../report/diagnostic.js";
import { formatGithub } from "../report/formatters/github.js";
import { formatJunit } from "../report/formatters/junit.js";
import { toSarif, type SarifLog, type SarifRuleInput } from "../report/formatters/sarif.js";
import type { RulesIndex } from "./rules-index.js";
import type { GateResult, GateViolation, Level } from "./types.js";

/** SpecGate's SARIF of the gate's (listed) violations; `index` supplies rule texts and help URLs. */
export function gateToSarif(result: GateResult, index?: RulesIndex): SarifLog {
  const firstOf = new Map<string, GateViolation>();
  for (const v of result.violations) if (!firstOf.has(v.rule_id)) firstOf.set(v.rule_id, v);
  const rules: SarifRuleInput[] = [];
  for (const [id, v] of [...firstOf].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const entry = index?.byId.get(id);
    const description = entry?.rule.description ?? v.title;
    rules.push({
      id,
      name: id.replace(/[^A-Za-z0-9]+/g, ""),
      shortDescription: entry?.rule.title ?? v.title,
      fullDescription: description,
      ...(entry?.helpUri ? { helpUri: entry.helpUri } : {}),
      helpText: `${description}\n\nFix: ${v.fix}`,
      helpMarkdown: `${description}\n\n**Fix:** ${v.fix}`,
      level: levelOfPriority(v.priority),
      properties: {
        "specgate/rule_id": id,
        priority: v.priority,
        area: v.area,
        tags: ["specgate", "design", v.area.toLowerCase()],
      },
    });
  }
  return toSarif(gateDiagnostics(result), {
    tool: { name: "SpecGate", version: VERSION },
    rules,
    text: (d) => `${d.message} (${d.code}, ${String(d.properties?.priority)}, ${String(d.properties?.points)} points)`,
    properties: { drift_score: result.drift_score, decision: result.decision, thresholds: result.thresholds },
  });
}

/** The gate's (listed) violations as diagnostics: the message, then `Fix: …` as help. */
export function gateDiagnostics(result: GateResult): Diagnostic[] {
  return result.violations.map((v) => ({
    source: "gate",
    code: v.rule_id,
    severity: v.level === "note" ? "info" : v.level,
    message: v.message,
    help: `Fix: ${v.fix}`,
    title: `${v.rule_id} (${v.priority})`,
    file: v.file,
    line: v.line,
    column: v.column,
    fingerprints: { "specgate/v1": v.fingerprint },
    properties: {
      "specgate/rule_id": v.rule_id,
      priority: v.priority,
      points: v.points,
      ...(v.producer_rule_id ? { producer_rule_id: v.producer_rule_id } : {}),
    },
  }));
}

/** `::error file=…,line=…::` lines, most severe first, capped with a notice; then the verdict line. */
export function gateToAnnotations(result: GateResult, max = 50): string {
  const diagnostics = gateDiagnostics(result);
  const omittedBeyondList = result.stats.violations - result.violations.length;
  const body = formatGithub(diagnostics, {
    max,
    overflow: (n) =>
      `${n + omittedBeyondList} more SpecGate violations are not shown as annotations; see the Drift Radar or the SARIF output.`,
  });
  const extra =
    diagnostics.length <= max && omittedBeyondList > 0
      ? `::notice::${omittedBeyondList} more SpecGate violations are not listed.\n`
      : "";
  const verdict: Diagnostic = {
    source: "gate",
    code: "verdict",
    severity: result.decision === "FAIL" ? "error" : result.decision === "WARNING" ? "warning" : "info",
    title: "SpecGate gate",
    message: verdictLine(result),
  };
  return `${body}${extra}${formatGithub([verdict])}`;
}

/** JUnit XML of the (listed) violations: a suite per file, a failure per error or warning. */
export function gateToJunit(result: GateResult): string {
  return formatJunit(gateDiagnostics(result), { name: "SpecGate gate" });
}

/** The human summary the CLI prints by default. */
export function gateToText(result: GateResult): string {
  const lines = [verdictLine(result)];
  if (result.quality_gate) {
    const q = result.quality_gate;
    lines.push(
      `  drift ${result.drift_score.toFixed(1)}/100 → ${result.drift_decision}; document quality ${q.score}/100 (${q.grade}) → ${q.decision}`,
    );
    for (const p of q.decision === "PASS" ? [] : (q.top ?? []))
      lines.push(
        `    ${q.document ? `${q.document}:` : "line "}${p.line}: ${p.code}${p.rule_id ? ` (${p.rule_id})` : ""} ${oneLine(p.message)}`,
      );
  }
  for (const a of result.areas) {
    if (a.count > 0)
      lines.push(
        `  ${a.area.padEnd(6)} ${a.score.toFixed(1).padStart(5)}  ${a.count} violation${a.count === 1 ? "" : "s"}`,
      );
  }
  for (const v of result.violations.slice(0, 20)) {
    const where = v.file ? `${v.file}${v.line ? `:${v.line}` : ""}` : "(no location)";
    lines.push(`  ${where}: ${v.rule_id} (${v.priority}, ${v.points} pts) ${oneLine(v.message)}`);
    lines.push(`      fix: ${oneLine(v.fix)}`);
  }
  if (result.stats.violations > 20)
    lines.push(`  … ${result.stats.violations - 20} more violations (use --format json or sarif)`);
  if (result.after_fix.fixed > 0)
    lines.push(
      `After fixing ${result.after_fix.fixed} MUST/MUST NOT violations: ${result.after_fix.drift_score.toFixed(1)}/100 (${result.after_fix.decision}).`,
    );
  lines.push(
    `Not scored: ${result.stats.suppressed} suppressed/baseline, ${result.stats.unmapped} unmapped, ${result.stats.not_failures} not failures.`,
  );
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return `${lines.join("\n")}\n`;
}

export function verdictLine(result: GateResult): string {
  const t = result.thresholds;
  return `SpecGate gate: ${result.decision} — Drift Score ${result.drift_score.toFixed(1)}/100 (FAIL ≥ ${t.fail}, WARNING ≥ ${t.warn}); ${result.stats.violations} violation${result.stats.violations === 1 ? "" : "s"}`;
}

function levelOfPriority(priority: string): Level {
  return priority === "MUST" || priority === "MUST NOT" ? "error" : priority === "MAY" ? "note" : "warning";
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
