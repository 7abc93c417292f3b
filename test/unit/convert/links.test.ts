/** Links, mentions, images and emoticons: ac:link / ri:*, ac:image, ac:emoticon, <a>, <img>. */
import { describe, expect, it } from "vitest";
import { styleProblems } from "./check.js";
import { convert, md } from "./helpers.js";

const BASE = "https://acme.atlassian.net/wiki";
const link = (resource: string, body = "") => `<p><ac:link>${resource}${body}</ac:link></p>`;

describe("ac:link to pages", () => {
  it("uses the link body as text and base_url + space + title as URL", async () => {
    const html = link(
      `<ri:page ri:space-key="QCP" ri:content-title="QueryPie Architecture (KO)" ri:version-at-save="6" />`,
      "<ac:link-body>QueryPie <em>Architecture</em></ac:link-body>",
    );
    expect(await md(html, { baseUrl: `${BASE}/` })).toBe(
      `[QueryPie *Architecture*](${BASE}/display/QCP/QueryPie+Architecture+%28KO%29)\n`,
    );
  });

  it("falls back to the page title, and reads a CDATA plain-text body", async () => {
    expect(await md(link(`<ri:page ri:space-key="K" ri:content-title="System Tools" />`), { baseUrl: BASE })).toBe(
      `[System Tools](${BASE}/display/K/System+Tools)\n`,
    );
    const cdataBody = link(
      `<ri:page ri:space-key="K" ri:content-title="Compression" />`,
      "<ac:plain-text-link-body><![CDATA[Kafka *compression* [v2]]]></ac:plain-text-link-body>",
    );
    expect(await md(cdataBody, { baseUrl: BASE })).toBe(
      `[Kafka \\*compression\\* \\[v2\\]](${BASE}/display/K/Compression)\n`,
    );
  });

  it("uses the page's own space when the link names none, and keeps the text with a warning when no space is known", async () => {
    const html = link(`<ri:page ri:content-title="Kafka Internals" />`);
    expect(await md(html, { baseUrl: BASE, spaceKey: "KAFKA" })).toBe(
      `[Kafka Internals](${BASE}/display/KAFKA/Kafka+Internals)\n`,
    );
    const out = await convert(html, { baseUrl: BASE });
    expect(out.markdown).toBe("Kafka Internals\n");
    expect(out.warnings).toEqual([expect.objectContaining({ code: "unresolved_link", count: 1 })]);
  });

  it("keeps a wiki-relative URL when no base_url is given", async () => {
    expect(await md(link(`<ri:page ri:space-key="QCP" ri:content-title="Troubleshooting" />`))).toBe(
      "[Troubleshooting](/display/QCP/Troubleshooting)\n",
    );
  });

  it("links spaces, content ids and anchors", async () => {
    expect(
      await md(link(`<ri:space ri:space-key="QCP" />`, "<ac:link-body>Confluence Space</ac:link-body>"), {
        baseUrl: BASE,
      }),
    ).toBe(`[Confluence Space](${BASE}/display/QCP)\n`);
    expect(
      await md(link(`<ri:page ri:content-id="12345" />`, "<ac:link-body>By id</ac:link-body>"), { baseUrl: BASE }),
    ).toBe(`[By id](${BASE}/pages/viewpage.action?pageId=12345)\n`);
    expect(await md(`<p><ac:link ac:anchor="Setup"><ac:link-body>see setup</ac:link-body></ac:link></p>`)).toBe(
      "[see setup](#Setup)\n",
    );
  });
});

describe("ac:link to attachments, URLs and users", () => {
  it("links an attachment of this page (download URL when the page id is known)", async () => {
    const html = link(`<ri:attachment ri:filename="design v2.pdf" />`);
    expect(await md(html)).toBe("[design v2.pdf](design%20v2.pdf)\n");
    expect(await md(html, { baseUrl: BASE, pageId: "42" })).toBe(
      `[design v2.pdf](${BASE}/download/attachments/42/design%20v2.pdf)\n`,
    );
  });

  it("links a ri:url", async () => {
    expect(await md(link(`<ri:url ri:value="https://example.com/a b" />`, "<ac:link-body>site</ac:link-body>"))).toBe(
      "[site](https://example.com/a%20b)\n",
    );
  });

  it("writes a user as an @mention (display name from the body, else the account id or user key)", async () => {
    expect(await md(`<p>Ask <ac:link><ri:user ri:account-id="557058:f00d" /></ac:link> now</p>`)).toBe(
      "Ask @557058:f00d now\n",
    );
    expect(await md(`<p>Ask <ac:link><ri:user ri:userkey="abc123"/></ac:link> for review.</p>`)).toBe(
      "Ask @abc123 for review.\n",
    );
    expect(
      await md(`<p><ac:link><ri:user ri:account-id="1" /><ac:link-body>Jane Doe</ac:link-body></ac:link></p>`),
    ).toBe("@Jane Doe\n");
  });
});

