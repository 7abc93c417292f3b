/**
 * rule_extract → spec_generate → gate_score as a client that hands the model only `content[].text`
 * (many do): each result's text is parsed as JSON and passed on; `structuredContent` is never read.
 * Shared by the in-process test and the spawned stdio and HTTP ones.
 */
import { readFile } from "node:fs/promises";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expect } from "vitest";
import { fixturePath, readCorpus } from "./fixtures.js";
import { semgrepSarif, type SemgrepMatch } from "./semgrep-sarif.js";

/** Four violations Semgrep reports in the payments service (see test/e2e/chain.test.ts for the arithmetic). */
export const PAYMENT_VIOLATIONS: readonly SemgrepMatch[] = [
  {
    id: "specgate.rule-sec-001",
    file: "src/db/payments.ts",
    line: 14,
    code: 'const rows = await db.query("SELECT * FROM payments WHERE id = " + req.params.id);',
  },
  {
    id: "specgate.rule-sec-003",
    file: "src/routes/refunds.ts",
    line: 30,
    code: 'console.log("refund", cardNumber, amount);',
  },
  {
    id: "specgate.rule-arch-001",
    file: "src/routes/payments.ts",
    line: 3,
    code: 'import { PaymentRepository } from "../repositories/payment-repository";',
  },
  {
    id: "specgate.rule-perf-001",
    file: "src/routes/payments.ts",
    line: 41,
    code: "const all = await payments.findAll();",
  },
];

/** The only part of a result this client looks at: its text blocks, joined. */
async function textOf(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text?: string }[])
    .filter((c) => c.type === "text")
    .map((c) => c.text ?? "")
    .join("");
  expect(result.isError, `${name}: ${text.slice(0, 300)}`).toBeFalsy();
  return text;
}

export interface TextChainOutcome {
  rules: { rule_id: string }[];
  files: { path: string }[];
  gate: { drift_score: number; decision: string; violations: { rule_id: string }[] };
}

export async function runTextChain(client: Client): Promise<TextChainOutcome> {
  const standards = await readCorpus("specgate-docs", "standards", "SpecGate-API-Design.md");
  const payments = await readFile(fixturePath("e2e", "payflow-payments-design.en.md"), "utf8");

  const extracted = JSON.parse(
    await textOf(client, "rule_extract", {
      documents: [
        { id: "docs/SpecGate-API-Design.md", content: standards },
        { id: "docs/payments.md", content: payments },
      ],
    }),
  ) as { rules: { rule_id: string }[] };

  const generated = JSON.parse(
    await textOf(client, "spec_generate", { rules: extracted.rules, targets: ["semgrep"], project: "PayFlow" }),
  ) as { files: { path: string; content: string }[] };
  const semgrep = generated.files.find((f) => f.path === ".specgate/semgrep/specgate-rules.yml");
  expect(semgrep, "spec_generate's text carries the Semgrep rules").toBeDefined();

  const { log } = semgrepSarif(semgrep!.content, PAYMENT_VIOLATIONS);
  const gate = JSON.parse(
    await textOf(client, "gate_score", { rules: extracted.rules, sarif: log }),
  ) as TextChainOutcome["gate"];
  return { rules: extracted.rules, files: generated.files, gate };
}

/** What the chain must come to, whichever transport carried it (docs/gate.md: 9 + 13.5 + 12 + 2.1). */
export function expectTextChainOutcome(outcome: TextChainOutcome): void {
  expect(outcome.rules).toHaveLength(13);
  expect(outcome.files.map((f) => f.path)).toEqual([".specgate/semgrep/specgate-rules.yml"]);
  expect(outcome.gate.drift_score).toBe(36.6);
  expect(outcome.gate.decision).toBe("WARNING");
  expect(outcome.gate.violations.map((v) => v.rule_id).sort()).toEqual([
    "RULE-ARCH-001",
    "RULE-PERF-001",
    "RULE-SEC-001",
    "RULE-SEC-003",
  ]);
}
