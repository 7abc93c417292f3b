/** Tables, lists, headings, layouts, inline formatting, escaping and rule lines. */
import { describe, expect, it } from "vitest";
import { styleProblems } from "./check.js";
import { md, render } from "./helpers.js";

const cells = (row: string) => row.split("|").length - 2;

describe("tables", () => {
  it("use the th row as header and ignore colgroup", async () => {
    const html = `<table data-layout="default"><colgroup><col style="width: 100px;" /><col /></colgroup><tbody><tr><th><p><strong>Name</strong></p></th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></tbody></table>`;
    expect(await md(html)).toBe("| **Name** | Value |\n| --- | --- |\n| a | 1 |\n");
  });

  it("promote the first row to header when there is no th", async () => {
    expect(await md(`<table><tr><td>h1</td><td>h2</td></tr><tr><td>x</td><td>y</td></tr></table>`)).toBe(
      "| h1 | h2 |\n| --- | --- |\n| x | y |\n",
    );
  });

  it("expand colspan and rowspan so every row has the same number of cells", async () => {
    const html = `<table><tr><th>A</th><th>B</th><th>C</th></tr><tr><td rowspan="2">r</td><td colspan="2">wide</td></tr><tr><td>b3</td><td>c3</td></tr><tr><td>a4</td><td>b4</td><td rowspan="3">tall</td></tr><tr><td>a5</td></tr></table>`;
    const out = await md(html);
    expect(out).toBe(
      "| A | B | C |\n| --- | --- | --- |\n| r | wide | |\n| | b3 | c3 |\n| a4 | b4 | tall |\n| a5 | | |\n",
    );
    const rows = out.trim().split("\n");
    expect(new Set(rows.map(cells))).toEqual(new Set([3]));
    expect(render(out)).toContain("<td>wide</td>");
  });

  it("flatten paragraphs, lists and line breaks in a cell with <br>, and escape pipes", async () => {
    const html = `<table><tr><th>k</th><th>v</th></tr><tr><td><p>one</p><p>two<br/>three</p></td><td><ul><li>a | b</li><li>c</li></ul></td></tr></table>`;
    const out = await md(html);
    expect(out).toBe("| k | v |\n| --- | --- |\n| one<br>two<br>three | - a \\| b<br>- c |\n");
    expect(render(out)).toContain("<td>- a | b<br>- c</td>");
  });

  it("write a table inside a list item, and a nested table as lines in its cell", async () => {
    expect(await md(`<ul><li>see<table><tr><th>x</th></tr><tr><td>1</td></tr></table></li></ul>`)).toBe(
      "- see\n\n  | x |\n  | --- |\n  | 1 |\n",
    );
    const nested = await md(
      `<table><tr><th>outer</th></tr><tr><td><table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table></td></tr></table>`,
    );
    expect(nested).toBe("| outer |\n| --- |\n| a \\| b<br>c \\| d |\n");
  });

  it("escape pipes once, even through a nested table", async () => {
    const out = await md(
      `<table><tr><th>h</th></tr><tr><td><table><tr><td>a | b</td><td>c</td></tr></table></td></tr></table>`,
    );
    expect(out).toBe("| h |\n| --- |\n| a \\| b \\| c |\n");
    expect(render(out)).toContain("<td>a | b | c</td>");
  });

  // Property test, seed 9: `\|` in cell code came out `\\|`, an escaped backslash and a cell boundary for GFM.
  it("keep a backslash-pipe inside code in a cell from ending the cell", async () => {
    const out = await md(
      `<table><tr><th>h</th></tr><tr><td><code>a\\|b</code> c</td></tr><tr><td><pre>x \\| y</pre></td></tr></table>`,
    );
    expect(out).toBe("| h |\n| --- |\n| <code>a\\\\\\|b</code> c |\n| <code>x \\\\\\| y</code> |\n");
    expect(styleProblems(out)).toEqual([]);
    const html = render(out);
    expect(html).toContain("<td><code>a\\|b</code> c</td>");
    expect(html).toContain("<td><code>x \\| y</code></td>");
    // Property test, seed 27: inside link text, brackets in that code must balance.
    const linked = await md(
      `<table><tr><th>h</th></tr><tr><td><a href="https://e.com"><code>[ a\\|b</code> c</a></td></tr></table>`,
    );
    expect(linked).toBe("| h |\n| --- |\n| [<code>\\[ a\\\\\\|b</code> c](https://e.com) |\n");
    expect(styleProblems(linked)).toEqual([]);
    expect(render(linked)).toContain('<td><a href="https://e.com"><code>[ a\\|b</code> c</a></td>');
    // Code with a pipe but no backslash before it stays a code span.
    expect(await md(`<table><tr><th>h</th></tr><tr><td><code>a|b</code></td></tr></table>`)).toBe(
      "| h |\n| --- |\n| `a\\|b` |\n",
    );
  });

  it("never emit raw HTML table markup, and survive hostile spans", async () => {
    const out = await md(`<table><tr><td colspan="100000">x</td><td rowspan="abc">y</td></tr></table>`);
    expect(out).not.toMatch(/<\/?t[dhr]|<table/);
    expect(out.split("\n")[0]!.length).toBeLessThan(1000);
  });
});

