import { describe, expect, it } from "vitest";
import { score } from "../../../src/index.js";

function bigSarif(n: number) {
  const results = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) {
    results[i] = {
      ruleId:
        i % 3 === 0
          ? ".specgate.semgrep.specgate.rule-api-001"
          : i % 3 === 1
            ? ".specgate.semgrep.specgate.rule-data-002"
            : "other.rule",
      message: { text: `finding ${i}` },
      locations: [
        { physicalLocation: { artifactLocation: { uri: `src/f${i % 977}.ts` }, region: { startLine: (i % 500) + 1 } } },
      ],
    };
  }
  return { version: "2.1.0", runs: [{ tool: { driver: { name: "Semgrep OSS" } }, results }] };
}

describe("large inputs through the library API", () => {
  it("scores 300,000 results exactly while listing only max_listed of each kind", async () => {
    const rules = [
      { rule_id: "RULE-API-001", priority: "MUST" },
      { rule_id: "RULE-DATA-002", priority: "SHOULD", reliability: 75 },
    ];
    const r = await score({ rules, sarif: bigSarif(300_000), max_listed: 50 });
    expect(r.stats).toMatchObject({
      findings: 300_000,
      violations: 200_000,
      unmapped: 100_000,
      listed: { violations: 50, unmapped: 50, suppressed: 0 },
    });
    // 100,000 × 10 + 100,000 × 5 × 0.7 × 0.7 = 1,245,000 before the cap
    expect(r.raw_score).toBe(1_245_000);
    expect(r.drift_score).toBe(100);
    expect(r.areas.map((a) => [a.area, a.count])).toEqual([
      ["API", 100_000],
      ["DATA", 100_000],
    ]);
    // The listed violations are the heaviest ones (MUST, 10 points), in file/line order.
    expect(r.violations.every((v) => v.rule_id === "RULE-API-001")).toBe(true);
    expect(r.stats.unmapped_rules).toEqual([
      { producer_rule_id: "other.rule", count: 100_000, reason: 'no rule matches "other.rule"' },
    ]);
    expect(r.warnings).toEqual(expect.arrayContaining(["violations lists 50 of 200000 (max_listed 50)."]));
  });

  it("stops when its signal fires", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      score(
        { rules: [{ rule_id: "RULE-API-001", priority: "MUST" }], sarif: bigSarif(10_000) },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ code: "E_CANCELLED" });
  });
});
