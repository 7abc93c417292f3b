/**
 * Linearity, proven on adversarial inputs rather than timed: each document repeats one
 * "attack" unit half a million times (the characters scslre names for the patterns it flags, plus
 * Markdown and HTML punctuation) in the places rules, headings, details, tables and HTML put
 * text. A linear pass over 0.5 MB takes milliseconds; anything quadratic would need ~10¹¹ steps
 * and blow the test timeout by hours. (Before this suite, a rule line of a million `0`s took
 * extraction minutes, a heading of `(`s did the same to the linter, and a 200-character
 * cache_invalidate glob could stall the server for good.)
 */
import { describe, expect, it } from "vitest";
import { convert, generateFromDocument, lint, score } from "../../src/index.js";

const N = 500_000;

const UNITS = [
  " ",
  "\t",
  "-",
  "/",
  "A",
  "0",
  "0.",
  ".",
  "#",
  "(",
  "（",
  "{,",
  ">",
  ":",
  "<",
  "`",
  "~",
  "*_",
  "\\",
  "[",
  "](",
  "|",
  "RULE-A-",
  "<!--",
  "&#",
  "\u00a0",
  "\r\n",
  "\u2028",
  "ms ",
  "가",
];

const DOC = (rule: string) => `# P API 설계서\n\n## 설계 규칙\n\n${rule}\n\n## 기술 스펙\n\nx\n`;

/** Where attack text lands: each wraps the repeated unit (ending in a character that makes matches fail). */
const WRAPS: Record<string, (s: string) => string> = {
  plain: (s) => `${s}x`,
  title: (s) => `# ${s}x 설계서\n\nbody\n`,
  heading: (s) => `# T\n\n## ${s}x\n\ntext\n`,
  rule: (s) => DOC(`**RULE-API-001** (MUST): ${s}x`),
  "rule id": (s) => DOC(`**RULE-${s}\u2028x`),
  details: (s) =>
    DOC(`- **RULE-API-001** (MUST): API must log\n  - 적용 범위: ${s}x\n  - 근거 ${s}\u2028x\n  - Reference: ${s}`),
  table: (s) => `| a | b |\n|---|---|\n| ${s}x | y |\n`,
  code: (s) => `\`\`\`${s}\u2028x\n${s}\n`,
  html: (s) =>
    `<p>${s}x</p><ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[${s}x]]></ac:plain-text-body></ac:structured-macro>`,
};

async function everyTool(input: string): Promise<void> {
  // Each may succeed or refuse with a SpecGateError; neither may take super-linear time.
  const settle = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e: unknown) => (e as { code?: string }).code ?? String(e),
    );
  const outcomes = [
    await settle(lint(input)),
    // Extraction first, then the generators.
    await settle(generateFromDocument(input, { write: false })),
    ...(input.startsWith("<") ? [await settle(convert(input))] : []),
  ];
  for (const o of outcomes) expect(o).toMatch(/^(ok|E_[A-Z_]+)$/);
}

describe("half a million repetitions of an attack unit, through lint, extract + generate and convert", () => {
  for (const [name, wrap] of Object.entries(WRAPS)) {
    it(`in ${name}`, { timeout: 600_000 }, async () => {
      for (const unit of UNITS) await everyTool(wrap(unit.repeat(Math.ceil(N / unit.length))));
    });
  }
});

describe("gate_score's inputs", () => {
  it("rule titles, finding messages, paths and the lint document", { timeout: 600_000 }, async () => {
    for (const unit of [" ", "/", "(", "0", "-", "\n", "<", "`"]) {
      const s = `${unit.repeat(N / 4)}x`;
      const result = await score({
        rules: [{ rule_id: "RULE-API-001", priority: "MUST", title: s, description: s }],
        findings: [{ rule_id: "RULE-API-001", file: s, line: 1, message: s }],
        server_url: `https://example.com/${"/".repeat(N / 4)}x`,
        repository: "o/r",
        commit: "abc",
        lint: { content: WRAPS.rule!(unit.repeat(N / 4)) },
      } as never);
      expect(result.decision).toMatch(/PASS|WARNING|FAIL/);
    }
  });
});
