/** The public contract: format detection, stats, cancellation, chunking, normalisation, view HTML. */
import { describe, expect, it } from "vitest";
import { convertHtml, detectFormat, normalizeMarkdown } from "../../../src/core/convert/index.js";
import { isSpecGateError } from "../../../src/errors.js";
import { readCorpusSync, storagePages } from "../../helpers/fixtures.js";
import { macro, md, rich } from "./helpers.js";

const pages = storagePages();

describe("detectFormat", () => {
  it("tells storage, view and plain HTML apart", () => {
    expect(detectFormat(`<p>x</p>${macro("toc")}`)).toBe("storage");
    expect(detectFormat(`${"<p>filler</p>".repeat(10_000)}<ri:page ri:content-title="x"/>`)).toBe("storage");
    expect(detectFormat(`<div class="wiki-content"><p>x</p></div>`)).toBe("view");
    expect(detectFormat("<h1>plain</h1>")).toBe("html");
  });
});

describe("convertHtml", () => {
  it("reports stats in bytes, the chunks parsed and the format", async () => {
    const html = "<p>한글 text</p>".repeat(100);
    const out = await convertHtml(html, { chunkSize: 500 });
    expect(out.stats).toMatchObject({
      input_bytes: Buffer.byteLength(html),
      output_bytes: Buffer.byteLength(out.markdown),
      chunks: Math.ceil(html.length / 500),
      format: "html",
    });
    expect(Number.isFinite(out.stats.duration_ms) && out.stats.duration_ms >= 0).toBe(true); // a duration is reported, whatever it is
  });

  it("returns an empty document for empty or blank input", async () => {
    expect(await md("")).toBe("");
    expect(await md("  \n <p> </p> ")).toBe("");
  });

  it("gives the same bytes whatever the chunk size (chunk boundaries never show)", async () => {
    for (const file of pages) {
      const html = readCorpusSync("confluence-storage", file);
      const whole = await md(html);
      expect(await md(html, { chunkSize: 7 }), file).toBe(whole);
      expect(await md(html, { chunkSize: 1 }), file).toBe(whole);
    }
  });

  it("slices a large page by time without changing a byte, and counts its bytes", async () => {
    const html = pages
      .map((f) => readCorpusSync("confluence-storage", f))
      .join("\n")
      .repeat(4);
    const sliced = await convertHtml(html);
    const whole = await convertHtml(html, { chunkSize: html.length });
    expect(sliced.stats.chunks).toBeGreaterThan(1);
    expect(whole.stats.chunks).toBe(1);
    expect(sliced.markdown).toBe(whole.markdown);
    expect(sliced.stats.input_bytes).toBe(Buffer.byteLength(html));
  });

  it("rejects with E_CANCELLED when the signal has fired, checking between chunks", async () => {
    const aborted = AbortSignal.abort();
    await expect(convertHtml("<p>x</p>", { signal: aborted })).rejects.toMatchObject({ code: "E_CANCELLED" });
    const controller = new AbortController();
    const running = convertHtml("<p>paragraph</p>".repeat(5_000), { signal: controller.signal, chunkSize: 64 });
    setImmediate(() => controller.abort());
    const error: unknown = await running.catch((e: unknown) => e);
    expect(isSpecGateError(error) && error.code).toBe("E_CANCELLED");
  });

  it("rejects with E_TIMEOUT when a deadline fires mid-way", async () => {
    const error: unknown = await convertHtml("<p>paragraph</p>".repeat(200_000), {
      signal: AbortSignal.timeout(1),
      chunkSize: 256,
    }).catch((e: unknown) => e);
    expect(isSpecGateError(error) && error.code).toBe("E_TIMEOUT");
  });

  it("keeps output linear under hostile nesting (deep lists, quotes, tables, emphasis), text kept", async () => {
    const builders: [string, (d: number) => string][] = [
      ["item", (d) => "<ul><li>item".repeat(d) + "</li></ul>".repeat(d)],
      ["qtext", (d) => "<blockquote>qtext".repeat(d) + "</blockquote>".repeat(d)],
      ["cell", (d) => "<table><tr><td>cell".repeat(d / 10) + "</td></tr></table>".repeat(d / 10)],
      ["deep", (d) => "<strong><em>".repeat(d) + "deep" + "</em></strong>".repeat(d)],
    ];
    for (const [word, build] of builders) {
      const small = await md(build(1000));
      const large = await md(build(2000));
      expect(large.length / small.length, word).toBeLessThan(2.2);
      expect(large.length, word).toBeLessThan(build(2000).length * 8);
      const count = (s: string) => s.split(word).length - 1;
      expect(count(large), word).toBe(count(build(2000)));
    }
  });

  it("handles 100 000 unclosed elements and stray closing tags (each tag costs O(1), not the depth)", async () => {
    const html = `${"<span><div>".repeat(50_000)}deep text${"</nope>".repeat(50_000)}`;
    expect(await md(html)).toBe("deep text\n");
  });

  it("drops scripts, styles and comments but keeps the text around them", async () => {
    expect(await md(`<head><title>T</title><style>p{}</style></head><p>a<!-- note -->b<script>x()</script>c</p>`)).toBe(
      "abc\n",
    );
  });
});

