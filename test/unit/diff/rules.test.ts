import { describe, expect, it } from "vitest";
import {
  diffMarkdown,
  diffRules,
  MAX_DIFF_RULES,
  SIMILARITY_THRESHOLD,
  statementSimilarity,
} from "../../../src/core/diff/index.js";
import { extractRules } from "../../../src/core/extract/index.js";
import { readRules, type DesignRuleSpec } from "../../../src/core/spec/design-rule-spec.js";
import {
  edited,
  keywordKo,
  securityDesignV1,
  securityDesignV2,
  securityDesignWithKeywords,
} from "../../helpers/versions.js";

const rules = (...raw: Record<string, unknown>[]): DesignRuleSpec[] => {
  const read = readRules(raw);
  expect(read.issues).toEqual([]);
  return read.rules;
};
const ids = (list: readonly DesignRuleSpec[]) => list.map((r) => r.rule_id);

describe("diffRules: rules matched by id", () => {
  const v1 = rules(
    { rule_id: "RULE-API-001", priority: "MUST", description: "Responses MUST be JSON." },
    {
      rule_id: "RULE-ARCH-001",
      priority: "MUST NOT",
      description: "Controllers MUST NOT depend on repositories.",
      scope: { file_patterns: ["src/web/**"] },
      validation_conditions: { dependency_rules: [{ from: "controller", to: "repository", direction: "forbidden" }] },
    },
    { rule_id: "RULE-SEC-001", priority: "MUST", description: "Tokens MUST come from the environment." },
  );

  it("reports the fields that changed, by their DesignRuleSpec path, and counts the others unchanged", async () => {
    const v2 = rules(
      { rule_id: "RULE-API-001", priority: "SHOULD", description: "Responses MUST be JSON." },
      {
        rule_id: "RULE-ARCH-001",
        priority: "MUST NOT",
        description: "Controllers MUST NOT depend on repositories.",
        scope: { file_patterns: ["src/web/**", "src/api/**"] },
        validation_conditions: {
          dependency_rules: [
            { from: "controller", to: "repository", direction: "forbidden" },
            { from: "controller", to: "entity", direction: "forbidden" },
          ],
        },
      },
      { rule_id: "RULE-SEC-001", priority: "MUST", description: "Tokens MUST come from the environment." },
    );
    const d = await diffRules(v1, v2);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.unchanged).toBe(1);
    expect(d.changed).toEqual([
      {
        rule_id: "RULE-API-001",
        matched_by: "id",
        title: "Responses MUST be JSON.",
        fields: { priority: { from: "MUST", to: "SHOULD" } },
      },
      {
        rule_id: "RULE-ARCH-001",
        matched_by: "id",
        title: "Controllers MUST NOT depend on repositories.",
        fields: {
          "scope.file_patterns": { from: ["src/web/**"], to: ["src/web/**", "src/api/**"] },
          "validation_conditions.dependency_rules": {
            from: [{ from: "controller", to: "repository", direction: "forbidden" }],
            to: [
              { from: "controller", to: "repository", direction: "forbidden" },
              { from: "controller", to: "entity", direction: "forbidden" },
            ],
          },
        },
      },
    ]);
    expect(d.regenerate).toEqual(["RULE-API-001", "RULE-ARCH-001"]);
  });

  it("reports added and removed rules whole, and never pairs two standardized ids by wording", async () => {
    const v2 = rules(
      v1[0]!,
      v1[1]!,
      // The same statement under a new number is a new rule; the old number is gone.
      { rule_id: "RULE-SEC-002", priority: "MUST", description: "Tokens MUST come from the environment." },
    );
    const d = await diffRules(v1, v2);
    expect(ids(d.added)).toEqual(["RULE-SEC-002"]);
    expect(ids(d.removed)).toEqual(["RULE-SEC-001"]);
    expect(d.added[0]!.description).toBe("Tokens MUST come from the environment.");
    expect(d.changed).toEqual([]);
    expect(d.unchanged).toBe(2);
    expect(d.stats).toEqual({ from: 3, to: 3, matched_by_id: 2, matched_by_similarity: 0 });
  });

  it("treats absent, empty and null fields alike, and does not compare source lines or reliability", async () => {
    const a = rules({ rule_id: "RULE-API-001", priority: "MUST", description: "X MUST be y.", references: [] });
    const b = rules({
      rule_id: "RULE-API-001",
      priority: "MUST",
      description: "X MUST be y.",
      source: { document: "v2.md", line: 40 },
      reliability: 70,
    });
    expect(await diffRules(a, b)).toMatchObject({ changed: [], unchanged: 1 });
  });

  it("pairs the occurrences of an id written twice in order", async () => {
    const a = rules(
      { rule_id: "RULE-API-001", priority: "MUST", description: "First." },
      { rule_id: "RULE-API-001", priority: "MUST", description: "Second." },
    );
    const b = rules(
      { rule_id: "RULE-API-001", priority: "MUST", description: "First." },
      { rule_id: "RULE-API-001", priority: "SHOULD", description: "Second." },
      { rule_id: "RULE-API-001", priority: "MAY", description: "Third." },
    );
    const d = await diffRules(a, b);
    expect(d.unchanged).toBe(1);
    expect(d.changed.map((c) => c.fields)).toEqual([{ priority: { from: "MUST", to: "SHOULD" } }]);
    expect(d.added.map((r) => r.description)).toEqual(["Third."]);
  });

  it("is empty for two empty sets, and says so in Markdown", async () => {
    const d = await diffRules([], []);
    expect(d).toMatchObject({ added: [], removed: [], changed: [], unchanged: 0, regenerate: [] });
    expect(diffMarkdown(d)).toContain("No rule changes (0 rules unchanged).");
    const all = await diffRules([], v1);
    expect(ids(all.added)).toEqual(ids(v1));
  });

  it(`refuses more than ${MAX_DIFF_RULES} rules a side with E_TOO_LARGE`, async () => {
    const many = Array.from({ length: MAX_DIFF_RULES + 1 }, () => v1[0]!);
    await expect(diffRules(many, v1)).rejects.toThrow(expect.objectContaining({ code: "E_TOO_LARGE" }));
    await expect(diffRules(v1, many)).rejects.toThrow(/`to` has 1001 rules; a diff compares at most 1000 a side/);
  });
});

