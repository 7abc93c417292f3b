/**
 * Violation messages in the document's language. Each message says what is wrong and where;
 * the suggestion (what to do) comes from the ruleset's `improvement_suggestions`, with the
 * built-in texts below when a ruleset has none for a code.
 */
import type { LintCode } from "./codes.js";

export type Lang = "ko" | "en";
type Params = Record<string, string | number>;
type Template = { ko: (p: Params) => string; en: (p: Params) => string };

const M = {
  empty_document: { ko: () => "문서가 비어 있습니다.", en: () => "The document is empty." },
  pattern_invalid: {
    ko: (p) => `${p.id}의 위반 패턴 \`${p.pattern}\`을(를) 검사로 쓸 수 없습니다: ${p.problem}.`,
    en: (p) => `The violation pattern \`${p.pattern}\` of ${p.id} cannot be a check: ${p.problem}.`,
  },
  unclosed_fence: {
    ko: (p) => `${p.line}행의 코드 블록이 닫히지 않아 뒤의 제목과 내용이 모두 코드로 읽힙니다.`,
    en: (p) => `The code block opened at line ${p.line} is never closed, so every heading after it is read as code.`,
  },
  title_missing: {
    ko: () => "문서 제목(# …)이 없습니다. 첫 제목은 '# <프로젝트명> <문서유형> 설계서' 형식이어야 합니다.",
    en: () => "The document has no title (# …); the first heading must be '# <Project> <Type> Design Document'.",
  },
  title_wrong: {
    ko: (p) => `제목 '${p.title}'이(가) '[프로젝트명] [문서유형] 설계서' 형식이 아닙니다.`,
    en: (p) => `The title '${p.title}' does not follow '<Project> <Type> Design Document'.`,
  },
  section_missing: {
    ko: (p) => `'${p.section}' 섹션이 없습니다${p.where === "end" ? " (문서 끝에 추가하세요)" : ` ('${p.before}' 앞에 추가하세요)`}.`,
    en: (p) => `The '${p.section}' section is missing${p.where === "end" ? " (add it at the end of the document)" : ` (add it before '${p.before}')`}.`,
  },
  history_empty: {
    ko: (p) => `'${p.section}' 섹션에 변경 기록이 없습니다.`,
    en: (p) => `The '${p.section}' section records no changes.`,
  },
  no_rules: {
    ko: () => "문서에 **RULE-[영역]-[번호]** (유형) 형식의 설계 규칙이 하나도 없습니다.",
    en: () => "The document states no design rule in the form **RULE-AREA-NNN** (TYPE).",
  },
  id_not_bold: {
    ko: (p) => `규칙 ID ${p.id}이(가) 굵게(**${p.id}**) 표시되지 않았습니다.`,
    en: (p) => `The rule id ${p.id} is not in bold (**${p.id}**).`,
  },
  id_pattern: {
    ko: (p) => `규칙 ID '${p.id}'이(가) RULE-[영역]-[번호](번호 3자리) 형식이 아닙니다.`,
    en: (p) => `The rule id '${p.id}' does not match RULE-AREA-NNN (a three-digit number).`,
  },
  id_area: {
    ko: (p) => `규칙 ID ${p.id}의 영역 '${p.area}'은(는) 정의된 영역 코드(${p.areas})가 아닙니다.`,
    en: (p) => `The area '${p.area}' of ${p.id} is not a defined area code (${p.areas}).`,
  },
  id_duplicate: {
    ko: (p) => `규칙 ID ${p.id}이(가) ${p.first}행에서 이미 사용되었습니다.`,
    en: (p) => `The rule id ${p.id} is already used at line ${p.first}.`,
  },
  id_missing: {
    ko: (p) => `규칙 ID 없이 작성된 규칙입니다: '${p.text}'.`,
    en: (p) => `This rule has no rule id: '${p.text}'.`,
  },
  type_missing: {
    ko: (p) => `${p.id}에 규칙 유형(MUST, SHOULD, MUST NOT, MAY, SHOULD NOT)이 없습니다.`,
    en: (p) => `${p.id} has no rule type (MUST, SHOULD, MUST NOT, MAY, SHOULD NOT).`,
  },
  type_invalid: {
    ko: (p) => `${p.id}의 규칙 유형 '${p.type}'은(는) 허용된 유형(${p.types})이 아닙니다.`,
    en: (p) => `The rule type '${p.type}' of ${p.id} is not one of ${p.types}.`,
  },
  type_section: {
    ko: (p) => `${p.id}의 유형 ${p.type}이(가) 상위 섹션 '${p.section}'과(와) 맞지 않습니다.`,
    en: (p) => `${p.id} is ${p.type} but sits under '${p.section}'.`,
  },
  scope_missing: { ko: (p) => `${p.id}에 적용 범위가 없습니다.`, en: (p) => `${p.id} has no scope.` },
  reason_missing: { ko: (p) => `${p.id}에 근거가 없습니다.`, en: (p) => `${p.id} has no rationale.` },
  reference_missing: { ko: (p) => `${p.id}에 참조가 없습니다.`, en: (p) => `${p.id} has no reference.` },
  content_short: {
    ko: (p) => `${p.id}의 규칙 내용이 너무 짧습니다 (${p.length}자, 최소 ${p.min}자).`,
    en: (p) => `The statement of ${p.id} is too short (${p.length} characters, at least ${p.min}).`,
  },
  insufficient: {
    ko: (p) => `MUST 규칙이 ${p.count}개입니다 (최소 ${p.min}개).`,
    en: (p) => `There are ${p.count} MUST rules (at least ${p.min} expected).`,
  },
  keywords_missing: {
    ko: (p) => `'${p.section}' 섹션에 규칙 유형 키워드(${p.types})가 없습니다.`,
    en: (p) => `The '${p.section}' section uses none of the rule type keywords (${p.types}).`,
  },
  relation_missing: {
    ko: (p) => `어떤 규칙도 '${p.section}'의 내용을 참조하지 않고, 스펙도 규칙 ID를 언급하지 않습니다.`,
    en: (p) => `No rule refers to anything in '${p.section}', and the spec names no rule id.`,
  },
  code_missing: {
    ko: () => "문서에 코드 예제(``` 코드 블록)가 없습니다.",
    en: () => "The document has no code example (``` code block).",
  },
} satisfies Record<string, Template>;

