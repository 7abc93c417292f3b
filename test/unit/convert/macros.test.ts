/** Confluence macros: each macro whose content must survive conversion (docs/html-to-md.md). */
import { describe, expect, it } from "vitest";
import { leaks, styleProblems } from "./check.js";
import { cdata, convert, macro, md, render, rich } from "./helpers.js";

describe("code and noformat macros", () => {
  it("writes a fenced block with the language and the CDATA body byte for byte", async () => {
    const body = "if (a < b && c > \"d\") {\n\treturn '한글 주석'; // <tag> &amp; *not* _emph_ # no\n}\n";
    const out = await md(macro("code", { language: "java" }, cdata(body)));
    expect(out).toBe("```java\n" + body + "```\n");
  });

  it("keeps the title as a bold line before the fence", async () => {
    const out = await md(macro("code", { language: "bash", title: "deploy.sh" }, cdata("set -e\n")));
    expect(out).toBe("**deploy.sh**\n\n```bash\nset -e\n```\n");
  });

  it("keeps trailing spaces and runs of blank lines inside the body", async () => {
    const body = "a  \n\n\n\nb\t\n";
    expect(await md(macro("code", {}, cdata(body)))).toBe("```\n" + body + "```\n");
  });

  it("joins CDATA sections split around ]]> and decodes a body written without CDATA", async () => {
    const split = `<ac:plain-text-body><![CDATA[x = a]]]]><![CDATA[>b]]></ac:plain-text-body>`;
    expect(await md(macro("code", {}, split))).toBe("```\nx = a]]>b\n```\n");
    const plain = `<ac:plain-text-body>throw new Error(&quot;boom&quot;) &lt;= 1;</ac:plain-text-body>`;
    expect(await md(macro("code", { language: "javascript" }, plain))).toBe(
      '```javascript\nthrow new Error("boom") <= 1;\n```\n',
    );
  });

  it("uses a longer fence when the body contains a backtick fence", async () => {
    const body = "```js\nx\n```";
    expect(await md(macro("code", {}, cdata(body)))).toBe("````\n```js\nx\n```\n````\n");
  });

  it("writes noformat without a language, and maps Confluence language names", async () => {
    expect(await md(macro("noformat", {}, cdata("plain <text>")))).toBe("```\nplain <text>\n```\n");
    expect(await md(macro("code", { language: "c#" }, cdata("x")))).toBe("```csharp\nx\n```\n");
    expect(await md(macro("code", { language: "none" }, cdata("x")))).toBe("```\nx\n```\n");
  });

  it("reads the language of the old ac:macro form from its default parameter", async () => {
    const old = `<ac:macro ac:name="code"><ac:default-parameter>sql</ac:default-parameter>${cdata("SELECT 1;")}</ac:macro>`;
    expect(await md(old)).toBe("```sql\nSELECT 1;\n```\n");
  });

  it("indents a code block inside a list item and quotes it inside an alert", async () => {
    const inItem = await md(`<ul><li><p>run:</p>${macro("code", { language: "sh" }, cdata("a\n\nb"))}</li></ul>`);
    expect(inItem).toBe("- run:\n\n  ```sh\n  a\n\n  b\n  ```\n");
    const inAlert = await md(macro("info", {}, rich(macro("code", {}, cdata("x\n\ny")))));
    expect(inAlert).toBe("> [!NOTE]\n> ```\n> x\n>\n> y\n> ```\n");
  });

  it("turns code in a table cell into one code span per line", async () => {
    const out = await md(
      `<table><tr><th>k</th></tr><tr><td>${macro("code", {}, cdata("a | b\n  c`d"))}</td></tr></table>`,
    );
    expect(out).toBe("| k |\n| --- |\n| `a \\| b`<br>``  c`d`` |\n");
  });
});

