import { describe, expect, it } from "vitest";
import { convertHtml, excerptOf, readIncludeMarker } from "../../src/core/convert/index.js";
import { expandIncludes, type IncludePorts } from "../../src/core/confluence/includes.js";
import { withHeading } from "../../src/core/confluence/page-store.js";
import type { PageRecord } from "../../src/core/confluence/types.js";
import type { IncludeRef } from "../../src/core/convert/types.js";
import { SpecGateError } from "../../src/errors.js";
import { extractRules } from "../../src/core/extract/index.js";
import { guidanceOf } from "../../src/core/gate/rules-index.js";

const include = (title: string, space?: string) =>
  `<ac:structured-macro ac:name="include" ac:schema-version="1"><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="${title}"${space ? ` ri:space-key="${space}"` : ""} /></ac:link></ac:parameter></ac:structured-macro>`;
const excerptInclude = (title: string) =>
  `<ac:structured-macro ac:name="excerpt-include" ac:schema-version="1"><ac:parameter ac:name="nopanel">true</ac:parameter><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="${title}" /></ac:link></ac:parameter></ac:structured-macro>`;

function page(id: string, title: string, storage: string, spaceKey = "ENG"): PageRecord {
  return {
    id,
    type: "page",
    title,
    spaceKey,
    version: 1,
    labels: [],
    url: `https://wiki.example.com/spaces/${spaceKey}/pages/${id}`,
    updatedAt: "2025-01-01T00:00:00Z",
    storage,
  };
}

/** Pages by space + title; titles listed in `forbidden` answer E_FORBIDDEN, unknown ones E_NOT_FOUND. */
function ports(pages: PageRecord[], forbidden: string[] = []): IncludePorts & { loads: string[] } {
  const loads: string[] = [];
  const convert = async (record: PageRecord, storage: string, includes?: (ref: IncludeRef) => never) =>
    (await convertHtml(storage, { spaceKey: record.spaceKey, pageId: record.id, includes })).markdown;
  return {
    loads,
    async load(ref, from) {
      const space = ref.spaceKey ?? from.spaceKey;
      loads.push(`${space}:${ref.title}`);
      if (forbidden.includes(ref.title ?? "")) throw new SpecGateError("E_FORBIDDEN", "not permitted (403)");
      const found = pages.find((p) => p.title === ref.title && p.spaceKey === space);
      if (!found) throw new SpecGateError("E_NOT_FOUND", `No page titled "${ref.title}"`);
      return found;
    },
    async converted(record) {
      const includes: IncludeRef[] = [];
      const body = await convert(record, record.storage, ((ref: IncludeRef) => void includes.push(ref)) as never);
      return { markdown: withHeading(record.title, body), includes };
    },
    convert: (record, storage, includes) => convert(record, storage, includes as never),
  };
}