export type MessageId = keyof typeof M;

export function message(id: MessageId, lang: Lang, params: Params = {}): string {
  return M[id][lang](params);
}

/** Built-in suggestions, used when the ruleset has no `improvement_suggestions` text for a code. */
const FALLBACK_SUGGESTIONS: Record<Lang, Record<LintCode, string>> = {
  ko: {
    parsing_error: "문서 내용을 확인하고 올바른 형식으로 작성하세요.",
    title_format_mismatch: "제목을 '[프로젝트명] [문서유형] 설계서' 형식으로 수정하세요.",
    design_rules_missing: "## 2. 설계 규칙 섹션을 추가하세요.",
    technical_spec_missing: "## 3. 기술 스펙 섹션을 추가하세요.",
    change_history_missing: "## 5. 변경 이력 섹션을 표 형식으로 추가하세요.",
    no_rules_found: "설계 규칙을 **RULE-[영역]-[번호]** (유형): [규칙] 형식으로 추가하세요.",
    rule_id_format_mismatch: "규칙 ID를 **RULE-[영역]-[번호]** 형식으로 작성하세요.",
    rule_type_mismatch: "규칙 유형을 MUST, SHOULD, MUST NOT, MAY, SHOULD NOT 중 하나로 수정하세요.",
    scope_missing: "'- 적용 범위: ...' 항목을 추가하세요.",
    reason_missing: "'- 근거: ...' 항목을 추가하세요.",
    reference_missing: "'- 참조: ...' 항목을 추가하세요.",
    rule_content_too_short: "규칙 내용을 더 구체적으로 작성하세요.",
    design_rules_insufficient: "MUST 규칙을 더 추가하세요.",
    design_rules_keywords_missing: "MUST, SHOULD, MUST NOT 키워드로 규칙을 구분하세요.",
    rule_spec_relation_missing: "규칙과 기술 스펙의 참조 관계를 명시하세요.",
    code_example_missing: "코드 예제를 ```코드블록``` 형식으로 추가하세요.",
    pattern_invalid: "패턴을 규칙 언어의 코드(예: `console.log($$$ARGS)`)로 고치거나, 텍스트 검색이면 /정규식/으로 쓰세요. 적용 범위의 파일 패턴(예: src/**/*.java)이 언어를 정합니다.",
  },
  en: {
    parsing_error: "Check the document's content and write it in the standard form.",
    title_format_mismatch: "Rename the title to '<Project> <Type> Design Document'.",
    design_rules_missing: "Add a '## 2. Design Rules' section.",
    technical_spec_missing: "Add a '## 3. Technical Specification' section.",
    change_history_missing: "Add a '## 5. Change History' table.",
    no_rules_found: "Add rules in the form **RULE-AREA-NNN** (TYPE): rule.",
    rule_id_format_mismatch: "Write the rule id as **RULE-AREA-NNN**.",
    rule_type_mismatch: "Set the rule type to MUST, SHOULD, MUST NOT, MAY or SHOULD NOT.",
    scope_missing: "Add a '- Scope: ...' sub-item.",
    reason_missing: "Add a '- Rationale: ...' sub-item.",
    reference_missing: "Add a '- Reference: ...' sub-item.",
    rule_content_too_short: "Make the rule more specific.",
    design_rules_insufficient: "Add more MUST rules.",
    design_rules_keywords_missing: "Classify the rules with MUST, SHOULD and MUST NOT.",
    rule_spec_relation_missing: "Link the rules and the technical spec.",
    code_example_missing: "Add a code example in a fenced code block.",
    pattern_invalid: "Fix the pattern so it is code of the rule's language (e.g. `console.log($$$ARGS)`), or write a text search as /regex/. The scope's file patterns (e.g. src/**/*.java) give the language.",
  },
};

export function fallbackSuggestion(code: LintCode, lang: Lang): string {
  return FALLBACK_SUGGESTIONS[lang][code];
}

/** Labels and placeholders of the rule detail sub-items, as the template writes them. */
export const DETAIL_LABELS: Record<Lang, Record<"scope" | "rationale" | "reference", { label: string; placeholder: string }>> = {
  ko: {
    scope: { label: "적용 범위", placeholder: "[규칙이 적용되는 범위]" },
    rationale: { label: "근거", placeholder: "[규칙이 필요한 이유]" },
    reference: { label: "참조", placeholder: "[관련 기술 스펙이나 문서]" },
  },
  en: {
    scope: { label: "Scope", placeholder: "[where the rule applies]" },
    rationale: { label: "Rationale", placeholder: "[why the rule is needed]" },
    reference: { label: "Reference", placeholder: "[related technical spec or documents]" },
  },
};
