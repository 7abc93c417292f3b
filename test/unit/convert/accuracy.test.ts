/**
 * What real Confluence pages lost in conversion, each on a minimal page and, where the corpus
 * holds one, on a real page: formulas of math macros (and of KaTeX/MathML pages), the files,
 * pages and URLs unknown macros name in their parameters, diagrams without a converter, `<sup>`
 * and `<sub>`, pictures with captions in a row, a U+2028 inside a panel, and column alignment.
 */
import { describe, expect, it } from "vitest";
import TurndownService from "turndown";
// @ts-expect-error: turndown-plugin-gfm ships no types
import { gfm } from "turndown-plugin-gfm";
import { conversionPages } from "../../helpers/accuracy.js";
import { loss, lostSomething } from "../../helpers/fidelity.js";
import { readCorpusSync, readExternalSync } from "../../helpers/fixtures.js";
import { styleProblems } from "./check.js";
import { cdata, convert, macro, md, render, rich } from "./helpers.js";

const page = (name: string) => readExternalSync("mark-roundtrip", name);

describe("math macros keep their formula as GFM math", () => {
  it.each([
    ["eazy-math-inline", { body: "a_{0}=\\frac{1}{2}" }, "Then $a_{0}=\\frac{1}{2}$ holds.\n"],
    ["mathinline", { body: "E = mc^2" }, "Then $E = mc^2$ holds.\n"],
    ["mathjax-inline-macro", { equation: "x^2" }, "Then $x^2$ holds.\n"],
  ])("%s inside a sentence: $…$, the TeX unescaped", async (name, params, expected) => {
    expect(await md(`<p>Then ${macro(name, params)} holds.</p>`)).toBe(expected);
  });

  it("block macros (mathblock, latex, a variant never seen) become $$ … $$ blocks, from a parameter or the plain-text body", async () => {
    expect(
      await md(`<p>Before</p>${macro("mathblock", { body: "\\int_0^1 x\\,dx = \\frac{1}{2}" })}<p>After</p>`),
    ).toBe("Before\n\n$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n\nAfter\n");
    expect(await md(macro("latex", {}, cdata("a^2 + b^2\n\n= c^2")))).toBe("$$\na^2 + b^2\n= c^2\n$$\n");
    expect(await md(macro("easy-math-block-cloud", { body: "\\sum_i x_i" }))).toBe("$$\n\\sum_i x_i\n$$\n");
  });

  it("a block formula in a table cell stays on the cell's line; a formula with a dollar uses the backtick form", async () => {
    expect(await md(`<table><tr><th>f</th></tr><tr><td>${macro("mathblock", { body: "x^2" })}</td></tr></table>`)).toBe(
      "| f |\n| --- |\n| $x^2$ |\n",
    );
    expect(await md(`<p>${macro("mathinline", { body: "\\$5 + x" })}</p>`)).toBe("$`\\$5 + x`$\n");
  });

  it("a real KaTeX page keeps every formula (its TeX), not the glyphs of its rendering", async () => {
    const out = await md(page("math-katex.html"));
    expect(out).toContain("Inline math: $E = mc^2$ and a Greek pair $\\alpha + \\beta$.");
    expect(out).toContain("$$\n\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}\n$$");
    expect(out).toContain("$$\n\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}\n$$");
    expect(out).not.toMatch(/E=mc2|ac\u200bbd/);
    // The same formulas as the page's Markdown source wrote them.
    const oneLine = out.replace(/\$\$\n([^$]+)\n\$\$/g, (_m, tex: string) => "$$" + tex + "$$");
    for (const formula of page("math.md").match(/\$\$[^$]+\$\$|\$[^$\n]+\$/g)!) expect(oneLine).toContain(formula);
  });
});