describe("lists", () => {
  it("nest ordered and unordered lists to any depth", async () => {
    const html =
      "<ol><li><p>one</p><ul><li><p>a</p><ol><li>i<ul><li>deep</li></ul></li></ol></li></ul></li><li>two</li></ol>";
    expect(await md(html)).toBe("1. one\n   - a\n     1. i\n        - deep\n1. two\n");
    expect(render(await md(html))).toMatch(/<li>deep<\/li>/);
  });

  it("number from an explicit start, and keep items with several paragraphs together", async () => {
    expect(await md(`<ol start="3"><li>c</li><li>d</li></ol>`)).toBe("3. c\n4. d\n");
    expect(await md(`<ul><li><p>p1</p><p>p2</p></li><li>q</li></ul>`)).toBe("- p1\n\n  p2\n- q\n");
  });

  it("attach a list written directly inside a list to the item before it", async () => {
    expect(await md(`<ul><li>a</li><ul><li>b</li></ul><li>c</li></ul>`)).toBe("- a\n  - b\n- c\n");
  });

  it("keep a rule that starts an item inside the item", async () => {
    const out = await md("<ul><li><hr/><p>after</p></li></ul>");
    expect(out).toBe("-\n  ---\n\n  after\n");
    expect(render(out)).toMatch(/<li>\s*<hr>/);
  });

  // Property test, seed 8: `-` (an item holding only a rule) right under the item's text read as a setext underline.
  it("keep a list that starts with a rule item away from the text line above it", async () => {
    const nested = await md("<ul><li><p>a</p><ul><li><hr/></li></ul></li></ul>");
    expect(nested).toBe("- a\n\n  -\n    ---\n");
    expect(styleProblems(nested)).toEqual([]);
    expect(render(nested)).not.toContain("<h2>");
    const deeper = await md("<ul><li>a<ul><li><ul><li><hr/></li></ul></li></ul></li></ul>");
    expect(deeper).toBe("- a\n\n  - -\n      ---\n");
    expect(styleProblems(deeper)).toEqual([]);
    const direct = await md("<ul><li>a</li><ul><li><hr/></li></ul></ul>");
    expect(direct).toBe("- a\n\n  -\n    ---\n");
    expect(styleProblems(direct)).toEqual([]);
  });

  it("escape text that would read as a task checkbox", async () => {
    expect(await md(`<ul><li>[x] not a task</li></ul>`)).toBe("- \\[x] not a task\n");
  });
});

describe("headings, layouts and paragraphs", () => {
  it("write h1-h6 as ATX headings", async () => {
    const html = [1, 2, 3, 4, 5, 6].map((n) => `<h${n}>Level ${n}</h${n}>`).join("");
    expect(await md(html)).toBe([1, 2, 3, 4, 5, 6].map((n) => `${"#".repeat(n)} Level ${n}`).join("\n\n") + "\n");
  });

  it("flatten ac:layout sections and cells in reading order", async () => {
    const html = `<ac:layout><ac:layout-section ac:type="two_equal"><ac:layout-cell><p>left</p></ac:layout-cell><ac:layout-cell><p>right</p></ac:layout-cell></ac:layout-section><ac:layout-section ac:type="single"><ac:layout-cell><h2>below</h2></ac:layout-cell></ac:layout-section></ac:layout>`;
    expect(await md(html)).toBe("left\n\nright\n\n## below\n");
  });

  it("turn <br> into a hard line break and drop empty paragraphs", async () => {
    expect(await md(`<p>one<br/>two</p><p /><p><br /></p><p>three</p>`)).toBe("one\\\ntwo\n\nthree\n");
  });

  it("keep a heading or rule line that arrives with no-break spaces in the normal shape", async () => {
    expect(await md(`<p><strong>RULE-API-001</strong>&nbsp;(MUST):&nbsp;모든 API는 인증해야 한다</p>`)).toBe(
      "**RULE-API-001** (MUST): 모든 API는 인증해야 한다\n",
    );
    expect(
      await md(
        `<ul><li><p><strong>RULE-SEC-006</strong> (MUST NOT): 평문 저장 금지</p><ul><li>적용 범위: 모든 저장소</li></ul></li></ul>`,
      ),
    ).toBe("- **RULE-SEC-006** (MUST NOT): 평문 저장 금지\n  - 적용 범위: 모든 저장소\n");
  });
});

