import { readFile } from "node:fs/promises";
import path from "node:path";
import MarkdownIt from "markdown-it";
type Token = ReturnType<InstanceType<typeof MarkdownIt>["parse"]>[number];
import { describe, expect, it } from "vitest";
import { MAX_RADAR_CHARS, RADAR_MARKER, scoreGate } from "../../../src/core/gate/index.js";
import { fixturePath } from "../../helpers/fixtures.js";

const FIX = fixturePath("gate");
const load = async (name: string): Promise<unknown> => JSON.parse(await readFile(path.join(FIX, name), "utf8"));
const md = new MarkdownIt({ html: true });
const SHA = "0123456789abcdef0123456789abcdef01234567";

/** Every token, inline children included. */
function flat(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...(t.children ? flat(t.children) : [])]);
}
function headings(tokens: Token[], tag: string): string[] {
  return tokens.flatMap((t, i) => (t.type === "heading_open" && t.tag === tag ? [tokens[i + 1]!.content] : []));
}
function tables(tokens: Token[]): { rows: number; cells: number[] }[] {
  const out: { rows: number; cells: number[] }[] = [];
  let current: { rows: number; cells: number[] } | undefined;
  let cells = 0;
  for (const t of tokens) {
    if (t.type === "table_open") current = { rows: 0, cells: [] };
    else if (t.type === "tr_open") cells = 0;
    else if (t.type === "td_open" || t.type === "th_open") cells++;
    else if (t.type === "tr_close" && current) {
      current.rows++;
      current.cells.push(cells);
    } else if (t.type === "table_close" && current) {
      out.push(current);
      current = undefined;
    }
  }
  return out;
}
const ALLOWED_HTML = [
  /^<!-- specgate:drift-radar -->\s*$/,
  /^<details><summary>[^<]*<\/summary>\s*$/,
  /^<\/details>\s*$/,
  /^<\/?sub>$/,
];

