import { describe, expect, it } from "vitest";
import { scoreGate, type GateInput } from "../../../src/core/gate/index.js";
import { SpecGateError } from "../../../src/errors.js";

type Rule = Record<string, unknown>;
const rule = (rule_id: string, priority: string, extra: Rule = {}): Rule => ({ rule_id, priority, ...extra });
const hits = (ruleId: string, n = 1) =>
  Array.from({ length: n }, (_, i) => ({ rule_id: ruleId, file: "src/a.ts", line: i + 1, message: `hit ${i}` }));

async function score(rules: Rule[], findings: unknown[], extra: Partial<GateInput> = {}) {
  return scoreGate({ rules, findings, ...extra });
}

describe("Drift Score formula (hand-computed)", () => {
  it("gives each priority its points at full reliability in the API area", async () => {
    const rules = [
      rule("RULE-API-001", "MUST"),
      rule("RULE-API-002", "SHOULD"),
      rule("RULE-API-003", "MUST NOT"),
      rule("RULE-API-004", "MAY"),
      rule("RULE-API-005", "SHOULD NOT"),
    ];
    const cases: [string, number][] = [
      ["RULE-API-001", 10],
      ["RULE-API-002", 5],
      ["RULE-API-003", 15],
      ["RULE-API-004", 0],
      ["RULE-API-005", 5],
    ];
    for (const [id, expected] of cases) {
      const r = await score(rules, hits(id));
      expect(r.drift_score, id).toBe(expected);
      expect(r.violations[0]!.points, id).toBe(expected);
      expect(r.violations[0]!.weights).toEqual({ violation_points: expected, rule_weight: 1, area_weight: 1 });
    }
  });

  it("applies the reliability bands 1.0 (≥ 90), 0.7 (70-89), 0.3 (< 70)", async () => {
    const rules = [
      rule("RULE-SEC-001", "MUST", { reliability: 95 }),
      rule("RULE-SEC-002", "MUST", { reliability: 90 }),
      rule("RULE-SEC-003", "MUST", { reliability: 89 }),
      rule("RULE-SEC-004", "MUST", { reliability: 70 }),
      rule("RULE-SEC-005", "MUST", { reliability: 69.9 }),
      rule("RULE-SEC-006", "MUST", { reliability: { total_score: 10, extraction_method: "keyword" } }),
    ];
    const expected: Record<string, [number, number]> = {
      "RULE-SEC-001": [1, 9],
      "RULE-SEC-002": [1, 9],
      "RULE-SEC-003": [0.7, 6.3],
      "RULE-SEC-004": [0.7, 6.3],
      "RULE-SEC-005": [0.3, 2.7],
      "RULE-SEC-006": [0.3, 2.7],
    };
    for (const [id, [weight, points]] of Object.entries(expected)) {
      const r = await score(rules, hits(id));
      expect(r.violations[0]!.weights.rule_weight, id).toBe(weight);
      expect(r.drift_score, id).toBe(points);
    }
    // All six together: 9 + 9 + 6.3 + 6.3 + 2.7 + 2.7 = 36
    const all = await score(
      rules,
      Object.keys(expected).flatMap((id) => hits(id)),
    );
    expect(all.drift_score).toBe(36);
    expect(all.decision).toBe("WARNING");
  });

  it("weights areas API 1.0, SEC 0.9, ARCH 0.8, DATA 0.7, PERF 0.6 and others 0.5", async () => {
    const ids = [
      "RULE-API-001",
      "RULE-SEC-001",
      "RULE-ARCH-001",
      "RULE-DATA-001",
      "RULE-PERF-001",
      "RULE-UI-001",
      "RULE-OPS-001",
      "RULE-BILLING-001",
    ];
    const rules = ids.map((id) => rule(id, "MUST"));
    const expected = [10, 9, 8, 7, 6, 5, 5, 5];
    for (const [i, id] of ids.entries()) {
      const r = await score(rules, hits(id));
      expect(r.drift_score, id).toBe(expected[i]);
    }
    const all = await score(
      rules,
      ids.flatMap((id) => hits(id)),
    );
    expect(all.raw_score).toBe(55);
    expect(all.areas.map((a) => a.area)).toEqual(["API", "SEC", "ARCH", "DATA", "PERF", "BILLING", "OPS", "UI"]);
    expect(all.areas.find((a) => a.area === "ARCH")).toMatchObject({ score: 8, count: 1, area_weight: 0.8 });
  });

  it("lets explicit ci_info.drift_calculation values win", async () => {
    const rules = [
      rule("RULE-ARCH-001", "MUST", { ci_info: { drift_calculation: { rule_weight: 0.8, area_weight: 0.8 } } }),
      rule("RULE-API-001", "SHOULD", { ci_info: { drift_calculation: { violation_points: 20 } } }),
      rule("RULE-API-002", "SHOULD", { ci_info: { drift_calculation: { violation_points: { SHOULD: 7, MUST: 99 } } } }),
      rule("RULE-API-003", "MUST NOT", { ci_info: { drift_calculation: { violation_points: { MUST: 3 } } } }),
      rule("RULE-DATA-001", "MUST", { reliability: 50, ci_info: { drift_calculation: { rule_weight: 1 } } }),
    ];
    const arch = await score(rules, hits("RULE-ARCH-001"));
    expect(arch.drift_score).toBe(6.4);
    expect(arch.violations[0]!.overrides).toEqual(["rule_weight", "area_weight"]);
    expect((await score(rules, hits("RULE-API-001"))).drift_score).toBe(20);
    const mapped = await score(rules, hits("RULE-API-002"));
    expect(mapped.drift_score).toBe(7);
    expect(mapped.violations[0]!.overrides).toEqual(["violation_points"]);
    // A map without the rule's priority keeps the default (MUST NOT = 15).
    const missing = await score(rules, hits("RULE-API-003"));
    expect(missing.drift_score).toBe(15);
    expect(missing.violations[0]!.overrides).toEqual([]);
    // reliability 50 would give 0.3; the explicit rule_weight 1 wins: 10 × 1 × 0.7
    expect((await score(rules, hits("RULE-DATA-001"))).drift_score).toBe(7);
    expect(arch.formula.rules_with_overrides).toBe(4);
  });

  it("caps the sum at 100 and reports the raw sum", async () => {
    const r = await score([rule("RULE-API-001", "MUST NOT")], hits("RULE-API-001", 11));
    expect(r.raw_score).toBe(165);
    expect(r.drift_score).toBe(100);
    expect(r.decision).toBe("FAIL");
    expect(r.areas[0]!.score).toBe(100);
  });

  it("sums exactly and rounds half-up to one decimal once", async () => {
    // SHOULD (5) × 0.7 (reliability 80) × 0.7 (DATA) = 2.45 per finding
    const rules = [rule("RULE-DATA-001", "SHOULD", { reliability: 80 })];
    expect((await score(rules, hits("RULE-DATA-001", 1))).drift_score).toBe(2.5);
    expect((await score(rules, hits("RULE-DATA-001", 1))).violations[0]!.points).toBe(2.45);
    expect((await score(rules, hits("RULE-DATA-001", 3))).drift_score).toBe(7.4); // 7.35
    expect((await score(rules, hits("RULE-DATA-001", 4))).drift_score).toBe(9.8); // not 10.0
    // 0.1 + 0.2 style drift: ten findings of 0.3 points (1 × 0.3 × 1.0) are exactly 3
    const tenths = [
      rule("RULE-API-001", "MUST", { reliability: 10, ci_info: { drift_calculation: { violation_points: 1 } } }),
    ];
    expect((await score(tenths, hits("RULE-API-001", 10))).drift_score).toBe(3);
  });

  it("decides on the boundaries 29.9 / 30 / 49.9 / 50 (and on the rounded score)", async () => {
    const at = async (points: number) =>
      (
        await score(
          [rule("RULE-API-001", "MUST", { ci_info: { drift_calculation: { violation_points: points } } })],
          hits("RULE-API-001"),
        )
      ).decision;
    expect(await at(29.9)).toBe("PASS");
    expect(await at(30)).toBe("WARNING");
    expect(await at(49.9)).toBe("WARNING");
    expect(await at(50)).toBe("FAIL");
    expect(await at(49.95)).toBe("FAIL"); // shown as 50.0
    expect(await at(29.94)).toBe("PASS"); // shown as 29.9
  });

  it("uses configured thresholds and echoes them in the formula", async () => {
    const rules = [rule("RULE-API-001", "MUST")];
    const r = await score(rules, hits("RULE-API-001", 2), { thresholds: { fail: 20, warn: 10 } });
    expect(r.drift_score).toBe(20);
    expect(r.decision).toBe("FAIL");
    expect(r.formula.thresholds).toEqual({ fail: 20, warn: 10 });
    expect(r.formula.violation_points).toEqual({ MUST: 10, SHOULD: 5, "MUST NOT": 15, MAY: 0, "SHOULD NOT": 5 });
    expect(r.formula.area_weights).toMatchObject({ API: 1, SEC: 0.9, ARCH: 0.8, DATA: 0.7, PERF: 0.6 });
    const warnOnly = await score(rules, hits("RULE-API-001", 1), { thresholds: { fail: 80 } });
    expect(warnOnly.thresholds).toEqual({ fail: 80, warn: 30 });
    expect(warnOnly.decision).toBe("PASS");
    await expect(score(rules, [], { thresholds: { fail: 20, warn: 30 } })).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
      message: expect.stringContaining("thresholds.warn"),
    });
    await expect(score(rules, [], { thresholds: { fail: 120 } })).rejects.toBeInstanceOf(SpecGateError);
  });

  it("says what the score would be after fixing MUST and MUST NOT violations", async () => {
    const rules = [rule("RULE-API-001", "MUST"), rule("RULE-API-002", "MUST NOT"), rule("RULE-API-003", "SHOULD")];
    const r = await score(rules, [...hits("RULE-API-001"), ...hits("RULE-API-002"), ...hits("RULE-API-003")]);
    expect(r.drift_score).toBe(30);
    expect(r.decision).toBe("WARNING");
    expect(r.after_fix).toEqual({ drift_score: 5, decision: "PASS", fixed: 2, priorities: ["MUST", "MUST NOT"] });
  });

  it("combines the drift gate with the document-quality gate and reports both", async () => {
    const rules = [rule("RULE-API-001", "MUST")];
    const clean = await score(rules, [], { lint: { score: 95, grade: "high" } });
    expect(clean.decision).toBe("PASS");
    const medium = await score(rules, [], { lint: { score: 82 } });
    expect(medium.quality_gate).toEqual({ score: 82, grade: "medium", decision: "WARNING", violations: 0 });
    expect(medium.drift_decision).toBe("PASS");
    expect(medium.decision).toBe("WARNING");
    const low = await score(rules, hits("RULE-API-001"), { lint: { score: 60, grade: "low", violations: [{}, {}] } });
    expect(low.decision).toBe("FAIL");
    expect(low.quality_gate).toMatchObject({ grade: "low", decision: "FAIL", violations: 2 });
    const failingDrift = await score(rules, hits("RULE-API-001", 5), { lint: { score: 100 } });
    expect(failingDrift.decision).toBe("FAIL");
    expect(failingDrift.quality_gate!.decision).toBe("PASS");
    await expect(score(rules, [], { lint: { score: 120 } as never })).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
    });
  });

  it("refuses rules it cannot read, naming the path", async () => {
    await expect(score([rule("RULE-API-001", "MUST"), rule("API-2", "MUST")], [])).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
      message: expect.stringContaining("rules[1].rule_id"),
    });
    await expect(score([rule("RULE-API-001", "SOMETIMES")], [])).rejects.toMatchObject({
      message: expect.stringContaining("rules[0].priority"),
    });
    await expect(score([], [])).rejects.toMatchObject({ code: "E_INVALID_INPUT" });
  });
});