describe("include expansion", () => {
  it("writes the included page's content between markers naming it, and rules there carry that page as source", async () => {
    const shared = page(
      "200",
      "Shared API rules",
      "<p><strong>RULE-API-010</strong> (MUST): 모든 API는 버전을 포함해야 한다.</p>",
    );
    const root = page(
      "100",
      "Payments API",
      `<h2>규칙</h2><p><strong>RULE-API-001</strong> (MUST): 결제 API는 멱등 키를 받아야 한다.</p>${include("Shared API rules")}<p>끝.</p>`,
    );
    const out = await expandIncludes(root, ports([shared]));
    expect(out.warnings).toEqual([]);
    expect(out.included).toEqual([
      expect.objectContaining({ id: "200", title: "Shared API rules", macro: "include", included_by: "100" }),
    ]);
    expect(out.markdown).toContain("RULE-API-010");
    expect(out.markdown).not.toContain("included from");
    const lines = out.markdown.split("\n");
    const start = lines.findIndex((l) => readIncludeMarker(l) !== undefined && readIncludeMarker(l) !== "end");
    expect(readIncludeMarker(lines[start]!)).toEqual({ id: "200", title: "Shared API rules", url: shared.url });

    const { rules } = extractRules(out.markdown, { source: { id: "100", title: "Payments API", url: root.url } });
    const own = rules.find((r) => r.rule_id === "RULE-API-001")!;
    const included = rules.find((r) => r.rule_id === "RULE-API-010")!;
    expect(own.source).toMatchObject({ document: "100", title: "Payments API", url: root.url });
    expect(included.source).toMatchObject({ document: "200", title: "Shared API rules", url: shared.url });
    // The gate's help link (SARIF helpUri, Drift Radar) points at the page the rule is written on.
    expect(guidanceOf(included).helpUri).toBe(shared.url);
    expect(guidanceOf(own).helpUri).toBe(root.url);
  });

  it("takes only the excerpt for excerpt-include", async () => {
    const target = page(
      "300",
      "Glossary",
      `<p>Not in the excerpt.</p><ac:structured-macro ac:name="excerpt"><ac:rich-text-body><p>Only this part.</p><ac:structured-macro ac:name="info"><ac:rich-text-body><p>Nested panel.</p></ac:rich-text-body></ac:structured-macro></ac:rich-text-body></ac:structured-macro><p>After.</p>`,
    );
    const root = page("100", "Doc", `<p>Intro.</p>${excerptInclude("Glossary")}`);
    const out = await expandIncludes(root, ports([target]));
    expect(out.markdown).toContain("Only this part.");
    expect(out.markdown).toContain("Nested panel.");
    expect(out.markdown).not.toContain("Not in the excerpt.");
    expect(out.markdown).not.toContain("After.");
    expect(out.included[0]).toMatchObject({ id: "300", macro: "excerpt-include" });
  });

  it("warns when the excerpt-include target has no excerpt, and keeps the placeholder", async () => {
    const root = page("100", "Doc", excerptInclude("Plain"));
    const out = await expandIncludes(root, ports([page("301", "Plain", "<p>No excerpt here.</p>")]));
    expect(out.warnings.map((w) => w.code)).toEqual(["include_no_excerpt"]);
    expect(out.markdown).toContain("*(included from: Plain)*");
    expect(out.markdown).not.toContain("No excerpt here.");
  });

  it("follows includes three levels deep and leaves a placeholder with a warning below that", async () => {
    const chain = [
      page("1", "L0", `<p>level zero</p>${include("L1")}`),
      page("2", "L1", `<p>level one</p>${include("L2")}`),
      page("3", "L2", `<p>level two</p>${include("L3")}`),
      page("4", "L3", `<p>level three</p>${include("L4")}`),
      page("5", "L4", `<p>level four</p>`),
    ];
    const out = await expandIncludes(chain[0]!, ports(chain));
    for (const words of ["level one", "level two", "level three"]) expect(out.markdown).toContain(words);
    expect(out.markdown).not.toContain("level four");
    expect(out.markdown).toContain("*(included from: L4)*");
    expect(out.warnings).toEqual([expect.objectContaining({ code: "include_too_deep", subject: "L4" })]);
    expect(out.included.map((p) => p.id)).toEqual(["4", "3", "2"]);
  });

  it("detects a cycle, expands each page once and says where the loop is", async () => {
    const a = page("10", "A", `<p>from A</p>${include("B")}`);
    const b = page("11", "B", `<p>from B</p>${include("A")}`);
    const out = await expandIncludes(a, ports([a, b]));
    expect(out.markdown.match(/from B/g)).toHaveLength(1);
    expect(out.markdown.match(/from A/g)).toHaveLength(1);
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: "include_cycle", message: expect.stringContaining("10 → 11 → 10") }),
    ]);
  });

  it("leaves a placeholder and a warning for a missing or forbidden target, and still expands the others", async () => {
    const root = page(
      "100",
      "Doc",
      `${include("Gone")}<p>and</p>${include("Secret")}<p>and</p>${include("Here", "OPS")}`,
    );
    const here = page("400", "Here", "<p>Present.</p>", "OPS");
    const p = ports([here], ["Secret"]);
    const out = await expandIncludes(root, p);
    expect(out.markdown).toContain("Present.");
    expect(out.markdown).toContain("*(included from: Gone)*");
    expect(out.markdown).toContain("*(included from: Secret)*");
    expect(out.warnings.map((w) => [w.code, w.subject])).toEqual([
      ["include_missing", "Gone"],
      ["include_forbidden", "Secret"],
    ]);
    expect(p.loads).toEqual(["ENG:Gone", "ENG:Secret", "OPS:Here"]);
  });

  it("loads at most 50 included pages for one document and says how many more were left", async () => {
    const targets = Array.from({ length: 60 }, (_, i) => page(String(1000 + i), `T${i}`, `<p>text ${i}</p>`));
    const root = page("100", "Doc", targets.map((t) => `<p>-</p>${include(t.title)}`).join(""));
    const p = ports(targets);
    const out = await expandIncludes(root, p);
    expect(p.loads).toHaveLength(50);
    expect(out.included).toHaveLength(50);
    expect(out.markdown).toContain("text 49");
    expect(out.markdown).not.toContain("text 50");
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: "include_limit", message: expect.stringContaining("10 more") }),
    ]);
  });

  it("throws what concerns the whole call (credentials) instead of a warning", async () => {
    const root = page("100", "Doc", include("X"));
    const p = ports([]);
    p.load = () => Promise.reject(new SpecGateError("E_AUTH", "bad token"));
    await expect(expandIncludes(root, p)).rejects.toMatchObject({ code: "E_AUTH" });
  });

  it("returns the converted page untouched when it has no includes", async () => {
    const root = page("100", "Doc", "<p>Nothing included.</p>");
    const p = ports([]);
    const out = await expandIncludes(root, p);
    expect(out).toEqual({ markdown: "# Doc\n\nNothing included.\n", included: [], warnings: [] });
    expect(p.loads).toEqual([]);
  });
});

describe("excerptOf", () => {
  it("skips CDATA that looks like markup and returns undefined without an excerpt", () => {
    const storage = `<ac:structured-macro ac:name="excerpt"><ac:rich-text-body><ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[</ac:rich-text-body>]]></ac:plain-text-body></ac:structured-macro><p>x</p></ac:rich-text-body></ac:structured-macro>`;
    expect(excerptOf(storage)).toContain("<p>x</p>");
    expect(excerptOf("<p>none</p>")).toBeUndefined();
  });
});
