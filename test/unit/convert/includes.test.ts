import { describe, expect, it } from "vitest";
import { convertHtml, excerptOf, readIncludeMarker, type IncludeRef } from "../../../src/core/convert/index.js";
import { extractRules } from "../../../src/core/extract/index.js";

const macro = (name: string, inner: string) => `<ac:structured-macro ac:name="${name}">${inner}</ac:structured-macro>`;
const pageParam = (title: string, space?: string) =>
  `<ac:parameter ac:name=""><ac:link><ri:page ri:content-title="${title}"${space ? ` ri:space-key="${space}"` : ""} ri:version-at-save="3" /></ac:link></ac:parameter>`;

async function convertWith(storage: string, markdown = "Included text.") {
  const refs: IncludeRef[] = [];
  const out = await convertHtml(storage, {
    includes: (ref) => {
      refs.push(ref);
      return { markdown, id: "77", title: "Shared -- rules", url: "https://wiki.example.com/x/77" };
    },
  });
  return { ...out, refs };
}

describe("include macros in the converter", () => {
  it("reads the page a macro names, in the storage forms Confluence writes", async () => {
    const { refs } = await convertWith(
      macro("include", pageParam("Shared", "ENG")) +
        `<p>${macro("excerpt-include", `${pageParam("Glossary")}<ac:parameter ac:name="name">terms</ac:parameter><ac:parameter ac:name="nopanel">true</ac:parameter>`)}</p>` +
        macro("include", `<ac:parameter ac:name="">OPS:Runbook</ac:parameter>`) +
        macro(
          "include",
          `<ac:parameter ac:name=""><ac:link><ri:page ri:content-id="12345" /></ac:link></ac:parameter>`,
        ),
    );
    expect(refs).toEqual([
      { macro: "include", title: "Shared", spaceKey: "ENG" },
      { macro: "excerpt-include", title: "Glossary", excerptName: "terms" },
      { macro: "include", title: "Runbook", spaceKey: "OPS" },
      { macro: "include", contentId: "12345" },
    ]);
  });

  it("writes the content between markers that survive a title with --, also inside a paragraph", async () => {
    const { markdown, warnings } = await convertWith(
      `<p>Before.</p><p>${macro("excerpt-include", pageParam("Glossary"))}</p><p>After.</p>`,
    );
    expect(warnings).toEqual([]);
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("Before.");
    expect(readIncludeMarker(lines[2]!)).toEqual({
      id: "77",
      title: "Shared -- rules",
      url: "https://wiki.example.com/x/77",
    });
    expect(lines[2]!.slice("<!--".length, -"-->".length)).not.toContain("--"); // the comment cannot end early
    expect(lines[4]).toBe("Included text.");
    expect(readIncludeMarker(lines[6]!)).toBe("end");
    expect(lines[8]).toBe("After.");
  });

  it("flattens included content into a table cell, without markers", async () => {
    const { markdown } = await convertWith(
      `<table><tbody><tr><th>A</th></tr><tr><td>${macro("include", pageParam("Shared"))}</td></tr></tbody></table>`,
      "one\n\ntwo",
    );
    expect(markdown).not.toContain("specgate:include");
    expect(markdown).toMatch(/\| one(<br>| )+two \|/);
  });

  it("marks content included inside a panel, and the extractor attributes its rules to the included page", async () => {
    const { markdown } = await convertWith(
      `<h1>Doc</h1><p><strong>RULE-API-001</strong> (MUST): A는 B를 해야 한다.</p>` +
        macro("info", `<ac:rich-text-body>${macro("include", pageParam("Shared"))}</ac:rich-text-body>`),
      "**RULE-API-002** (MUST): 모든 응답은 JSON이어야 한다.",
    );
    const { rules } = extractRules(markdown, {
      source: { id: "1", title: "Doc", url: "https://wiki.example.com/x/1" },
    });
    expect(rules.map((r) => [r.rule_id, r.source.document, r.source.url])).toEqual([
      ["RULE-API-001", "1", "https://wiki.example.com/x/1"],
      ["RULE-API-002", "77", "https://wiki.example.com/x/77"],
    ]);
  });

  it("keeps the placeholder and warning when nothing is found for the macro", async () => {
    const out = await convertHtml(macro("include", pageParam("Shared")), { includes: () => undefined });
    expect(out.markdown).toBe("*(included from: Shared)*\n");
    expect(out.warnings.map((w) => w.code)).toEqual(["include_not_expanded"]);
  });

  it("finds a named excerpt, or the first one", () => {
    const storage =
      macro(
        "excerpt",
        `<ac:parameter ac:name="hidden">true</ac:parameter><ac:rich-text-body><p>first</p></ac:rich-text-body>`,
      ) +
      macro(
        "excerpt",
        `<ac:parameter ac:name="name">terms</ac:parameter><ac:rich-text-body><p>named</p></ac:rich-text-body>`,
      );
    expect(excerptOf(storage)).toBe("<p>first</p>");
    expect(excerptOf(storage, "terms")).toBe("<p>named</p>");
    expect(excerptOf(storage, "other")).toBeUndefined();
  });
});
