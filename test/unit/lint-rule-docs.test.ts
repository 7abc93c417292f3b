/** docs/rules/<code>.md: one page per code, whose wrong example is flagged with that code and whose right example is not. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LINT_CODES } from "../../src/core/lint/codes.js";
import { lint } from "../../src/core/lint/linter.js";

const DOCS = path.resolve(import.meta.dirname, "../../docs/rules");
const example = (page: string, heading: "Wrong" | "Right") => {
  const m = new RegExp(`## ${heading}\\n\\n\`\`\`\`markdown\\n([\\s\\S]*?)\\n\`\`\`\`\\n`).exec(page);
  if (!m) throw new Error(`no ${heading} example`);
  return `${m[1]}\n`;
};

describe("rule documentation pages", () => {
  it.each([...LINT_CODES])("%s: the wrong example is flagged, the right one is not", async (code) => {
    const page = await readFile(path.join(DOCS, `${code}.md`), "utf8");
    expect(page.startsWith(`# \`${code}\``)).toBe(true);
    const wrong = await lint(example(page, "Wrong"), { ruleset: "specgate" });
    const right = await lint(example(page, "Right"), { ruleset: "specgate" });
    expect(wrong.violations.map((v) => v.code)).toContain(code);
    expect(right.violations.map((v) => v.code)).not.toContain(code);
  });
});
