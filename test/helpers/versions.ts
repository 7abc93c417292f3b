/**
 * A document's next version, made by explicit edits: each `[before, after]` must occur exactly
 * once in the text, so a fixture that changes under a test fails loudly rather than silently
 * leaving a version equal to the last.
 */
import { readCorpusSync, readFixtureSync } from "./fixtures.js";

export type Edit = readonly [before: string, after: string];

export function edited(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const [before, after] of edits) {
    const at = out.indexOf(before);
    if (at < 0 || out.indexOf(before, at + 1) >= 0)
      throw new Error(`edit target must occur exactly once: ${JSON.stringify(before)}`);
    out = out.slice(0, at) + after + out.slice(at + before.length);
  }
  return out;
}

/** The corpus' security design document, version 1 as it is. */
export const securityDesignV1 = (): string =>
  readCorpusSync("specgate-docs", "standards", "SpecGate-Security-Design.md");

/**
 * Version 2 of the security design: RULE-SEC-004 becomes MUST with a narrower scope, RULE-SEC-007
 * is dropped, RULE-SEC-008 is new, and two keyword sentences follow the rules (one of them
 * reworded in {@link SECURITY_KEYWORDS_V1}'s version).
 */
export const securityDesignV2 = (): string =>
  edited(securityDesignV1(), [
    [
      "- **RULE-SEC-004** (SHOULD): 모든 API 호출은 적절한 타임아웃을 설정해야 한다\n  - 적용 범위: 모든 외부 API 호출",
      "- **RULE-SEC-004** (MUST): 모든 API 호출은 적절한 타임아웃을 설정해야 한다\n  - 적용 범위: Confluence API 호출",
    ],
    [
      "- **RULE-SEC-007** (MUST NOT): 신뢰할 수 없는 외부 입력을 직접 실행해서는 안 된다\n  - 적용 범위: 모든 외부 입력 처리\n  - 근거: 코드 인젝션 공격 방지\n  - 참조: OWASP Code Injection 가이드\n",
      "- **RULE-SEC-008** (MUST): 모든 토큰은 90일마다 교체해야 한다\n  - 적용 범위: 모든 외부 서비스 토큰\n  - 근거: 유출된 토큰의 유효 기간 단축\n  - 참조: OWASP Secrets Management 가이드\n",
    ],
    ["## 3. 기술 스펙", `${SECURITY_KEYWORDS_V2}\n\n## 3. 기술 스펙`],
  ]);

/** Keyword sentences inserted into version 1 (see {@link securityDesignWithKeywords}). */
export const SECURITY_KEYWORDS_V1 =
  "### 2.4 운영 규칙\n외부 API 호출에는 타임아웃을 설정해야 한다.\n감사 로그는 1년 동안 보관해야 한다.";
/** The same section in version 2: the first sentence reworded, the second unchanged. */
export const SECURITY_KEYWORDS_V2 =
  "### 2.4 운영 규칙\n모든 외부 API 호출에는 반드시 타임아웃을 설정해야 한다.\n감사 로그는 1년 동안 보관해야 한다.";

/** Version 1 with the keyword section, so both versions carry keyword rules. */
export const securityDesignWithKeywords = (): string =>
  edited(securityDesignV1(), [["## 3. 기술 스펙", `${SECURITY_KEYWORDS_V1}\n\n## 3. 기술 스펙`]]);

/** The Korean keyword-rule fixture of rule_extract's tests. */
export const keywordKo = (): string => readFixtureSync("extract-docs", "keyword-ko.md");
