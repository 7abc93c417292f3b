/**
 * Dependency rules from prose: which sentences state one (English and Korean), and — as much —
 * which must not, because a check generated from them would be wrong.
 */
import { describe, expect, it } from "vitest";
import { dependencyRulesOf } from "../../src/core/extract/dependency.js";
import { extractRules } from "../../src/core/extract/index.js";

const F = (from: string, to: string) => ({ from, to, direction: "forbidden" });
const ONLY = (from: string, to: string) => ({ from, to, direction: "allowed", only: true });

const STATES: [string, object[]][] = [
  // English: must not / shall not / should not / may not / cannot + depend on | import | call | use | access | reference
  ["Controllers must not depend on repositories.", [F("controller", "repository")]],
  ["Controllers must not call repositories directly.", [F("controller", "repository")]],
  ["The controller layer must not call the repository layer directly.", [F("controller", "repository")]],
  ["Controllers shall not import DAOs.", [F("controller", "dao")]],
  ["For security, handlers should not access repositories.", [F("handler", "repository")]],
  ["Views may not reference entities.", [F("view", "entity")]],
  ["The UI cannot use the persistence layer.", [F("ui", "persistence")]],
  [
    "Controllers and views must not use repositories or DAOs.",
    [F("controller", "repository"), F("controller", "dao"), F("view", "repository"), F("view", "dao")],
  ],
  ["Classes in the web package must not import the persistence package.", [F("web", "persistence")]],
  [
    "Code in `com.acme.shop.web` must not depend on `com.acme.shop.persistence`.",
    [F("com.acme.shop.web", "com.acme.shop.persistence")],
  ],
  ["Domain classes must never depend on infrastructure.", [F("domain", "infrastructure")]],
  ["Use cases are not allowed to call controllers.", [F("usecase", "controller")]],
  // Upper case and a colon after the verb read the same
  ["Controllers MUST NOT Import: repositories.", [F("controller", "repository")]],
  // English: only
  ["Controllers may only depend on services.", [ONLY("controller", "service")]],
  ["Controllers should depend only on services.", [ONLY("controller", "service")]],
  ["Services must only call repositories.", [ONLY("service", "repository")]],
  // Korean
  ["서비스 계층은 컨트롤러 계층에 의존해서는 안 된다", [F("service", "controller")]],
  ["컨트롤러에서 리포지토리를 직접 호출하면 안 된다.", [F("controller", "repository")]],
  ["컨트롤러는 레포지토리를 참조하지 않아야 한다", [F("controller", "repository")]],
  ["컨트롤러에서 저장소 직접 호출 금지", [F("controller", "repository")]],
  [
    "컨트롤러와 뷰는 리포지토리나 DAO를 사용해서는 안 됩니다",
    [F("controller", "repository"), F("controller", "dao"), F("view", "repository"), F("view", "dao")],
  ],
  ["게이트웨이는 도메인에 의존하면 안 됩니다", [F("gateway", "domain")]],
  ["컨트롤러는 서비스만 참조해야 한다", [ONLY("controller", "service")]],
  [
    "Controller는 Service만 의존해야 하며, Service는 Repository만 의존해야 함",
    [ONLY("controller", "service"), ONLY("service", "repository")],
  ],
];

const STATES_NONE: string[] = [
  "The service depends on Redis being up.",
  "Services must not depend on Redis being up.",
  "Services must not call external APIs directly.",
  "Controllers must validate the request body.",
  "Controllers depend on services.",
  "Controllers must use services.",
  "Services must not only depend on repositories.",
  "You must not call the database from a loop.",
  "Controllers must not log request bodies.",
  "Repositories may be used by services.",
  // Names every JavaScript object has are not verbs
  "Controllers must not constructor services.",
  "Handlers must not toString repositories.",
  "서비스는 Redis가 켜져 있어야 동작한다",
  "컨트롤러는 요청 본문을 검증해야 한다",
  "서비스는 리포지토리에 의존한다",
  "외부 API를 직접 호출해서는 안 된다",
  "컨트롤러에서 외부 API를 직접 호출하면 안 된다",
  "컨트롤러는 서비스에 의존해야 한다",
  "서비스는 캐시 서버가 응답하지 않으면 DB를 사용해야 한다",
];

describe("dependency rules from prose", () => {
  it.each(STATES)("%s", (sentence, expected) => {
    expect(dependencyRulesOf(sentence)).toEqual(expected);
  });

  it.each(STATES_NONE)("states none: %s", (sentence) => {
    expect(dependencyRulesOf(sentence)).toEqual([]);
  });

  it("turns 'X may only depend on Y' into forbidden edges to the other layers the document names", () => {
    const doc = [
      "# Shop Architecture Design Document",
      "",
      "## 2. Design Rules",
      "",
      "- **RULE-ARCH-001** (MUST): Controller는 Service만 의존해야 하며, Service는 Repository만 의존해야 함",
      "- **RULE-ARCH-002** (MUST NOT): Views must not depend on repositories.",
      "",
    ].join("\n");
    const { rules } = extractRules(doc);
    // The reference example's own reading: Controller → Repository and Service → Controller are forbidden.
    expect(rules[0]!.validation_conditions?.dependency_rules).toEqual([
      ONLY("controller", "service"),
      ONLY("service", "repository"),
      F("controller", "repository"),
      F("controller", "view"),
      F("service", "controller"),
      F("service", "view"),
    ]);
    expect(rules[1]!.validation_conditions?.dependency_rules).toEqual([F("view", "repository")]);
  });

  it("reads keyword (free-text) rules too, and gives them an ArchUnit-ready condition", () => {
    const { rules } = extractRules("# Notes\n\nControllers MUST NOT depend on repositories.\n");
    expect(rules).toHaveLength(1);
    expect(rules[0]!.validation_conditions?.dependency_rules).toEqual([F("controller", "repository")]);
  });
});
