import { describe, expect, it } from "vitest";
import { extractRules, scopePatterns } from "../../src/core/extract/index.js";

describe("scope text → patterns", () => {
  it.each([
    [
      "src/api/**, **/*.ts, controller/",
      { file_patterns: ["src/api/**", "**/*.ts", "**/controller/**"], package_patterns: [], annotation_patterns: [] },
    ],
    [
      "com.example.api 및 src.api 패키지",
      { file_patterns: [], package_patterns: ["com.example.api", "src.api"], annotation_patterns: [] },
    ],
    [
      "@RestController, @Controller, @app.route 클래스",
      {
        file_patterns: [],
        package_patterns: [],
        annotation_patterns: ["@RestController", "@Controller", "@app.route"],
      },
    ],
    [
      "**/controller/**/*.{java,ts,py}",
      { file_patterns: ["**/controller/**/*.{java,ts,py}"], package_patterns: [], annotation_patterns: [] },
    ],
    [
      "{com.example.api, src/api}",
      { file_patterns: ["src/api/**"], package_patterns: ["com.example.api"], annotation_patterns: [] },
    ],
    [
      "./scripts/*.sh, ../lib, pom.xml, package.json",
      {
        file_patterns: ["./scripts/*.sh", "../lib/**", "pom.xml", "package.json"],
        package_patterns: [],
        annotation_patterns: [],
      },
    ],
    ["`src/api/`의 컨트롤러", { file_patterns: ["src/api/**"], package_patterns: [], annotation_patterns: [] }],
    // Patterns wrapped in punctuation and particles, at the end of a sentence.
    [
      '설정은 `pom.xml`을, 코드는 (com.example.api), "@Service"가 맡는다: **/*.kt.',
      {
        file_patterns: ["pom.xml", "**/*.kt"],
        package_patterns: ["com.example.api"],
        annotation_patterns: ["@Service"],
      },
    ],
  ])("%s", (text, expected) => {
    expect(scopePatterns(text)).toEqual(expected);
  });

  it.each([
    "/api/v1/users 엔드포인트", // HTTP routes stay in the text
    "Confluence API 호출, 파일 읽기/쓰기, 네트워크 통신",
    "모든 I/O 작업, CI/CD 파이프라인, client/server, read/write",
    "api.github.com 호스트, user@example.com",
    "next.js 앱, FastMCP 2.12, v1.2.3, e.g. tests",
    "HTML→MD 변환, 규칙 추출",
  ])("no patterns in %s", (text) => {
    expect(scopePatterns(text)).toEqual({ file_patterns: [], package_patterns: [], annotation_patterns: [] });
  });

  it("keeps the scope text as written and reads code-span globs intact", () => {
    const md = [
      "# X API 설계서",
      "",
      "- **RULE-API-001** (MUST): 컨트롤러는 서비스만 호출해야 한다",
      "  - 적용 범위: `src/api/**`, `**/*Controller.java`, @RestController, /api/v1/**",
    ].join("\n");
    const [rule] = extractRules(md).rules;
    expect(rule!.scope).toEqual({
      text: "src/api/**, **/*Controller.java, @RestController, /api/v1/**",
      file_patterns: ["src/api/**", "**/*Controller.java"],
      package_patterns: [],
      annotation_patterns: ["@RestController"],
    });
  });

  it("takes patterns from the rule sentence when there is no scope detail", () => {
    const [rule] = extractRules("# T\n\nFiles under `src/api/**` MUST NOT import `src/db/**`.\n").rules;
    expect(rule!.scope).toEqual({
      text: "",
      file_patterns: ["src/api/**", "src/db/**"],
      package_patterns: [],
      annotation_patterns: [],
    });
    expect(rule!.reliability.breakdown.scope).toBe(15);
  });
});
