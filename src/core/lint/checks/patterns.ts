/**
 * `pattern_invalid`: a rule's violation pattern (`위반 패턴` / `Violation pattern`) that parses
 * neither as code of the rule's language nor as a regex — it could never be a check. The parsing
 * is done before the (synchronous) checks run, by the same code that extraction uses
 * (src/core/extract/pattern-check.ts); this check reports what it found, at the rule's line.
 */
import type { PatternProblem } from "../../extract/pattern-check.js";
import type { CheckContext } from "../context.js";

const SHOWN = 80;

export function checkPatterns(ctx: CheckContext, problems: readonly PatternProblem[]): void {
  if (!ctx.enabled("pattern_invalid")) return;
  for (const p of problems) {
    const pattern = p.pattern.length > SHOWN ? `${p.pattern.slice(0, SHOWN - 1)}…` : p.pattern;
    ctx.report({ code: "pattern_invalid", line: p.line, column: 1, rule_id: p.rule_id, messageId: "pattern_invalid", params: { id: p.rule_id, pattern, problem: p.problem } });
  }
}