describe("normalizeMarkdown", () => {
  it("trims trailing spaces, collapses blank lines, ends with one newline, leaves fenced code alone", () => {
    const input = "# T  \n\n\n\ntext \t\n```\ncode  \n\n\n\nend\n```\n> q  \n\n\n";
    expect(normalizeMarkdown(input)).toBe("# T\n\ntext\n```\ncode  \n\n\n\nend\n```\n> q\n");
    expect(normalizeMarkdown("\n\n")).toBe("");
  });

  it("leaves converter output unchanged (the output is already normal)", async () => {
    for (const file of pages) {
      const out = await md(readCorpusSync("confluence-storage", file));
      expect(normalizeMarkdown(out), file).toBe(out);
    }
  });
});

describe("Confluence view/export HTML", () => {
  it("turns information macros into alerts and status lozenges into **[TITLE]**", async () => {
    const html = `<div class="wiki-content"><div class="confluence-information-macro confluence-information-macro-note"><span class="aui-icon aui-icon-small aui-iconfont-warning confluence-information-macro-icon"></span><div class="confluence-information-macro-body"><p>Careful</p></div></div><p>State <span class="status-macro aui-lozenge aui-lozenge-success">DONE</span></p></div>`;
    expect(await md(html)).toBe("> [!WARNING]\n> Careful\n\nState **[DONE]**\n");
  });

  it("reads code panels' brush, task lists and user mentions", async () => {
    const html = `<div class="wiki-content"><div class="code panel pdl"><div class="codeContent panelContent pdl"><pre class="syntaxhighlighter-pre" data-syntaxhighlighter-params="brush: java; gutter: false" data-theme="Confluence">int a = 1 &lt; 2;</pre></div></div><ul class="inline-task-list"><li class="checked" data-inline-task-id="1">done</li><li data-inline-task-id="2">todo</li></ul><p><a class="confluence-userlink user-mention" data-username="jdoe" href="/display/~jdoe">Jane Doe</a></p></div>`;
    expect(await md(html)).toBe("```java\nint a = 1 < 2;\n```\n\n- [x] done\n- [ ] todo\n\n@Jane Doe\n");
  });

  it("keeps <pre><code class=language-x> as a fenced block", async () => {
    expect(await md(`<pre><code class="language-python">print('hi')\n</code></pre>`)).toBe(
      "```python\nprint('hi')\n```\n",
    );
  });
});

describe("the reference examples of html-to-md-conversion.yaml", () => {
  it.each([
    ["<h2>설계 규칙</h2>", "## 설계 규칙\n"],
    ["<p><strong>중요</strong> <em>강조</em></p>", "**중요** *강조*\n"],
    ["<ul><li>항목1</li><li>항목2</li></ul>", "- 항목1\n- 항목2\n"],
    [`<pre><code class="language-python">print('hi')</code></pre>`, "```python\nprint('hi')\n```\n"],
  ])("%s", async (html, expected) => {
    expect(await md(html)).toBe(expected);
  });

  it("converts a whole macro-heavy page deterministically", async () => {
    const html =
      macro("info", {}, rich("<p>x</p>")) + macro("code", {}, "<ac:plain-text-body><![CDATA[y]]></ac:plain-text-body>");
    expect(await md(html)).toBe(await md(html));
  });
});
