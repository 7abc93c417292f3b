/**
 * The gate result in the CLI's other formats: SpecGate SARIF for code scanning (rules with
 * `helpUri` and `properties["specgate/rule_id"]`), GitHub annotations, and a plain-text summary.
 */
import { VERSION } from "../../version.js";
import { formatAnnotations, type Annotation, type AnnotationLevel } from "../report/github-annotations.js";
import { buildSarifLog, type SarifLog, type SarifRuleInput } from "../report/sarif.js";
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
  return buildSarifLog(
    { name: "SpecGate", version: VERSION },
    rules,
    result.violations.map((v) => ({
      ruleId: v.rule_id,
      level: v.level,
      message: `${v.message} (${v.rule_id}, ${v.priority}, ${v.points} points)`,
      file: v.file,
      line: v.line,
      column: v.column,
      partialFingerprints: { "specgate/v1": v.fingerprint },
      properties: { "specgate/rule_id": v.rule_id, priority: v.priority, points: v.points, ...(v.producer_rule_id ? { producer_rule_id: v.producer_rule_id } : {}) },
    })),
    { drift_score: result.drift_score, decision: result.decision, thresholds: result.thresholds },
  );
}

/** `::error file=…,line=…::` lines, most severe first, capped with a notice; then the verdict line. */
export function gateToAnnotations(result: GateResult, max = 50): string {
  const annotations: Annotation[] = result.violations.map((v) => ({
    level: annotationLevel(v.level),
    title: `${v.rule_id} (${v.priority})`,
    message: `${v.message}\nFix: ${v.fix}`,
    ...(v.file ? { file: v.file } : {}),
    ...(v.line ? { line: v.line } : {}),
    ...(v.column ? { column: v.column } : {}),
  }));
  const omittedBeyondList = result.stats.violations - result.violations.length;
  const body = formatAnnotations(annotations, {
    max,
    overflow: (n) => `${n + omittedBeyondList} more SpecGate violations are not shown as annotations; see the Drift Radar or the SARIF output.`,
  });
  const extra = annotations.length <= max && omittedBeyondList > 0 ? `::notice::${omittedBeyondList} more SpecGate violations are not listed.\n` : "";
  const verdict: AnnotationLevel = result.decision === "FAIL" ? "error" : result.decision === "WARNING" ? "warning" : "notice";
  return `${body}${extra}::${verdict} title=SpecGate gate::${verdictLine(result)}\n`;
}

/** The human summary the CLI prints by default. */
export function gateToText(result: GateResult): string {
  const lines = [verdictLine(result)];
  if (result.quality_gate) {
    const q = result.quality_gate;
    lines.push(`  drift ${result.drift_score.toFixed(1)}/100 → ${result.drift_decision}; document quality ${q.score}/100 (${q.grade}) → ${q.decision}`);
    for (const p of q.decision === "PASS" ? [] : (q.top ?? [])) lines.push(`    ${q.document ? `${q.document}:` : "line "}${p.line}: ${p.code}${p.rule_id ? ` (${p.rule_id})` : ""} ${oneLine(p.message)}`);
  }
  for (const a of result.areas) {
    if (a.count > 0) lines.push(`  ${a.area.padEnd(6)} ${a.score.toFixed(1).padStart(5)}  ${a.count} violation${a.count === 1 ? "" : "s"}`);
  }
  for (const v of result.violations.slice(0, 20)) {
    const where = v.file ? `${v.file}${v.line ? `:${v.line}` : ""}` : "(no location)";
    lines.push(`  ${where}: ${v.rule_id} (${v.priority}, ${v.points} pts) ${oneLine(v.message)}`);
    lines.push(`      fix: ${oneLine(v.fix)}`);
  }
  if (result.stats.violations > 20) lines.push(`  … ${result.stats.violations - 20} more violations (use --format json or sarif)`);
  if (result.after_fix.fixed > 0) lines.push(`After fixing ${result.after_fix.fixed} MUST/MUST NOT violations: ${result.after_fix.drift_score.toFixed(1)}/100 (${result.after_fix.decision}).`);
  lines.push(`Not scored: ${result.stats.suppressed} suppressed/baseline, ${result.stats.unmapped} unmapped, ${result.stats.not_failures} not failures.`);
  for (const w of result.warnings) lines.push(`note: ${w}`);
  return `${lines.join("\n")}\n`;
}

export function verdictLine(result: GateResult): string {
  const t = result.thresholds;
  return `SpecGate gate: ${result.decision} — Drift Score ${result.drift_score.toFixed(1)}/100 (FAIL ≥ ${t.fail}, WARNING ≥ ${t.warn}); ${result.stats.violations} violation${result.stats.violations === 1 ? "" : "s"}`;
}

function annotationLevel(level: Level): AnnotationLevel {
  return level === "error" ? "error" : level === "warning" ? "warning" : "notice";
}

function levelOfPriority(priority: string): Level {
  return priority === "MUST" || priority === "MUST NOT" ? "error" : priority === "MAY" ? "note" : "warning";
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