describe("info, note, tip, warning and panel macros", () => {
  it.each([
    ["info", "NOTE"],
    ["tip", "TIP"],
    ["note", "WARNING"],
    ["warning", "CAUTION"],
    ["panel", "NOTE"],
  ])("%s becomes a > [!%s] alert with all of its content", async (name, alert) => {
    const out = await md(
      macro(name, {}, rich("<p>First <strong>bold</strong>.</p><ul><li>one</li><li>two</li></ul><p>Last.</p>")),
    );
    expect(out).toBe(`> [!${alert}]\n> First **bold**.\n>\n> - one\n> - two\n>\n> Last.\n`);
    expect(render(out)).toContain("<blockquote>");
  });

  it("keeps a panel's title as the first line", async () => {
    const out = await md(macro("panel", { title: "Read me", bgColor: "#fff" }, rich("<p>Body</p>")));
    expect(out).toBe("> [!NOTE]\n> **Read me**\n>\n> Body\n");
  });

  it("converts the Cloud ADF panel form from its ADF content, not twice", async () => {
    const adf = (type: string, text: string) =>
      `<ac:adf-extension><ac:adf-node type="panel"><ac:adf-attribute key="panel-type">${type}</ac:adf-attribute><ac:adf-content><p>${text}</p></ac:adf-content></ac:adf-node><ac:adf-fallback><div class="panel"><p>${text}</p></div></ac:adf-fallback></ac:adf-extension>`;
    expect(await md(adf("note", "Purple"))).toBe("> [!IMPORTANT]\n> Purple\n");
    expect(await md(adf("success", "Green"))).toBe("> [!TIP]\n> Green\n");
    expect(await md(adf("error", "Red"))).toBe("> [!CAUTION]\n> Red\n");
    expect(await md(adf("warning", "Yellow"))).toBe("> [!WARNING]\n> Yellow\n");
  });

  it("renders other ADF nodes from their fallback HTML, with a warning", async () => {
    const out = await convert(
      `<ac:adf-extension><ac:adf-node type="decision-list"><ac:adf-node type="decision-item"><ac:adf-content>Ship it</ac:adf-content></ac:adf-node></ac:adf-node><ac:adf-fallback><ul><li>Ship it</li></ul></ac:adf-fallback></ac:adf-extension>`,
    );
    expect(out.markdown).toBe("- Ship it\n");
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: "adf_fallback", subject: "decision-list", count: 1 }),
    ]);
  });

  it("keeps a rule at the top of an alert from turning its header into a heading", async () => {
    const out = await md(macro("info", {}, rich("<hr/><p>after</p>")));
    expect(out).toBe("> [!NOTE]\n>\n> ---\n>\n> after\n");
    expect(render(out)).not.toContain("<h2>");
  });

  // Property test, seeds 8 and 12: a line like a delimiter row under `[!NOTE]` made the header a table.
  it("keeps a table whose header is a rule, or a delimiter-like line, from taking the alert header as a table", async () => {
    const table = await md(macro("info", {}, rich("<table><tr><td><hr/></td></tr></table>")));
    expect(table).toBe("> [!NOTE]\n>\n> | --- |\n> | --- |\n");
    expect(styleProblems(table)).toEqual([]);
    const line = await md(macro("info", {}, rich("<p>-:</p>")));
    expect(line).toBe("> [!NOTE]\n> \\-:\n");
    expect(styleProblems(line)).toEqual([]);
  });

  it("keeps a list starting with a rule item away from the alert header", async () => {
    const adf = `<ac:adf-extension><ac:adf-node type="panel"><ac:adf-attribute key="panel-type">info</ac:adf-attribute><ac:adf-content><ul><li><ul><li><hr/></li></ul></li></ul></ac:adf-content></ac:adf-node></ac:adf-extension>`;
    const out = await md(adf);
    expect(out).toBe("> [!NOTE]\n>\n> - -\n>     ---\n");
    expect(styleProblems(out)).toEqual([]);
    // Property test, seed 66: the same through a quote (`> -` under the header).
    const quoted = await md(macro("info", {}, rich("<blockquote><ul><li><hr/><p>a</p></li></ul></blockquote>")));
    expect(quoted).toBe("> [!NOTE]\n>\n> > -\n> >   ---\n> >\n> >   a\n");
    expect(styleProblems(quoted)).toEqual([]);
  });

  it("writes a bold label instead of a nested alert, and flattens an alert in a table cell", async () => {
    const nested = await md(macro("info", {}, rich(`<p>outer</p>${macro("warning", {}, rich("<p>inner</p>"))}`)));
    expect(nested).toBe("> [!NOTE]\n> outer\n>\n> > **Caution:**\n> > inner\n");
    const cell = await md(`<table><tr><td>${macro("tip", {}, rich("<p>a</p><p>b</p>"))}</td></tr></table>`);
    expect(cell).toBe("| **Tip:**<br>a<br>b |\n| --- |\n");
  });
});

