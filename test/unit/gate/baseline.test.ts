import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprintOf, scoreGate } from "../../../src/core/gate/index.js";
import { fixturePath } from "../../helpers/fixtures.js";

const FIX = fixturePath("gate");
const load = async (name: string): Promise<unknown> => JSON.parse(await readFile(path.join(FIX, name), "utf8"));
const RULES = [
  { rule_id: "RULE-API-001", priority: "MUST" },
  { rule_id: "RULE-SEC-001", priority: "MUST NOT" },
];

describe("baseline: findings that already existed do not count", () => {
  it("takes a previous gate result; moved lines stay known, new findings count", async () => {
    const main = await scoreGate({
      rules: RULES,
      findings: [
        { rule_id: "RULE-API-001", file: "src/a.ts", line: 10, message: "verb in URL" },
        { rule_id: "RULE-SEC-001", file: "src/db.ts", line: 5, message: "string SQL" },
      ],
    });
    expect(main.drift_score).toBe(23.5); // 10 + 15 × 0.9
    const pr = await scoreGate({
      rules: RULES,
      baseline: main,
      findings: [
        { rule_id: "RULE-API-001", file: "src/a.ts", line: 14, message: "verb in URL" },
        { rule_id: "RULE-SEC-001", file: "src/db.ts", line: 9, message: "string   SQL" },
        { rule_id: "RULE-API-001", file: "src/b.ts", line: 1, message: "verb in URL" },
      ],
    });
    expect(pr.drift_score).toBe(10);
    expect(pr.violations.map((v) => v.file)).toEqual(["src/b.ts"]);
    expect(pr.suppressed.map((s) => [s.rule_id, s.reason])).toEqual([
      ["RULE-API-001", "baseline"],
      ["RULE-SEC-001", "baseline"],
    ]);
  });

  it("uses each baseline entry once: a second copy of a known finding counts", async () => {
    const f = { rule_id: "RULE-API-001", file: "src/a.ts", line: 1, message: "m" };
    const r = await scoreGate({
      rules: RULES,
      baseline: [fingerprintOf("RULE-API-001", "src/a.ts", "m")],
      findings: [f, { ...f, line: 2 }],
    });
    expect(r.stats).toMatchObject({ violations: 1, suppressed: 1 });
    const twice = await scoreGate({
      rules: RULES,
      baseline: {
        fingerprints: [fingerprintOf("RULE-API-001", "src/a.ts", "m"), fingerprintOf("RULE-API-001", "src/a.ts", "m")],
      },
      findings: [f, { ...f, line: 2 }],
    });
    expect(twice.stats).toMatchObject({ violations: 0, suppressed: 2 });
  });

  it("takes a SARIF log as baseline, matching producer fingerprints even when the message changed", async () => {
    const rules = [
      { rule_id: "RULE-API-001", priority: "MUST" },
      { rule_id: "RULE-PERF-002", priority: "SHOULD", reliability: 60 },
    ];
    const semgrep = (await load("semgrep.sarif")) as { runs: { results: { message: { text: string } }[] }[] };
    const same = await scoreGate({ rules, sarif: semgrep, baseline: semgrep });
    expect(same.stats).toMatchObject({ violations: 0, suppressed: 2, unmapped: 1 });
    const changed = structuredClone(semgrep);
    changed.runs[0]!.results[0]!.message.text = "URL contains a verb: /getUserDetails"; // keeps matchBasedId/v1
    changed.runs[0]!.results[1]!.message.text = "Different text, no producer fingerprint";
    const r = await scoreGate({ rules, sarif: changed, baseline: semgrep });
    expect(r.violations.map((v) => v.rule_id)).toEqual(["RULE-PERF-002"]);
  });

  it("rejects a baseline it cannot read", async () => {
    await expect(scoreGate({ rules: RULES, baseline: 42 })).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
      message: expect.stringContaining("baseline"),
    });
    await expect(scoreGate({ rules: RULES, baseline: { violations: [{}] } })).rejects.toMatchObject({
      message: expect.stringContaining("baseline.violations[0].fingerprint"),
    });
    await expect(scoreGate({ rules: RULES, baseline: { something: 1 } })).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
    });
  });

  it("gives every violation a fingerprint that ignores the line", async () => {
    const a = await scoreGate({
      rules: RULES,
      findings: [{ rule_id: "RULE-API-001", file: "x.ts", line: 1, message: "m" }],
    });
    const b = await scoreGate({
      rules: RULES,
      findings: [{ rule_id: "RULE-API-001", file: "x.ts", line: 99, message: "m" }],
    });
    const c = await scoreGate({
      rules: RULES,
      findings: [{ rule_id: "RULE-API-001", file: "y.ts", line: 1, message: "m" }],
    });
    expect(a.violations[0]!.fingerprint).toMatch(/^[0-9a-f]{24}$/);
    expect(a.violations[0]!.fingerprint).toBe(b.violations[0]!.fingerprint);
    expect(a.violations[0]!.fingerprint).not.toBe(c.violations[0]!.fingerprint);
  });
});
