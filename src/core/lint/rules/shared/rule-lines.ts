/** What the per-rule codes share: where a rule statement is reported, and whole-line fixes. */
import type { RuleStatement } from "../../../markdown/rule-statements.js";
import type { CheckContext } from "../../context.js";
import type { LintFix } from "../../types.js";

const RAW_ID = /rule-[a-z0-9]+(?:-[a-z0-9]+)*/i;

/** Where a per-rule code is reported: the statement's line, column of its id, with its `rule_id`. */
export interface RuleLocation {
  line: number;
  column: number | undefined;
  rule_id: string;
}

/** A rule statement with the id as written on its line (e.g. `rule-api-4`) and where it is reported. */
export interface LocatedRule {
  statement: RuleStatement;
  rawId: string;
  at: RuleLocation;
}

/** Every rule statement, located once per document for the six per-rule codes. */
export function locatedRules(ctx: CheckContext): readonly LocatedRule[] {
  return ctx.shared("rule-locations", () =>
    ctx.statements.map((s) => {
      const raw = RAW_ID.exec(ctx.lines.get(s.line));
      return {
        statement: s,
        rawId: raw?.[0] ?? s.id,
        at: { line: s.line, column: raw ? raw.index + 1 : undefined, rule_id: s.id },
      };
    }),
  );
}

/** A fix that replaces line `line` with `text`. */
export function lineFix(line: number, text: string, description: string): LintFix {
  return { start_line: line, end_line: line + 1, text: `${text}\n`, description };
}