describe("expand, status, jira, toc, children, anchor", () => {
  it("expand keeps its title (bold) and its content", async () => {
    const out = await md(macro("expand", { title: "Click for details" }, rich("<p>Hidden <em>text</em></p>")));
    expect(out).toBe("**Click for details**\n\nHidden *text*\n");
  });

  it("status becomes **[TITLE]**, and stays bold before a Korean particle", async () => {
    expect(await md(`<p>State: ${macro("status", { title: "APPROVED", colour: "Green" })}.</p>`)).toBe(
      "State: **[APPROVED]**.\n",
    );
    const ko = await md(`<p>${macro("status", { title: "완료" })}입니다</p>`);
    expect(render(ko)).toContain("<strong>[완료]</strong>입니다");
    expect(await md(`<p>x ${macro("status", { colour: "Grey" })} y</p>`)).toBe("x y\n");
  });

  it("status and jira inside a link keep the link whole", async () => {
    const out = await md(
      `<p><a href="https://e.com">see ${macro("status", { title: "DONE" })} ${macro("jira", { key: "AB-1" })}</a></p>`,
      { jiraBaseUrl: "https://j.io" },
    );
    expect(out).toBe("[see **\\[DONE\\]** AB-1](https://e.com)\n");
    expect(render(out)).toContain('<a href="https://e.com">see <strong>[DONE]</strong> AB-1</a>');
  });

  it("jira gives the issue key, linked when the Jira URL is known, and a JQL query as code", async () => {
    const jira = macro("jira", { server: "System Jira", serverId: "0000", key: "PROJ-1234" });
    expect(await md(`<p>Ticket: ${jira}</p>`)).toBe("Ticket: PROJ-1234\n");
    expect(await md(`<p>Ticket: ${jira}</p>`, { jiraBaseUrl: "https://jira.example.com/" })).toBe(
      "Ticket: [PROJ-1234](https://jira.example.com/browse/PROJ-1234)\n",
    );
    expect(await md(macro("jira", { jqlQuery: "project = PROJ AND status = Open" }))).toBe(
      "Jira: `project = PROJ AND status = Open`\n",
    );
    // In a table cell, a query holding `\|` is written so the cell's pipe escaping cannot split it.
    const cell = await md(
      `<table><tr><th>h</th><th>i</th></tr><tr><td>${macro("jira", { jqlQuery: "text ~ a\\|b" })}</td><td>y</td></tr></table>`,
    );
    expect(cell).toBe("| h | i |\n| --- | --- |\n| Jira: <code>text \\~ a\\\\\\|b</code> | y |\n");
    expect(styleProblems(cell)).toEqual([]);
  });

  it("drops toc, children and anchor without leaving XML behind", async () => {
    const html = `${macro("toc", { maxLevel: "3", style: "none" })}<h2>Title</h2>${macro("children", { all: "true" })}<p>a ${macro("anchor", { "": "here" })}b</p>`;
    const out = await convert(html);
    expect(out.markdown).toBe("## Title\n\na b\n");
    expect(out.warnings).toEqual([]);
    expect(leaks(out.markdown)).toEqual([]);
  });
});

describe("unknown macros", () => {
  it("keep their text content and raise one warning per macro with a count", async () => {
    const html =
      macro("my-widget", { colour: "red" }, rich("<p>Keep this text</p>")) +
      macro("my-widget", {}, rich("<p>and this</p>")) +
      macro("other", {}, cdata("raw body"));
    const out = await convert(html);
    expect(out.markdown).toBe("Keep this text\n\nand this\n\n```\nraw body\n```\n");
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: "unknown_macro", subject: "my-widget", count: 2 }),
      expect.objectContaining({ code: "unknown_macro", subject: "other", count: 1 }),
    ]);
    expect(out.warnings[0]!.message).toContain("my-widget");
  });

  it("diagram macros leave a placeholder naming the diagram and linking its attachment", async () => {
    const out = await convert(macro("drawio", { diagramName: "release-topology", revision: "4" }));
    expect(out.markdown).toBe("*(drawio diagram: [release-topology](release-topology))*\n");
    expect(out.warnings[0]).toMatchObject({ code: "diagram_not_converted", subject: "drawio" });
  });

  it("include macros leave a placeholder naming the included page, and a warning", async () => {
    const include = `<ac:structured-macro ac:name="excerpt-include"><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="Shared Rules" /></ac:link></ac:parameter></ac:structured-macro>`;
    const out = await convert(include);
    expect(out.markdown).toBe("*(included from: Shared Rules)*\n");
    expect(out.warnings[0]).toMatchObject({ code: "include_not_expanded", subject: "excerpt-include", count: 1 });
  });

  it("layout-only macros (section/column) are transparent", async () => {
    const out = await convert(
      macro(
        "section",
        {},
        rich(macro("column", { width: "50%" }, rich("<p>Left</p>")) + macro("column", {}, rich("<p>Right</p>"))),
      ),
    );
    expect(out.markdown).toBe("Left\n\nRight\n");
    expect(out.warnings).toEqual([]);
  });
});

describe("task lists", () => {
  it("become - [x] / - [ ] items with their body", async () => {
    const task = (id: number, status: string, body: string) =>
      `<ac:task><ac:task-id>${id}</ac:task-id><ac:task-status>${status}</ac:task-status><ac:task-body>${body}</ac:task-body></ac:task>`;
    const out = await md(
      `<ac:task-list>${task(1, "incomplete", "Draft the <strong>plan</strong>")}${task(2, "complete", "Provision workspace")}</ac:task-list>`,
    );
    expect(out).toBe("- [ ] Draft the **plan**\n- [x] Provision workspace\n");
    expect(render(out)).toContain("[x] Provision workspace");
  });

  it("nest inside a task body", async () => {
    const inner = `<ac:task-list><ac:task><ac:task-status>complete</ac:task-status><ac:task-body>child</ac:task-body></ac:task></ac:task-list>`;
    const out = await md(
      `<ac:task-list><ac:task><ac:task-status>incomplete</ac:task-status><ac:task-body>parent${inner}</ac:task-body></ac:task></ac:task-list>`,
    );
    expect(out).toBe("- [ ] parent\n  - [x] child\n");
  });
});