describe("unknown macros keep the files, pages and URLs their parameters name", () => {
  it("view-file becomes a link to its attachment, and the warning says what was kept", async () => {
    const out = await convert(
      `<p>${macro("view-file", { name: '<ri:attachment ri:filename="994_external.json" />', height: "250" })}</p>`,
      { baseUrl: "https://wiki.example.com/wiki", pageId: "42" },
    );
    expect(out.markdown).toBe(
      "[994_external.json](https://wiki.example.com/wiki/download/attachments/42/994_external.json)\n",
    );
    expect(out.warnings).toEqual([expect.objectContaining({ code: "unknown_macro", subject: "view-file", count: 1 })]);
    expect(out.warnings[0]!.message).toMatch(/files and URLs its parameters name were kept as links/);
    expect(out.warnings[0]!.message).not.toMatch(/text content was kept/);
  });

  it("a page, an attachment of another page and a URL parameter each become one link", async () => {
    const params = {
      page: '<ac:link><ri:page ri:space-key="ENG" ri:content-title="Release Plan" /></ac:link>',
      file: '<ri:attachment ri:filename="plan.pdf"><ri:page ri:space-key="ENG" ri:content-title="Release Plan" /></ri:attachment>',
      url: "https://miro.com/app/board/abc/",
      colour: "red",
    };
    const out = await md(macro("board-embed", params), { baseUrl: "https://wiki.example.com/wiki" });
    expect(out).toBe(
      "[Release Plan](https://wiki.example.com/wiki/display/ENG/Release+Plan) [plan.pdf](https://wiki.example.com/wiki/download/attachments/ENG/Release+Plan/plan.pdf) [https://miro.com/app/board/abc/](https://miro.com/app/board/abc/)\n",
    );
    expect(out).not.toContain("red");
  });

  it("a real page: the two view-file macros of its media group become two links", async () => {
    const out = await convert(readExternalSync("confluence-ko", "qp-544375741.page.xhtml"));
    expect(out.markdown).toContain(
      "# API Docs Json File\n\n[994_external.json](994_external.json) [995_external.json](995_external.json)\n",
    );
    expect(out.warnings).toEqual([expect.objectContaining({ code: "unknown_macro", subject: "view-file", count: 2 })]);
  });
});

describe("diagram macros always leave a placeholder", () => {
  it.each([
    [
      "plantumlcloud",
      { filename: "test_flow.png", data: "vVRtb9owEP41", compressed: "true" },
      "*(plantumlcloud diagram: [test_flow.png](test_flow.png))*\n",
    ],
    ["gliffy", { name: "architecture", pagePin: "2" }, "*(gliffy diagram: [architecture](architecture))*\n"],
    ["drawio-sketch", { diagramName: "flow" }, "*(drawio-sketch diagram: [flow](flow))*\n"],
    [
      "inc-drawio-cloud",
      { diagramDisplayName: "shared flow" },
      "*(inc-drawio-cloud diagram: [shared flow](shared%20flow))*\n",
    ],
    ["lucidchart", { documentId: "0b1c" }, "*(lucidchart diagram)*\n"],
  ])("%s", async (name, params, expected) => {
    const out = await convert(macro(name, params));
    expect(out.markdown).toBe(expected);
    expect(out.warnings).toEqual([expect.objectContaining({ code: "diagram_not_converted", subject: name })]);
  });

  it("a diagram whose source is in the page (plantuml, mermaid variants) stays fenced code", async () => {
    expect(await md(macro("plantumlrender", {}, cdata("@startuml\nA -> B\n@enduml")))).toBe(
      "```plantuml\n@startuml\nA -> B\n@enduml\n```\n",
    );
    expect(await md(macro("mermaid-cloud", {}, cdata("graph TD; A-->B")))).toBe("```mermaid\ngraph TD; A-->B\n```\n");
  });

  it("real pages: the drawio diagram links its attachment; mark's PlantUML diagrams keep their source", async () => {
    const drawio = await md(readCorpusSync("confluence-storage", "ls-29130800-status-jira-drawio-expand.xhtml"));
    expect(drawio).toContain("*(drawio diagram: [release-topology](release-topology))*");
    const plantuml = await md(page("plantuml.html"));
    expect(plantuml).toBe(page("plantuml.md"));
  });
});

describe("superscripts and subscripts stay inline HTML", () => {
  it("keeps mc², 10⁻³ and H₂O readable", async () => {
    const out = await md(
      "<p>E = mc<sup>2</sup>, an error rate of 10<sup>-3</sup>, H<sub>2</sub>O, x<sup><em>n</em></sup></p>",
    );
    expect(out).toBe("E = mc<sup>2</sup>, an error rate of 10<sup>-3</sup>, H<sub>2</sub>O, x<sup>*n*</sup>\n");
    expect(render(out)).toContain("mc<sup>2</sup>");
    expect(render(out)).toContain("<sup><em>n</em></sup>");
  });

  it("a real page: the footnote reference stays a superscript link", async () => {
    expect(await md(page("links.html"))).toContain("Use footnotes link <sup>[1](#fn:1)</sup>");
  });
});

