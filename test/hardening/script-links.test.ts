/**
 * Script URLs through `html_to_md` (real SDK client, real pipeline). Browsers read a URL only after
 * the WHATWG parser has dropped leading/trailing C0 controls and spaces and every tab, LF and CR,
 * and a Markdown renderer resolves backslash escapes and character references in a destination
 * first: `java&#9;script:`, `&#1;javascript:` or `javascript\:` must lose their link like
 * `javascript:` does, in `<a>`, `<img>`, `ri:url` links and images, with and without `base_url`.
 *
 * The Markdown is rendered by markdown-it with its own link filter switched off (a permissive
 * renderer), and every `href`/`src` is resolved the way a browser would (`new URL`).
 */
import { Parser } from "htmlparser2";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

const BASE = "https://wiki.example.com/wiki";

/** As written in an HTML attribute (entities decoded by the parser, as a browser would). */
const HOSTILE = [
  "java&#9;script:alert(1)",
  "java&#10;script:alert(1)",
  "java&#13;script:alert(1)",
  "java&#x0A;script&#x3A;alert(1)",
  "&#1;javascript:alert(1)",
  "&#31;&#32;&#9;javascript:alert(1)",
  "   javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "&#x6A;avascript&colon;alert(1)",
  "javascript:alert(1)&#1;",
  "VBScript&#9;:msgbox(1)",
  "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
  "da&#9;ta:text/html;base64,PHNjcmlwdD4=",
  // Script URLs once a Markdown renderer reads the destination (`\:` → `:`, `&#58;` → `:`); with
  // a base_url they are relative paths on the wiki, and may stay links.
  "javascript\\:alert(1)",
  "javascript&amp;#58;alert(1)",
];
const RENDERER_TRICKS = new Set(HOSTILE.slice(-2));

const renderer = new MarkdownIt();
renderer.validateLink = () => true;

/** Every URL the rendered Markdown would make a browser follow (`a`) or load (`img`). */
function renderedUrls(markdown: string): { tag: string; url: string }[] {
  const out: { tag: string; url: string }[] = [];
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === "a" && attrs.href !== undefined) out.push({ tag: "a", url: attrs.href });
      if (name === "img" && attrs.src !== undefined) out.push({ tag: "img", url: attrs.src });
    },
  });
  parser.write(renderer.render(markdown));
  parser.end();
  return out;
}

/** The scheme a browser sees (relative URLs resolve against an http page). */
function browserScheme(url: string): string {
  try {
    return new URL(url, "https://viewer.example/page").protocol;
  } catch {
    return "invalid:";
  }
}

function expectNoScript(markdown: string): void {
  for (const { tag, url } of renderedUrls(markdown)) {
    const scheme = browserScheme(url);
    expect(["javascript:", "vbscript:"], `${tag} ${url}`).not.toContain(scheme);
    if (scheme === "data:") expect(tag === "img" && /^data:image\//i.test(url.trim()), `${tag} ${url}`).toBe(true);
  }
}

let h: Harness;
beforeAll(async () => {
  h = await connectInMemory();
});
afterAll(async () => h.close());

async function convert(args: Record<string, unknown>): Promise<string> {
  const r = (await h.client.callTool({ name: "html_to_md", arguments: args })) as CallToolResult;
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  return (r.structuredContent as { markdown: string }).markdown;
}

describe("html_to_md never writes a script URL", () => {
  for (const href of HOSTILE) {
    for (const base of [undefined, BASE]) {
      it(`${JSON.stringify(href)}${base ? " with base_url" : ""}: <a> and <img> keep their text only`, async () => {
        const md = await convert({
          html: `<p><a href="${href}">Open</a> and <img src="${href}" alt="pic"></p>`,
          ...(base ? { base_url: base } : {}),
        });
        expectNoScript(md);
        if (base && RENDERER_TRICKS.has(href))
          expect(md).toMatch(
            /^\[Open\]\(https:\/\/wiki\.example\.com\/.* and !\[pic\]\(https:\/\/wiki\.example\.com\//,
          );
        else expect(md).toBe("Open and pic\n");
      });

      it(`${JSON.stringify(href)}${base ? " with base_url" : ""}: ri:url links and images keep their text only`, async () => {
        const html =
          `<p><ac:link><ri:url ri:value="${href}" /><ac:plain-text-link-body><![CDATA[Open]]></ac:plain-text-link-body></ac:link> and ` +
          `<ac:image ac:alt="pic"><ri:url ri:value="${href}" /></ac:image></p>`;
        const md = await convert({ html, ...(base ? { base_url: base } : {}) });
        expectNoScript(md);
        if (base && RENDERER_TRICKS.has(href))
          expect(md).toMatch(
            /^\[Open\]\(https:\/\/wiki\.example\.com\/.* and !\[pic\]\(https:\/\/wiki\.example\.com\//,
          );
        else expect(md).toBe("Open and pic\n");
      });
    }
  }

  it("drops a data: link but keeps a data:image picture", async () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    const md = await convert({ html: `<p><a href="${png}">Open</a> <img src="${png}" alt="pic"></p>` });
    expect(md).toBe(`Open ![pic](${png})\n`);
    expectNoScript(md);
  });

  it("refuses a script base_url or jira_base_url instead of prefixing links with it", async () => {
    const html = `<p><ac:link><ri:page ri:space-key="K" ri:content-title="Home" /></ac:link> <ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">ABC-1</ac:parameter></ac:structured-macro></p>`;
    const md = await convert({ html, base_url: "javascript:alert(1)//", jira_base_url: "java\tscript:alert(1)//" });
    expectNoScript(md);
    expect(md).toBe("Home ABC-1\n");
  });

  it("still links safe URLs, made absolute and normalised", async () => {
    const md = await convert({
      html: `<p><a href="&#1; https://example.com/a b">A</a> <a href="/wiki/spaces/K/x">B</a> <a href="mai&#9;lto:x@example.com">C</a> <img src="img&#10;.png" alt="D"></p>`,
      base_url: BASE,
    });
    expect(md).toBe(
      `[A](https://example.com/a%20b) [B](https://wiki.example.com/wiki/spaces/K/x) [C](mailto:x@example.com) ![D](${BASE}/img.png)\n`,
    );
  });
});
