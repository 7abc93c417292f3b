/** The Semgrep id SpecGate gives a rule: `RULE-API-001` → `specgate.rule-api-001` (ast-grep rules use it too). */
export function semgrepRuleId(ruleId: string): string {
  return `specgate.${ruleId.toLowerCase().replace(/[^a-z0-9._-]/g, "-")}`;
}