describe("diffRules: keyword rules matched by wording", () => {
  const doc = (...lines: string[]) => ["# Payments", "", "## Rules", "", ...lines].join("\n");

  it("matches a reworded English keyword rule to its old version and reports its new id", async () => {
    const a = extractRules(doc("The API MUST use HTTPS for every request.", "Clients MAY cache responses.")).rules;
    const b = extractRules(doc("The API MUST use HTTPS for all requests.", "Clients MAY cache responses.")).rules;
    expect(a[0]!.rule_id).toMatch(/^RULE-GEN-/);
    expect(a[0]!.rule_id).not.toBe(b[0]!.rule_id);
    const d = await diffRules(a, b);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.unchanged).toBe(1);
    expect(d.changed).toEqual([
      {
        rule_id: b[0]!.rule_id,
        from_rule_id: a[0]!.rule_id,
        matched_by: "similarity",
        similarity: 0.778,
        title: "The API MUST use HTTPS for all requests",
        fields: {
          rule_id: { from: a[0]!.rule_id, to: b[0]!.rule_id },
          description: {
            from: "The API MUST use HTTPS for every request.",
            to: "The API MUST use HTTPS for all requests.",
          },
        },
      },
    ]);
  });

  it("matches reworded Korean keyword rules through particles and endings (the rule_extract fixture)", async () => {
    const v1 = extractRules(keywordKo()).rules;
    const v2 = extractRules(
      edited(keywordKo(), [
        ["- 외부 API 호출에는 타임아웃을 설정해야 한다", "- 모든 외부 API 호출에는 타임아웃을 지정해야 한다"],
        ["- 목록 API는 페이지네이션을 지원해야 한다", "- 목록 API는 페이지네이션을 지원하지 않아도 된다"],
        [
          "- 카드 번호를 로그에 남겨서는 안 된다",
          "- 카드 번호를 로그에 남겨서는 안 된다\n- 세션 토큰은 30분 후 만료되어야 한다",
        ],
      ]),
    ).rules;
    const d = await diffRules(v1, v2);
    const reworded = d.changed.find((c) => c.fields.description?.from === "외부 API 호출에는 타임아웃을 설정해야 한다");
    expect(reworded).toMatchObject({
      matched_by: "similarity",
      fields: { description: { to: "모든 외부 API 호출에는 타임아웃을 지정해야 한다" } },
    });
    expect(reworded!.similarity!).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(d.added.map((r) => r.description)).toContain("세션 토큰은 30분 후 만료되어야 한다");
    expect(d.unchanged).toBe(v1.length - d.changed.length - d.removed.length);
    // Every rule of v1 is accounted for exactly once.
    expect(d.unchanged + d.changed.length + d.removed.length).toBe(v1.length);
    expect(d.unchanged + d.changed.length + d.added.length).toBe(v2.length);
  });

  it("does not pair unrelated keyword rules that share only their modal ending", async () => {
    expect(
      statementSimilarity("모든 도구는 진행 상황을 로깅해야 한다", "모든 도구는 입력 검증을 수행해야 한다"),
    ).toBeLessThan(SIMILARITY_THRESHOLD);
    const a = extractRules(doc("모든 도구는 진행 상황을 로깅해야 한다.")).rules;
    const b = extractRules(doc("모든 도구는 입력 검증을 수행해야 한다.")).rules;
    const d = await diffRules(a, b);
    expect(d.changed).toEqual([]);
    expect(d.added).toHaveLength(1);
    expect(d.removed).toHaveLength(1);
  });

  it("matches a keyword rule that was given a standardized id, best pair first", async () => {
    const a = extractRules(doc("Services MUST NOT call the database directly.", "Services MUST log errors.")).rules;
    const b = extractRules(
      doc(
        "- **RULE-ARCH-001** (MUST NOT): Services MUST NOT access the database directly.",
        "",
        "Services MUST log errors.",
      ),
    ).rules;
    const d = await diffRules(a, b);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]).toMatchObject({
      rule_id: "RULE-ARCH-001",
      from_rule_id: a[0]!.rule_id,
      matched_by: "similarity",
    });
    expect(d.changed[0]!.fields.rule_id).toEqual({ from: a[0]!.rule_id, to: "RULE-ARCH-001" });
    expect(d.changed[0]!.fields.area).toEqual({ from: "DATA", to: "ARCH" });
    expect(d.unchanged).toBe(1);
  });

  it("stays bounded when every statement matches every other (no cubic rematching)", async () => {
    const same = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) =>
        rules({
          rule_id: `RULE-GEN-${prefix}${String(i).padStart(4, "0")}`,
          priority: "MUST",
          description: "Same words.",
        }),
      ).flat();
    let servedMeanwhile = false;
    setImmediate(() => (servedMeanwhile = true));
    const d = await diffRules(same(300, "A"), same(300, "B")).then((out) => {
      // The matching yields to the event loop between rules: other work ran before it finished.
      expect(servedMeanwhile).toBe(true);
      return out;
    });
    expect(d.changed).toHaveLength(300);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);

    const stop = new AbortController();
    setImmediate(() => stop.abort());
    await expect(diffRules(same(300, "A"), same(300, "B"), { signal: stop.signal })).rejects.toMatchObject({
      code: "E_CANCELLED",
    });
  });
});

