/**
 * `pattern_invalid`: A rule's violation pattern parses neither as code of the rule's language nor
 * as a regex, so it cannot be a check. The page docs/rules/pattern_invalid.md is generated from
 * `docs` below.
 */
import { defineRule } from "./rule.js";

/** Patterns longer than this are cut in the message. */
const SHOWN = 80;

export const patternInvalid = defineRule({
  code: "pattern_invalid",
  severity: "error",
  checkTypes: ["full"],
  summary:
    "A rule's violation pattern parses neither as code of the rule's language nor as a regex, so it cannot be a check.",
  messages: {
    pattern_invalid: {
      ko: (p) => `${p.id}의 위반 패턴 \`${p.pattern}\`을(를) 검사로 쓸 수 없습니다: ${p.problem}.`,
      en: (p) => `The violation pattern \`${p.pattern}\` of ${p.id} cannot be a check: ${p.problem}.`,
    },
  },
  laterDeduction: 5,
  suggestion: {
    ko: "패턴을 규칙 언어의 코드(예: `console.log($$$ARGS)`)로 고치거나, 텍스트 검색이면 /정규식/으로 쓰세요. 적용 범위의 파일 패턴(예: src/**/*.java)이 언어를 정합니다.",
    en: "Fix the pattern so it is code of the rule's language (e.g. `console.log($$$ARGS)`), or write a text search as /regex/. The scope's file patterns (e.g. src/**/*.java) give the language.",
  },
  check(ctx) {
    for (const p of ctx.patternProblems) {
      const pattern = p.pattern.length > SHOWN ? `${p.pattern.slice(0, SHOWN - 1)}…` : p.pattern;
      ctx.report({
        line: p.line,
        column: 1,
        rule_id: p.rule_id,
        messageId: "pattern_invalid",
        params: { id: p.rule_id, pattern, problem: p.problem },
      });
    }
  },
  docs: {
    lead: "A rule's violation pattern cannot be a check: it parses neither as code of the rule's language nor as a regex.",
    paragraphs: [
      [
        "When it fires",
        [
          "A rule's `위반 패턴` / `Violation pattern` detail holds a pattern that SpecGate reads as",
          "*structural* (it has an ast-grep metavariable such as `$X` or `$$$ARGS`, or code punctuation such as",
          "`(`, `{`, `;`, `=`) but that does not parse as code of the rule's language — the languages come from the",
          "extensions of the scope's file patterns, e.g. `src/**/*.java` — or a *regex* (written `/…/`, or with",
          "regex syntax such as `\\(` or `.*`) that does not compile. A structural pattern whose rule names no",
          "language (no file pattern with an extension) fires too. How a pattern's kind is read:",
          "[../rule-extract.md](../rule-extract.md#violation-patterns-structural-or-regex).",
          "The parsing is done by the ast-grep binary that runs the checks, so a pattern that passes here loads",
          "in `rule_check` and in the generated `.specgate/ast-grep` rules.",
        ].join("\n"),
      ],
      ["Where it is reported", "The rule's line, with its `rule_id`; once per unusable pattern."],
      [
        "Fix",
        [
          "None: correct the pattern. `rule_extract` leaves such a pattern out of the rule's checks",
          "(`validation_conditions.invalid_patterns`) and warns (`pattern_invalid`), so it never becomes a check",
          "that silently matches nothing. `rule_check`'s `candidate` argument proves a pattern against code",
          "examples before you write it into the document.",
        ].join("\n"),
      ],
    ],
    wrong: [
      "- **RULE-API-007** (MUST NOT): 요청 본문을 로그에 남겨서는 안 된다",
      "  - 적용 범위: `src/main/java/**/*.java`",
      "  - 위반 패턴: `$LOG.info($$$ARGS, $REQ.getBody()`",
    ].join("\n"),
    right: [
      "- **RULE-API-007** (MUST NOT): 요청 본문을 로그에 남겨서는 안 된다",
      "  - 적용 범위: `src/main/java/**/*.java`",
      "  - 위반 패턴: `$LOG.info($$$ARGS, $REQ.getBody())`",
    ].join("\n"),
  },
});