describe("images and emoticons", () => {
  it("writes ac:image as ![alt](url) for attachments and URLs", async () => {
    const attached = `<ac:image ac:alt="Topology"><ri:attachment ri:filename="topo.png" /></ac:image>`;
    expect(await md(attached)).toBe("![Topology](topo.png)\n");
    expect(await md(attached, { baseUrl: BASE, pageId: "7" })).toBe(
      `![Topology](${BASE}/download/attachments/7/topo.png)\n`,
    );
    expect(await md(`<ac:image><ri:url ri:value="https://cdn.example.com/x.png" /></ac:image>`)).toBe(
      "![https://cdn.example.com/x.png](https://cdn.example.com/x.png)\n",
    );
    const onOtherPage = `<ac:image><ri:attachment ri:filename="a.png"><ri:page ri:space-key="S" ri:content-title="Other page" /></ri:attachment></ac:image>`;
    expect(await md(onOtherPage, { baseUrl: BASE })).toBe(
      `![a.png](${BASE}/download/attachments/S/Other+page/a.png)\n`,
    );
  });

  it("keeps an image caption after the image", async () => {
    expect(
      await md(`<ac:image><ri:attachment ri:filename="f.png" /><ac:caption><p>Figure 1</p></ac:caption></ac:image>`),
    ).toBe("![f.png](f.png)\n\nFigure 1\n");
  });

  it("writes emoticons as emoji, from the page's fallback, the emoji id or the built-in name", async () => {
    expect(
      await md(
        `<p><ac:emoticon ac:name="tick" ac:emoji-shortname=":check_mark:" ac:emoji-id="atlassian-check_mark" ac:emoji-fallback=":check_mark:" /> done</p>`,
      ),
    ).toBe("✅ done\n");
    expect(
      await md(
        `<p><ac:emoticon ac:name="blue-star" ac:emoji-shortname=":white_check_mark:" ac:emoji-id="2705" ac:emoji-fallback="✅" /></p>`,
      ),
    ).toBe("✅\n");
    expect(await md(`<p><ac:emoticon ac:name="blue-star" ac:emoji-id="1f308" /></p>`)).toBe("🌈\n");
    expect(await md(`<p><ac:emoticon ac:name="thumbs-up" /></p>`)).toBe("👍\n");
    expect(await md(`<p><ac:emoticon ac:name="custom-party" /></p>`)).toBe(":custom-party:\n");
  });
});

describe("HTML links and images", () => {
  it("makes relative links absolute against base_url", async () => {
    const html = `<p><a href="/wiki/spaces/X/pages/1/Title">a</a> <a href="/spaces/X/overview">b</a> <a href="page.html">c</a> <a href="#top">d</a></p>`;
    expect(await md(html, { baseUrl: BASE })).toBe(
      `[a](${BASE}/spaces/X/pages/1/Title) [b](${BASE}/spaces/X/overview) [c](${BASE}/page.html) [d](#top)\n`,
    );
    expect(await md(html)).toBe("[a](/wiki/spaces/X/pages/1/Title) [b](/spaces/X/overview) [c](page.html) [d](#top)\n");
  });

  it("escapes parentheses and spaces in URLs, and brackets in link text", async () => {
    expect(await md(`<p><a href="https://en.wikipedia.org/wiki/Foo_(bar) x">see [1]</a></p>`)).toBe(
      "[see \\[1\\]](https://en.wikipedia.org/wiki/Foo_%28bar%29%20x)\n",
    );
  });

  it("percent-encodes pipes in URLs, so a backslash before one cannot end a table cell", async () => {
    const out = await md(
      `<table><tr><th>h</th><th>i</th></tr><tr><td><a href="https://e.com/a\\|b">x</a></td><td>y</td></tr></table>`,
    );
    expect(out).toBe("| h | i |\n| --- | --- |\n| [x](https://e.com/a\\%7Cb) | y |\n");
    expect(styleProblems(out)).toEqual([]);
  });

  it("never writes a javascript: link, but keeps its text", async () => {
    expect(await md(`<p><a href="javascript:alert(1)">click</a></p>`)).toBe("click\n");
  });

  it("uses the URL as text for an empty link and writes <img> as an image", async () => {
    expect(await md(`<p><a href="https://x.io"></a></p>`)).toBe("[https://x.io](https://x.io)\n");
    expect(await md(`<p><img src="/download/a.png" alt="Diagram [v1]"></p>`, { baseUrl: BASE })).toBe(
      `![Diagram \\[v1\\]](${BASE}/download/a.png)\n`,
    );
  });
});
