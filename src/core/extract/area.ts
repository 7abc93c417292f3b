/**
 * Guessing the area of a rule that has no `RULE-AREA-NNN` id, from words.
 *
 * Each area has a word list (Korean words match as substrings, since particles attach to them;
 * English words match whole, case-insensitively). Hits in the sentence count 3, in the section
 * heading path 2, in the document title 1; the highest total wins. Ties go to the more specific
 * area in the order SEC, PERF, DATA, ARCH, TEST, OPS, UI, DEV, API ("API" appears in nearly every
 * technical sentence, so it wins only on its own words). No hit at all gives `fallback`.
 */

interface AreaWords {
  area: string;
  re: RegExp;
}

function words(area: string, korean: string[], english: string[]): AreaWords {
  const ko = korean.map((w) => w.replace(/ /g, " ?"));
  return { area, re: new RegExp(`${ko.join("|")}|\\b(?:${english.join("|")})\\b`, "gi") };
}

/** In tie-break order. */
const AREAS: readonly AreaWords[] = [
  words(
    "SEC",
    [
      "보안",
      "토큰",
      "비밀번호",
      "패스워드",
      "암호",
      "인증",
      "인가",
      "권한",
      "취약",
      "인젝션",
      "민감",
      "개인정보",
      "시크릿",
      "자격 증명",
      "평문",
      "탈취",
      "위조",
    ],
    [
      "security",
      "secure",
      "tokens?",
      "secrets?",
      "passwords?",
      "credentials?",
      "auth\\w*",
      "encrypt\\w*",
      "tls",
      "ssl",
      "https",
      "xss",
      "csrf",
      "injection",
      "saniti[sz]\\w*",
      "vulnerab\\w*",
      "permissions?",
      "pii",
      "owasp",
    ],
  ),
  words(
    "PERF",
    [
      "성능",
      "지연",
      "응답 시간",
      "타임아웃",
      "캐시",
      "캐싱",
      "메모리",
      "처리량",
      "비동기",
      "스트리밍",
      "동시성",
      "병렬",
      "부하",
      "대용량",
      "최적화",
    ],
    [
      "performance",
      "latency",
      "timeouts?",
      "cach\\w*",
      "memory",
      "throughput",
      "async\\w*",
      "asynchronous",
      "stream\\w*",
      "concurren\\w*",
      "parallel\\w*",
      "load",
      "p95",
      "p99",
      "rps",
      "optimi[sz]\\w*",
    ],
  ),
  words(
    "DATA",
    [
      "데이터",
      "테이블",
      "스키마",
      "저장소",
      "컬럼",
      "칼럼",
      "엔티티",
      "필드",
      "인덱스",
      "마이그레이션",
      "트랜잭션",
      "기본키",
      "외래키",
      "직렬화",
      "레코드",
    ],
    [
      "data",
      "database",
      "db",
      "storage",
      "tables?",
      "schemas?",
      "columns?",
      "entity",
      "entities",
      "models?",
      "fields?",
      "index(?:es)?",
      "migrations?",
      "transactions?",
      "primary key",
      "foreign key",
      "sql",
      "orm",
      "seriali[sz]\\w*",
    ],
  ),
  words(
    "ARCH",
    ["아키텍처", "계층", "레이어", "모듈", "의존", "결합", "컴포넌트", "인터페이스", "패키지", "구조"],
    [
      "architecture",
      "layers?",
      "layered",
      "modules?",
      "dependenc(?:y|ies)",
      "depends?",
      "coupling",
      "components?",
      "interfaces?",
      "packages?",
      "microservices?",
      "controllers?",
      "repositor(?:y|ies)",
      "phases?",
    ],
  ),
  words(
    "TEST",
    ["테스트", "커버리지"],
    ["tests?", "testing", "coverage", "e2e", "assert\\w*", "mock\\w*", "fixtures?"],
  ),
  words(
    "OPS",
    ["배포", "운영", "모니터링", "로그", "로깅", "알림", "장애", "백업", "롤백", "인프라"],
    [
      "deploy\\w*",
      "monitoring",
      "observability",
      "logs?",
      "logging",
      "alert\\w*",
      "incidents?",
      "backups?",
      "rollbacks?",
      "kubernetes",
      "docker",
      "pipelines?",
      "metrics?",
    ],
  ),
  words(
    "UI",
    ["화면", "버튼", "접근성", "레이아웃"],
    ["ui", "ux", "screens?", "buttons?", "accessibility", "a11y", "css", "layout"],
  ),
  words(
    "DEV",
    ["코드 스타일", "명명", "네이밍", "커밋", "브랜치", "코드 리뷰", "린트", "주석"],
    ["naming", "lint\\w*", "commits?", "branch(?:es)?", "code review", "style guide", "refactor\\w*"],
  ),
  words(
    "API",
    ["엔드포인트", "요청", "응답", "라우트", "상태 코드", "헤더"],
    [
      "apis?",
      "endpoints?",
      "rest",
      "restful",
      "http",
      "requests?",
      "responses?",
      "routes?",
      "urls?",
      "openapi",
      "swagger",
      "graphql",
      "grpc",
      "status codes?",
      "headers?",
      "payloads?",
    ],
  ),
];

function count(re: RegExp, text: string): number {
  if (!text) return 0;
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

/** The best area for a sentence in its section and document, or `fallback` when no word matches. */
export function guessArea(sentence: string, sectionPath: string, title: string, fallback: string): string {
  let best: string | undefined;
  let bestScore = 0;
  for (const { area, re } of AREAS) {
    const score = 3 * count(re, sentence) + 2 * count(re, sectionPath) + count(re, title);
    if (score > bestScore) {
      best = area;
      bestScore = score;
    }
  }
  return best ?? fallback;
}

/** The area a document title names (`# X 보안 설계서` → SEC), or undefined. */
export function areaOfTitle(title: string): string | undefined {
  let best: string | undefined;
  let bestScore = 0;
  for (const { area, re } of AREAS) {
    const score = count(re, title);
    if (score > bestScore) {
      best = area;
      bestScore = score;
    }
  }
  return best;
}