describe("pictures outside a paragraph are blocks, their captions lines of their own", () => {
  const image = (file: string, caption: string) =>
    `<ac:image ac:align="center" ac:layout="center"><ri:attachment ri:filename="${file}" /><ac:caption><p>${caption}</p></ac:caption></ac:image>`;

  it("two captioned pictures in a row never run together", async () => {
    const out = await md(`${image("a.png", "Caption A")}${image("b.png", "Caption B")}<p>After</p>`);
    expect(out).toBe("![a.png](a.png)\n\nCaption A\n\n![b.png](b.png)\n\nCaption B\n\nAfter\n");
  });

  it("pictures inside a paragraph stay inline, as the page shows them", async () => {
    expect(await md('<p>Icon <ac:image><ri:attachment ri:filename="i.png" /></ac:image> here</p>')).toBe(
      "Icon ![i.png](i.png) here\n",
    );
  });

  it("a real page: the delegated-approval screenshots and their captions", async () => {
    const out = await md(readExternalSync("confluence-ko", "qp-544145591.page.xhtml"));
    expect(out).toContain(
      "![image-20250926-112444.png](image-20250926-112444.png)\n\nAllow Delegated Approval 스위치\n\n![image-20250926-112201.png](image-20250926-112201.png)\n\n대리결재 기능을 비활성화한 상태의 preference\n",
    );
  });
});

describe("a line separator (U+2028) inside a quote or panel", () => {
  it("is a character of the line, never the start of a quoted line", async () => {
    const out = await md(macro("info", {}, rich("<p>first\u2028second</p><blockquote><p>a\u2029b</p></blockquote>")));
    expect(out).toBe("> [!NOTE]\n> first\u2028second\n>\n> > a\u2029b\n");
    expect(out).not.toMatch(/[\u2028\u2029]> /);
  });
});

describe("column alignment in tables", () => {
  it("comes from the cells' align or text-align (or their paragraphs'): the header's, else what the body agrees on", async () => {
    const html =
      '<table><tr><th>n</th><th style="text-align: center">c</th><th align="right">r</th><th>l</th></tr>' +
      '<tr><td>1</td><td>x</td><td>9</td><td><p style="text-align: left;">a</p></td></tr>' +
      '<tr><td>2</td><td>y</td><td>10</td><td><p style="text-align: left;">b</p></td></tr></table>';
    const out = await md(html);
    expect(out).toBe("| n | c | r | l |\n| --- | :---: | ---: | :--- |\n| 1 | x | 9 | a |\n| 2 | y | 10 | b |\n");
    expect(render(out)).toContain('<th style="text-align:center">c</th>');
    expect(styleProblems(out)).toEqual([]);
  });

  it("body cells that disagree, or one written without an alignment, leave the column plain", async () => {
    const html = '<table><tr><th>h</th></tr><tr><td style="text-align:center">a</td></tr><tr><td>b</td></tr></table>';
    expect(await md(html)).toBe("| h |\n| --- |\n| a |\n| b |\n");
  });

  it("real pages: mark's aligned table and a QueryPie report table", async () => {
    expect(await md(page("table.html"))).toContain("| HEADER1 | HEADER2 |\n| :---: | ---: |\n| row1 | row2 |");
    expect(page("table.md")).toContain("|:---:|---:|");
    const report = await md(readCorpusSync("confluence-storage", "qp-544384417-ko-rowspan-status.page.xhtml"));
    expect(report).toContain(
      "| **보고서 유형** | **대분류** | **소분류** | **User / Group** | **Resource** | **기타 필터** |\n| --- | --- | --- | :---: | :---: | :---: |",
    );
  });
});

describe("63 third-party Confluence pages, against their Markdown sources or their own content", () => {
  it("lose no word, code block, image or link — where turndown + gfm loses content on many", async () => {
    const pages = conversionPages();
    expect(pages.length).toBeGreaterThanOrEqual(60);
    const turndown = new TurndownService({ headingStyle: "atx", bulletListMarker: "-", codeBlockStyle: "fenced" });
    turndown.use(gfm);
    let turndownLost = 0;
    for (const p of pages) {
      const l = loss(p.ref, await md(p.html));
      expect(lostSomething(l) ? l : undefined, p.name).toBeUndefined();
      if (lostSomething(loss(p.ref, turndown.turndown(p.html)))) turndownLost++;
    }
    expect(turndownLost).toBeGreaterThan(pages.length / 3);
  });
});
