/** The Drift Radar's fixed texts in English and Korean. */
import type { Decision, RadarLang } from "./types.js";

export interface RadarText {
  title: string;
  overall: string;
  decisionLabel: Record<Decision, string>;
  verdict: Record<Decision, string>;
  thresholds(fail: number, warn: number): string;
  gate: string;
  result: string;
  decision: string;
  drift: string;
  quality: string;
  qualityTop(document: string | undefined): string;
  areasTitle: string;
  areaHeader: [string, string, string, string, string];
  areaNames: Record<string, string>;
  status: { risk: string; attention: string; clean: string };
  moreAreas(n: number): string;
  violationsTitle(n: number): string;
  noViolations: string;
  card: {
    file: string;
    problem: string;
    fix: string;
    points: string;
    example: string;
    noLocation: string;
    line: string;
  };
  moreViolations(n: number): string;
  improveTitle: string;
  afterFix(fixed: number, score: string, decision: string): string;
  nothingMandatory: string;
  order(areas: string): string;
  notScored(suppressed: number, unmapped: number, notFailures: number): string;
  unmappedTitle: string;
  unmappedHeader: [string, string, string];
  moreUnmapped(n: number): string;
  footer: string;
}

const EN: RadarText = {
  title: "🎯 Drift Radar",
  overall: "📊 Overall",
  decisionLabel: { PASS: "✅ PASS", WARNING: "⚠️ WARNING", FAIL: "⛔ FAIL" },
  verdict: {
    PASS: "The change follows the design.",
    WARNING: "Design violations were found; fixing them is recommended.",
    FAIL: "Design violations block this pull request.",
  },
  thresholds: (fail, warn) => `thresholds: FAIL ≥ ${fail}, WARNING ≥ ${warn}`,
  gate: "Gate",
  result: "Result",
  decision: "Decision",
  drift: "Design drift",
  quality: "Document quality",
  qualityTop: (doc) => `What to fix first in the design document${doc ? ` ${doc}` : ""}:`,
  areasTitle: "📈 Areas",
  areaHeader: ["Area", "Score", "Status", "Violations", "Main violations"],
  areaNames: {
    API: "API",
    SEC: "Security",
    ARCH: "Architecture",
    DATA: "Data",
    PERF: "Performance",
    UI: "UI",
    TEST: "Test",
    DEV: "Development",
    OPS: "Operations",
  },
  status: { risk: "🔴 At risk", attention: "🟡 Attention", clean: "🟢 Clean" },
  moreAreas: (n) => `… and ${n} more areas.`,
  violationsTitle: (n) => `🚨 Violations (${n})`,
  noViolations: "No violations of the given rules were found.",
  card: {
    file: "File",
    problem: "Problem",
    fix: "Fix",
    points: "Points",
    example: "Example",
    noLocation: "(no location)",
    line: "line",
  },
  moreViolations: (n) => `… and ${n} more violations not shown here (see the JSON or SARIF output).`,
  improveTitle: "💡 Next steps",
  afterFix: (fixed, score, decision) =>
    `Fixing the ${fixed} MUST / MUST NOT violations would bring the Drift Score to **${score}/100** (${decision}).`,
  nothingMandatory: "No MUST / MUST NOT rule is violated.",
  order: (areas) => `Suggested order: ${areas}.`,
  notScored: (s, u, n) =>
    `Not scored: ${s} suppressed or already in the baseline · ${u} unmapped (name no rule given)${n ? ` · ${n} not failures (pass/informational)` : ""}.`,
  unmappedTitle: "Unmapped findings",
  unmappedHeader: ["Producer rule", "Findings", "Why"],
  moreUnmapped: (n) => `… and ${n} more producer rules.`,
  footer: "Drift Score = Σ violation points × rule weight × area weight, capped at 100 (SpecGate).",
};

const KO: RadarText = {
  title: "🎯 Drift Radar",
  overall: "📊 전체 점수",
  decisionLabel: { PASS: "✅ 통과", WARNING: "⚠️ 경고", FAIL: "⛔ PR 차단" },
  verdict: {
    PASS: "설계 준수를 잘 하고 있습니다.",
    WARNING: "설계 위반이 발견되었습니다. 수정을 권장합니다.",
    FAIL: "설계 위반으로 인해 PR이 차단되었습니다.",
  },
  thresholds: (fail, warn) => `임계치: 차단 ≥ ${fail}점, 경고 ≥ ${warn}점`,
  gate: "게이트",
  result: "결과",
  decision: "판정",
  drift: "설계 드리프트",
  quality: "문서 품질",
  qualityTop: (doc) => `설계 문서${doc ? ` ${doc}` : ""}에서 먼저 고칠 것:`,
  areasTitle: "📈 영역별 점수",
  areaHeader: ["영역", "점수", "상태", "위반", "주요 위반"],
  areaNames: {
    API: "API",
    SEC: "보안",
    ARCH: "아키텍처",
    DATA: "데이터",
    PERF: "성능",
    UI: "UI",
    TEST: "테스트",
    DEV: "개발",
    OPS: "운영",
  },
  status: { risk: "🔴 위험", attention: "🟡 주의", clean: "🟢 양호" },
  moreAreas: (n) => `… 외 ${n}개 영역.`,
  violationsTitle: (n) => `🚨 주요 위반 사항 (${n}건)`,
  noViolations: "주어진 규칙의 위반이 없습니다.",
  card: {
    file: "파일",
    problem: "문제",
    fix: "수정 방법",
    points: "점수",
    example: "예시 코드",
    noLocation: "(위치 없음)",
    line: "줄",
  },
  moreViolations: (n) => `… 외 ${n}건은 여기에 표시하지 않았습니다 (JSON 또는 SARIF 출력 참조).`,
  improveTitle: "💡 개선 제안",
  afterFix: (fixed, score, decision) =>
    `MUST / MUST NOT 위반 ${fixed}건을 수정하면 예상 점수는 **${score}/100** (${decision})입니다.`,
  nothingMandatory: "MUST / MUST NOT 규칙 위반은 없습니다.",
  order: (areas) => `우선순위: ${areas}.`,
  notScored: (s, u, n) =>
    `점수 제외: 억제 또는 기준선 ${s}건 · 규칙 매핑 실패 ${u}건${n ? ` · 실패 아님(pass/informational) ${n}건` : ""}.`,
  unmappedTitle: "매핑되지 않은 결과",
  unmappedHeader: ["도구 규칙", "건수", "사유"],
  moreUnmapped: (n) => `… 외 ${n}개 도구 규칙.`,
  footer: "Drift Score = Σ 위반 점수 × 규칙 가중치 × 영역 가중치, 최대 100점 (SpecGate).",
};

export function radarText(lang: RadarLang): RadarText {
  return lang === "ko" ? KO : EN;
}
