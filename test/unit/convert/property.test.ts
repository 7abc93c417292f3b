/**
 * Property: random nestings of every supported element (HTML blocks and inlines, Confluence
 * macros, links, task lists, layouts, ADF panels, tables with spans) never throw, never leak
 * markup, keep every word, come out normalised, and do not depend on where chunks are cut.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertHtml } from "../../../src/core/convert/index.js";
import { leaks, missingWords, normalisationProblems, styleProblems } from "./check.js";

const TOKENS = [
  "alpha",
  "Beta",
  "설계",
  "규칙은",
  "RULE-API-001",
  "snake_case",
  "x2",
  "(MUST):",
  "*",
  "**",
  "_",
  "__",
  "[",
  "]",
  "(",
  ")",
  "![",
  "<",
  ">",
  "&",
  "&copy;",
  "|",
  "#",
  "##",
  "`",
  "```",
  "~",
  "~~",
  "\\",
  "!",
  "-",
  "+",
  "1.",
  "2)",
  ":",
  "'",
  '"',
  "=",
  "[ ]",
  "[x]",
  "[!NOTE]",
  "]]>",
  "\u00a0",
];

/** Text as it appears in a page: XML-escaped, tokens joined by spaces or not. */
const text = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(" ", "", "  ", "\n")), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.map(([t, sep]) => t + sep).join(""));
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
const attr = (s: string) => esc(s).replace(/"/g, "&quot;");
const param = (k: string, v: string) => `<ac:parameter ac:name="${k}">${esc(v)}</ac:parameter>`;
const mac = (name: string, inner: string) => `<ac:structured-macro ac:name="${name}">${inner}</ac:structured-macro>`;
const word = fc.constantFrom("Page One", "설계 문서", "A (b) [c]", "x_y");

const { block } = fc.letrec<{ inline: string; inlines: string; block: string; blocks: string }>((tie) => ({
  inline: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text.map(esc),
    fc
      .tuple(fc.constantFrom("strong", "em", "b", "i", "s", "del", "code", "span", "u", "sup"), tie("inlines"))
      .map(([t, c]) => `<${t}>${c}</${t}>`),
    fc
      .tuple(fc.constantFrom("https://e.com/a(b)", "/wiki/x y", "#top", "javascript:x()"), tie("inlines"))
      .map(([h, c]) => `<a href="${attr(h)}">${c}</a>`),
    fc.constant("<br/>"),
    fc
      .tuple(text, fc.constantFrom("Green", "Red"))
      .map(([t, c]) => mac("status", param("title", t) + param("colour", c))),
    fc.constantFrom("PROJ-1", "AB-22").map((k) => mac("jira", param("key", k))),
    fc.constantFrom("tick", "cross", "smile", "unknown-x").map((n) => `<ac:emoticon ac:name="${n}" />`),
    fc
      .tuple(word, fc.option(tie("inlines")))
      .map(
        ([t, body]) =>
          `<ac:link><ri:page ri:space-key="S" ri:content-title="${attr(t)}" />${body === null ? "" : `<ac:link-body>${body}</ac:link-body>`}</ac:link>`,
      ),
    text.map(
      (t) =>
        `<ac:link><ri:page ri:content-title="T" /><ac:plain-text-link-body>${cdata(t)}</ac:plain-text-link-body></ac:link>`,
    ),
    fc.constantFrom("557058:abc", "key1").map((u) => `<ac:link><ri:user ri:account-id="${u}" /></ac:link>`),
    word.map((f) => `<ac:image ac:alt="${attr(f)}"><ri:attachment ri:filename="${attr(f)}.png" /></ac:image>`),
  ),
  inlines: fc.array(tie("inline"), { minLength: 1, maxLength: 4 }).map((xs) => xs.join("")),
  block: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("inlines").map((c) => `<p>${c}</p>`),
    fc.tuple(fc.integer({ min: 1, max: 6 }), tie("inlines")).map(([n, c]) => `<h${n}>${c}</h${n}>`),
    fc
      .tuple(
        fc.constantFrom("ul", "ol"),
        fc.array(fc.oneof(tie("inlines"), tie("blocks")), { minLength: 1, maxLength: 3 }),
      )
      .map(([t, items]) => `<${t}>${items.map((i) => `<li>${i}</li>`).join("")}</${t}>`),
    fc
      .array(
        fc.array(
          fc.tuple(
            fc.oneof(tie("inlines"), tie("blocks")),
            fc.integer({ min: 1, max: 3 }),
            fc.integer({ min: 1, max: 3 }),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        { minLength: 1, maxLength: 3 },
      )
      .map(
        (rows) =>
          `<table><colgroup><col/></colgroup><tbody>${rows.map((r) => `<tr>${r.map(([c, cs, rs, th]) => `<${th ? "th" : "td"} colspan="${cs}" rowspan="${rs}">${c}</${th ? "th" : "td"}>`).join("")}</tr>`).join("")}</tbody></table>`,
      ),
    tie("blocks").map((c) => `<blockquote>${c}</blockquote>`),
    text.map((t) => `<pre>${esc(t)}</pre>`),
    fc
      .tuple(fc.constantFrom("java", "", "bash"), text, fc.option(word))
      .map(([l, t, title]) =>
        mac(
          "code",
          (l ? param("language", l) : "") +
            (title ? param("title", title) : "") +
            `<ac:plain-text-body>${cdata(t)}</ac:plain-text-body>`,
        ),
      ),
    fc
      .tuple(
        fc.constantFrom("info", "note", "tip", "warning", "panel", "expand", "unknown-macro", "section"),
        fc.option(word),
        tie("blocks"),
      )
      .map(([n, title, b]) =>
        mac(n, (title ? param("title", title) : "") + `<ac:rich-text-body>${b}</ac:rich-text-body>`),
      ),
    fc
      .array(fc.tuple(fc.boolean(), tie("inlines")), { minLength: 1, maxLength: 3 })
      .map(
        (ts) =>
          `<ac:task-list>${ts.map(([done, b], i) => `<ac:task><ac:task-id>${i}</ac:task-id><ac:task-status>${done ? "complete" : "incomplete"}</ac:task-status><ac:task-body>${b}</ac:task-body></ac:task>`).join("")}</ac:task-list>`,
      ),
    fc
      .array(tie("blocks"), { minLength: 1, maxLength: 3 })
      .map(
        (cells) =>
          `<ac:layout><ac:layout-section ac:type="x">${cells.map((c) => `<ac:layout-cell>${c}</ac:layout-cell>`).join("")}</ac:layout-section></ac:layout>`,
      ),
    fc
      .tuple(fc.constantFrom("info", "note", "success", "error"), tie("blocks"))
      .map(
        ([t, b]) =>
          `<ac:adf-extension><ac:adf-node type="panel"><ac:adf-attribute key="panel-type">${t}</ac:adf-attribute><ac:adf-content>${b}</ac:adf-content></ac:adf-node><ac:adf-fallback><div>${b}</div></ac:adf-fallback></ac:adf-extension>`,
      ),
    fc.constant(mac("toc", param("maxLevel", "3"))),
    word.map((t) =>
      mac(
        "excerpt-include",
        `<ac:parameter ac:name=""><ac:link><ri:page ri:content-title="${attr(t)}" /></ac:link></ac:parameter>`,
      ),
    ),
    fc
      .tuple(fc.constantFrom("information", "note", "tip", "warning"), tie("blocks"))
      .map(
        ([k, b]) =>
          `<div class="confluence-information-macro confluence-information-macro-${k}"><div class="confluence-information-macro-body">${b}</div></div>`,
      ),
    fc
      .tuple(text, tie("blocks"))
      .map(
        ([t, b]) =>
          `<div class="expand-container"><div class="expand-control"><span class="expand-control-text">${esc(t)}</span></div><div class="expand-content">${b}</div></div>`,
      ),
    fc.constant("<hr/>"),
    tie("inlines"),
  ),
  blocks: fc.array(tie("block"), { minLength: 1, maxLength: 3 }).map((xs) => xs.join("")),
}));

describe("random nestings of supported elements", () => {
  it("never throw, leak markup or lose a word; normalised and chunk-independent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(block, { minLength: 1, maxLength: 4 }), async (blocks) => {
        const html = blocks.join("");
        const out = await convertHtml(html);
        expect(leaks(out.markdown)).toEqual([]);
        expect(normalisationProblems(out.markdown)).toEqual([]);
        expect(styleProblems(out.markdown)).toEqual([]);
        expect(missingWords(html, out.markdown)).toEqual([]);
        expect((await convertHtml(html, { chunkSize: 5 })).markdown).toBe(out.markdown);
      }),
      // CI runs a fixed seed so a red run is reproducible; explore with FC_SEED=<n> FC_RUNS=5000.
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261126) },
    );
  });
});

describe("the style check", () => {
  // Property test, seed 4: markdownlint's directive extension (not GFM) read `:abc[…]` as a directive.
  it("reports spaces inside link text only where a GFM renderer sees them", () => {
    expect(styleProblems("x:abc[`] [ a` b](u)\n")).toEqual([]);
    expect(styleProblems("x [ a](u)\n")).toEqual([expect.stringContaining("MD039")]);
  });
});