describe("diffRules on the corpus' security design, edited into a second version", () => {
  it("finds the priority and scope change, the dropped rule, the new rule and the reworded keyword rule", async () => {
    const v1 = extractRules(securityDesignWithKeywords()).rules;
    const v2 = extractRules(securityDesignV2()).rules;
    const d = await diffRules(v1, v2);
    expect(ids(d.added)).toEqual(["RULE-SEC-008"]);
    expect(ids(d.removed)).toEqual(["RULE-SEC-007"]);
    expect(d.changed.map((c) => [c.rule_id, c.matched_by, Object.keys(c.fields)])).toEqual([
      ["RULE-SEC-004", "id", ["priority", "scope.text"]],
      [expect.stringMatching(/^RULE-GEN-/), "similarity", ["rule_id", "description"]],
    ]);
    expect(d.changed[0]!.fields.priority).toEqual({ from: "SHOULD", to: "MUST" });
    expect(d.unchanged).toBe(6);
    const md = diffMarkdown(d, { from: "v1", to: "v2" });
    expect(md).toContain("### Rule changes: v1 → v2");
    expect(md).toContain("**1 added, 1 removed, 2 changed**, 6 unchanged.");
    expect(md).toContain("- **RULE-SEC-008** (MUST): 모든 토큰은 90일마다 교체해야 한다");
    expect(md).toContain("- ~~**RULE-SEC-007** (MUST NOT): 신뢰할 수 없는 외부 입력을 직접 실행해서는 안 된다~~");
    expect(md).toContain("  - priority: SHOULD → MUST");
    expect(md).toMatch(/matched by wording, 81% alike/);
  });

  it("finds nothing between a document and itself", async () => {
    const v1 = extractRules(securityDesignV1()).rules;
    expect(await diffRules(v1, extractRules(securityDesignV1()).rules)).toMatchObject({
      added: [],
      removed: [],
      changed: [],
      unchanged: v1.length,
    });
  });
});

describe("diffMarkdown", () => {
  it("keeps a multi-line or long statement on its list line and shows array changes as + and −", async () => {
    const a = rules({
      rule_id: "RULE-API-001",
      priority: "MUST",
      description: "x",
      scope: { file_patterns: ["a/**"] },
    });
    const b = rules({
      rule_id: "RULE-API-001",
      priority: "MUST",
      description: `line one\nline two ${"word ".repeat(80)}`,
      scope: { file_patterns: ["b/**"] },
    });
    const md = diffMarkdown(await diffRules(a, b));
    const line = md.split("\n").find((l) => l.startsWith("  - description:"))!;
    expect(line).toContain("“line one line two word");
    expect(line).toMatch(/…”$/);
    expect(md).toContain("  - scope.file_patterns: + `b/**`, − `a/**`");
  });
});

describe("the library's diffRules", () => {
  it("reads both sides leniently and adds the Markdown summary", async () => {
    const { diffRules: diff } = await import("../../../src/index.js");
    const out = await diff(
      { rules: [{ rule_id: "rule-api-001", priority: "must", description: "Responses MUST be JSON." }] },
      [{ rule_id: "RULE-API-001", priority: "SHOULD", description: "Responses MUST be JSON." }],
      { labels: { from: "v1", to: "v2" } },
    );
    expect(out.changed).toMatchObject([
      { rule_id: "RULE-API-001", fields: { priority: { from: "MUST", to: "SHOULD" } } },
    ]);
    expect(out.markdown).toContain("### Rule changes: v1 → v2");
    await expect(diff([{ rule_id: "nope", priority: "MUST" }], [])).rejects.toThrow(
      expect.objectContaining({ code: "E_INVALID_INPUT" }),
    );
    await expect(diff([], [], { labels: { from: 1 } } as never)).rejects.toThrow(/options\.labels\.from/);
  });
});
