/** The lint rule modules are the one source of the codes, their metadata and their pages. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CHECK_TYPE_CODES, DEFAULT_SEVERITY, LATER_DEDUCTIONS, LINT_CODES } from "../../src/core/lint/codes.js";
import { CODE_SUMMARIES } from "../../src/core/lint/catalog.js";
import { LINT_RULES } from "../../src/core/lint/rules/index.js";
import { renderRulePages } from "../../src/core/lint/rules/page.js";

const DOCS = path.resolve(import.meta.dirname, "../../docs/rules");
const SOURCES = path.resolve(import.meta.dirname, "../../src/core/lint/rules");

describe("lint rule modules", () => {
  it("docs/rules holds exactly the generated pages (run `npm run docs:rules` after changing a rule module)", async () => {
    const pages = await renderRulePages();
    expect((await readdir(DOCS)).filter((f) => f.endsWith(".md")).sort()).toEqual([...pages.keys()].sort());
    for (const [name, text] of pages)
      expect(await readFile(path.join(DOCS, name), "utf8"), `docs/rules/${name} is stale`).toBe(text);
  });

  it("each code is one module, named after it, and the derived tables follow the registry", async () => {
    const files = (await readdir(SOURCES))
      .filter((f) => /^[a-z_]+\.ts$/.test(f) && f.includes("_"))
      .map((f) => f.slice(0, -3));
    expect(files.sort()).toEqual([...LINT_CODES].sort());
    expect(new Set(LINT_CODES).size).toBe(LINT_RULES.length);
    for (const rule of LINT_RULES) {
      expect(DEFAULT_SEVERITY[rule.code]).toBe(rule.severity);
      expect(CODE_SUMMARIES[rule.code]).toBe(rule.summary);
      expect(CHECK_TYPE_CODES.full.has(rule.code)).toBe(true);
      expect(CHECK_TYPE_CODES.basic.has(rule.code)).toBe(rule.checkTypes.includes("basic"));
      expect(CHECK_TYPE_CODES.structure.has(rule.code)).toBe(rule.checkTypes.includes("structure"));
    }
    expect(LATER_DEDUCTIONS).toEqual({ pattern_invalid: 5 });
  });

  it("docs/speclint.md's table of codes lists every code once", async () => {
    const guide = await readFile(path.resolve(DOCS, "../speclint.md"), "utf8");
    const listed = [...guide.matchAll(/^\| \[`([a-z_]+)`\]\(rules\/\1\.md\) \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...LINT_CODES].sort());
  });
});