describe("Drift Radar", () => {
  it("renders the headline, an area table, linked violation cards and the after-fix score", async () => {
    const r = await scoreGate({
      rules: await load("rules.json"),
      sarif: [await load("semgrep.sarif"), await load("codeql.sarif")],
      repository: "acme/payflow",
      commit: SHA,
      lang: "en",
    });
    const radar = r.radar_markdown;
    expect(radar.startsWith(`${RADAR_MARKER}\n`)).toBe(true);
    const tokens = md.parse(radar, {});
    expect(headings(tokens, "h2")).toEqual(["🎯 Drift Radar"]);
    expect(headings(tokens, "h3")).toEqual(["📊 Overall", "📈 Areas", "🚨 Violations (3)", "💡 Next steps"]);
    expect(headings(tokens, "h4")).toEqual([
      "1. RULE-API-001 (MUST) — RESTful endpoints",
      "2. RULE-ARCH-001 (MUST) — Controllers depend on services only",
      "3. RULE-PERF-002 (SHOULD) — Paginate list endpoints",
    ]);
    expect(radar).toContain("**Drift Score: 17.3/100** · **✅ PASS** (thresholds: FAIL ≥ 50, WARNING ≥ 30)");
    const [areas] = tables(tokens);
    expect(areas).toEqual({ rows: 5, cells: [5, 5, 5, 5, 5] }); // header + API, SEC, ARCH, PERF
    const links = flat(tokens)
      .filter((t) => t.type === "link_open")
      .map((t) => t.attrGet("href"));
    expect(links).toContain(
      `https://github.com/acme/payflow/blob/${SHA}/src/main/java/com/acme/UserController.java#L25`,
    );
    expect(links).toContain(
      `https://github.com/acme/payflow/blob/${SHA}/src/main/java/com/acme/UserController.java#L30`,
    );
    const fence = tokens.find((t) => t.type === "fence")!;
    expect(fence.info).toBe("java");
    expect(fence.content).toContain("getUser(@PathVariable Long id)");
    expect(radar).toContain("Remove the verb from the URL and name the resource");
    expect(radar).toContain(
      "Fixing the 2 MUST / MUST NOT violations would bring the Drift Score to **0.9/100** (✅ PASS).",
    );
    expect(radar).toContain("3 unmapped");
  });

  it("keeps hostile finding text inside its cell and line: no HTML, no links, no headings, no broken table", async () => {
    const evil =
      "a | b | c\n## injected\n<script>alert(1)</script> [click](javascript:alert(1)) <!-- specgate:drift-radar --> $x$ `tick";
    const r = await scoreGate({
      rules: [{ rule_id: "RULE-API-001", priority: "MUST", title: "T | <b>x</b>" }],
      findings: [{ rule_id: "RULE-API-001", file: "src/we`ird | (path).ts", line: 3, message: evil }],
      repository: "acme/payflow",
      commit: SHA,
    });
    const tokens = md.parse(r.radar_markdown, {});
    for (const t of flat(tokens).filter((x) => x.type === "html_block" || x.type === "html_inline")) {
      expect(
        ALLOWED_HTML.some((re) => re.test(t.content)),
        t.content,
      ).toBe(true);
    }
    expect(r.radar_markdown.split(RADAR_MARKER)).toHaveLength(2);
    expect(headings(tokens, "h2")).toEqual(["🎯 Drift Radar"]);
    expect(headings(tokens, "h4")).toHaveLength(1);
    const links = flat(tokens)
      .filter((t) => t.type === "link_open")
      .map((t) => t.attrGet("href"));
    expect(links).toEqual([`https://github.com/acme/payflow/blob/${SHA}/src/we%60ird%20%7C%20(path).ts#L3`]);
    expect(tables(tokens)[0]!.cells.every((c) => c === 5)).toBe(true);
    const text = flat(tokens)
      .filter((t) => t.type === "text")
      .map((t) => t.content)
      .join("");
    expect(text).toContain("<script>alert(1)</script>");
  });

  it("never exceeds 65,000 characters and counts what it left out", async () => {
    const findings = Array.from({ length: 5000 }, (_, i) => ({
      rule_id: `RULE-API-${String((i % 50) + 1).padStart(3, "0")}`,
      file: `src/f${i}.ts`,
      line: i + 1,
      message: "x".repeat(900),
    }));
    const rules = Array.from({ length: 50 }, (_, i) => ({
      rule_id: `RULE-API-${String(i + 1).padStart(3, "0")}`,
      priority: "MUST",
      ci_info: { pr_comment: { fix_guidance: "f".repeat(900), code_example: "c".repeat(3000) } },
    }));
    const r = await scoreGate({ rules, findings, max_listed: 5000 });
    expect(r.radar_markdown.length).toBeLessThanOrEqual(MAX_RADAR_CHARS);
    const shown = headings(md.parse(r.radar_markdown, {}), "h4").length;
    expect(shown).toBeGreaterThan(0);
    expect(r.radar_markdown).toContain(`… and ${5000 - shown} more violations not shown here`);
    expect(r.radar_markdown).toContain("### 💡 Next steps");
    expect(r.radar_markdown.trimEnd().endsWith("</sub>")).toBe(true);
  });

  it("speaks Korean when the rules are Korean (or when asked), English otherwise", async () => {
    const rules = [
      {
        rule_id: "RULE-API-001",
        priority: "MUST",
        title: "RESTful API 설계 원칙",
        description: "모든 API는 RESTful 원칙을 따라야 한다",
      },
    ];
    const findings = Array.from({ length: 6 }, (_, i) => ({
      rule_id: "RULE-API-001",
      file: "a.java",
      line: i + 1,
      message: "위반",
    }));
    const ko = await scoreGate({ rules, findings });
    expect(ko.radar_markdown).toContain("### 📊 전체 점수");
    expect(ko.radar_markdown).toContain("⛔ PR 차단");
    expect(ko.radar_markdown).toContain("설계 위반으로 인해 PR이 차단되었습니다.");
    const en = await scoreGate({ rules, findings, lang: "en" });
    expect(en.radar_markdown).toContain("### 📊 Overall");
    const english = await scoreGate({
      rules: [{ rule_id: "RULE-API-001", priority: "MUST", title: "REST" }],
      findings: [],
    });
    expect(english.radar_markdown).toContain("No violations of the given rules were found.");
    expect(english.radar_markdown).toContain("The change follows the design.");
  });

  it("shows both gates when a lint result is given", async () => {
    const r = await scoreGate({
      rules: [{ rule_id: "RULE-API-001", priority: "MUST" }],
      findings: [],
      lint: { score: 75, grade: "medium" },
    });
    const t = tables(md.parse(r.radar_markdown, {}));
    expect(t[0]).toEqual({ rows: 3, cells: [3, 3, 3] });
    expect(r.radar_markdown).toContain("| Document quality | 75/100 (medium) | ⚠️ WARNING |");
    expect(r.radar_markdown).toContain("**⚠️ WARNING**");
  });
});