describe("inline formatting", () => {
  it("writes strong, em, strike, code and links with * and ** (never _)", async () => {
    const out = await md(
      `<p><strong>b</strong> <em>i</em> <i>i2</i> <s>gone</s> <code>x_y</code> <a href="https://e.com">l</a></p>`,
    );
    expect(out).toBe("**b** *i* *i2* ~~gone~~ `x_y` [l](https://e.com)\n");
  });

  it("moves whitespace out of emphasis and drops empty emphasis", async () => {
    expect(await md(`<p>a<strong> bold </strong>b<em> </em>c</p>`)).toBe("a **bold** b c\n");
  });

  it("keeps Korean emphasis with a following particle renderable", async () => {
    const out = await md(`<p><em>자동 생성</em>된 문서와 <strong>"중요"</strong>합니다</p>`);
    expect(out).not.toContain("_");
    const html = render(out);
    expect(html).toContain("<em>자동 생성</em>된");
    expect(html).toContain("<strong>&quot;중요&quot;</strong>합니다");
  });

  it("writes adjacent emphasis so it still parses", async () => {
    const html = render(await md(`<p><strong>a</strong><strong>b</strong></p>`));
    expect(html).toContain("<strong>a</strong><strong>b</strong>");
  });

  it("fences inline code around backticks", async () => {
    expect(await md("<p><code>a`b</code> <code>`x`</code></p>")).toBe("``a`b`` `` `x` ``\n");
  });

  // Property test, seed 3: the check on the character after `*a.*` was lost when a link without a URL wrapped it.
  it("checks the character after closing emphasis through a wrapper that adds nothing", async () => {
    const out = await md(`<p><a href="javascript:x()"><em>a.</em></a>b</p>`);
    expect(out).toBe("<em>a.</em>b\n");
    expect(render(out)).toContain("<em>a.</em>b");
  });

  // Property test, seed 6: `**&**` after `<em>` could close the outer `**`.
  it("keeps nested emphasis at the start of an enclosing one from closing an outer one", async () => {
    const out = await md(`<p><strong><em><strong>&amp;</strong> a</em> b</strong></p>`);
    expect(styleProblems(out)).toEqual([]);
    expect(render(out)).toContain("<strong><em><strong>&amp;</strong> a</em> b</strong>");
  });

  // Property test, seed 53: `**\**` (a backslash left last once the space after it moved out) escaped the closing `**`.
  it("escapes a backslash left last inside emphasis or link text", async () => {
    const out = await md(`<p><strong>a\\ </strong>b <em>\\ </em>c <a href="https://e.com">d\\ </a>e</p>`);
    expect(out).toBe("**a\\\\** b *\\\\* c [d\\\\](https://e.com) e\n");
    expect(render(out)).toContain('<strong>a\\</strong> b <em>\\</em> c <a href="https://e.com">d\\</a> e');
  });

  // Property test, seed 81: micromark lets `**` right after an escaped `_` close the outer `**`.
  it("keeps nested emphasis right after an escaped delimiter character from closing an outer one", async () => {
    const out = await md(`<p><strong>__<strong>a</strong> b</strong> c</p>`);
    expect(out).toBe("**\\_\\_<strong>a</strong> b** c\n");
    expect(styleProblems(out)).toEqual([]);
    expect(render(out)).toContain("<strong>__<strong>a</strong> b</strong> c");
  });

  it("splits emphasis around a block that interrupts it", async () => {
    expect(await md("<p><strong>a<div>b</div>c</strong></p>")).toBe("**a**\n\n**b**\n\n**c**\n");
  });
});

describe("escaping", () => {
  it("keeps text that looks like Markdown as that text", async () => {
    const text = [
      "*not emphasis* and _not either_",
      "# not a heading",
      "1. not a list",
      "- not a bullet",
      "> not a quote",
      "a <kafka.dir> b &amp;copy; c",
      "[not](a link) ![no](image)",
      "10~20개, 30~40개 `tick`",
      "C:\\path\\ and \\*",
    ];
    const out = await md(
      text
        .map(
          (t) =>
            `<p>${t
              .replace(/&(?!amp;)/g, "&amp;")
              .replace(/</g, "&lt;")
              .replace(/>/g, "&gt;")}</p>`,
        )
        .join(""),
    );
    const rendered = render(out)
      .replace(/<\/?p>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .trim()
      .split("\n");
    expect(rendered).toEqual(text.map((t) => t.replace("&amp;", "&")));
  });

  it("keeps link text brackets balanced, however the text was escaped", async () => {
    const out = await md(`<p><a href="https://e.com">\\[ x] [y</a></p>`);
    expect(out).toBe("[\\\\\\[ x\\] \\[y](https://e.com)\n");
    expect(render(out)).toContain('<a href="https://e.com">\\[ x] [y</a>');
  });

  // Property test, seed 8: `-:` under a line made that line a table header.
  it("escapes a line that would read as a table's delimiter row", async () => {
    const out = await md("<p>a<br/>-:</p><p>b<br/>:--|--</p>");
    expect(out).toBe("a\\\n\\-:\n\nb\\\n\\:--|--\n");
    expect(styleProblems(out)).toEqual([]);
    expect(render(out)).not.toContain("<table>");
  });

  it("keeps snake_case and Korean underscores unescaped", async () => {
    expect(await md("<p>use snake_case_name and 자동_생성 here</p>")).toBe("use snake_case_name and 자동_생성 here\n");
  });

  it("decodes entities and never writes one", async () => {
    expect(await md("<p>&ldquo;quoted&rdquo; &amp; &lt;b&gt; &#x27;x&#39; a&nbsp;b</p>")).toBe(
      "“quoted” & \\<b> 'x' a b\n",
    );
  });
});
