/**
 * confluence_fetch's page content beyond the body, through the real tool (SDK client in-process)
 * against the fake Confluence: included pages (expanded, marked, and read back by rule_extract as
 * the rules' source), historical versions, and comments — on Cloud and on Data Center.
 */
import { afterEach, describe, expect, it } from "vitest";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ConfluenceClient } from "../../src/core/confluence/client.js";
import { clientFor } from "../helpers/confluence.js";
import { FakeConfluence, type FakePage } from "../helpers/fake-confluence.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
let fake: FakeConfluence | undefined;
let client: ConfluenceClient | undefined;
afterEach(async () => {
  await h?.close();
  await client?.close();
  await fake?.close();
  h = undefined;
  client = undefined;
  fake = undefined;
});

interface Doc {
  id: string;
  title: string;
  url: string;
  version: number;
  version_created_at: string;
  version_author?: string;
  ancestors?: { id: string; title: string }[];
  markdown?: string;
  included_pages?: { id: string; title: string; url: string; version: number; macro: string; included_by: string }[];
  warnings?: { code: string; subject: string; message: string }[];
  comments?: {
    id: string;
    kind: string;
    author: string;
    created: string;
    markdown: string;
    resolved: boolean;
    anchor?: string;
  }[];
}
type Out = { documents: Doc[]; stats: { from_cache: number; requests: number } };
type Rule = { rule_id: string; source: { document: string; title?: string; url?: string } };

const include = (title: string, space?: string) =>
  `<ac:structured-macro ac:name="include" ac:schema-version="1"><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="${title}"${space ? ` ri:space-key="${space}"` : ""} /></ac:link></ac:parameter></ac:structured-macro>`;
const includeId = (id: string) =>
  `<ac:structured-macro ac:name="include"><ac:parameter ac:name=""><ac:link><ri:page ri:content-id="${id}" /></ac:link></ac:parameter></ac:structured-macro>`;
const excerptInclude = (title: string) =>
  `<ac:structured-macro ac:name="excerpt-include"><ac:parameter ac:name="nopanel">true</ac:parameter><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="${title}" /></ac:link></ac:parameter></ac:structured-macro>`;

function pages(): FakePage[] {
  return [
    {
      id: "100",
      title: "Payments API",
      spaceKey: "PAY",
      storage:
        `<h2>설계 규칙</h2><p><strong>RULE-API-001</strong> (MUST): 결제 API는 멱등 키를 받아야 한다.</p>` +
        include("Shared API rules", "ENG") +
        `<p>용어:</p>` +
        excerptInclude("Glossary"),
      ancestors: [
        { id: "1", title: "PAY Home" },
        { id: "50", title: "Designs" },
      ],
    },
    {
      id: "200",
      title: "Shared API rules",
      spaceKey: "ENG",
      storage: `<p><strong>RULE-API-010</strong> (MUST): 모든 API는 버전을 포함해야 한다.</p>`,
    },
    {
      id: "300",
      title: "Glossary",
      spaceKey: "PAY",
      storage:
        `<p>Not part of the excerpt.</p><ac:structured-macro ac:name="excerpt"><ac:rich-text-body>` +
        `<p><strong>RULE-SEC-001</strong> (MUST): 카드 번호는 로그에 남겨서는 안 된다.</p></ac:rich-text-body></ac:structured-macro>`,
    },
    {
      id: "400",
      title: "Broken",
      spaceKey: "PAY",
      storage: `<p>a</p>${include("No such page")}<p>b</p>${includeId("401")}`,
    },
    { id: "401", title: "Secret", spaceKey: "PAY", storage: "<p>secret</p>", restricted: true },
  ];
}

async function connectTo(f: FakeConfluence, env: Record<string, string> = {}) {
  ({ client } = clientFor(f, { env }));
  h = await connectInMemory({ env: { ...f.env(), ...env }, runtime: { services: { confluence: client } } });
  return h;
}

async function fetchOk(args: Record<string, unknown>): Promise<Out> {
  const r = await h!.client.callTool({ name: "confluence_fetch", arguments: args });
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  return r.structuredContent as Out;
}

for (const flavour of ["cloud", "datacenter"] as const) {
  describe(`confluence_fetch page content (${flavour})`, () => {
    it("expands include and excerpt-include, and rule_extract gives the included rules their page as source", async () => {
      fake = await FakeConfluence.start({ flavour, pages: pages() });
      await connectTo(fake);
      const doc = (await fetchOk({ page_id: "100" })).documents[0]!;
      expect(doc.markdown).toContain("RULE-API-001");
      expect(doc.markdown).toContain("RULE-API-010");
      expect(doc.markdown).toContain("RULE-SEC-001");
      expect(doc.markdown).not.toContain("Not part of the excerpt");
      expect(doc.markdown).not.toContain("included from");
      expect(doc.included_pages?.map((p) => [p.id, p.macro, p.included_by])).toEqual([
        ["200", "include", "100"],
        ["300", "excerpt-include", "100"],
      ]);
      expect(doc.warnings).toBeUndefined();

      const r = await h!.client.callTool({
        name: "rule_extract",
        arguments: { content: doc.markdown, source: { id: doc.id, title: doc.title, url: doc.url } },
      });
      expect(r.isError).toBeFalsy();
      const rules = (r.structuredContent as { rules: Rule[] }).rules;
      const by = (id: string) => rules.find((x) => x.rule_id === id)!.source;
      expect(by("RULE-API-001")).toMatchObject({ document: "100", title: "Payments API", url: doc.url });
      expect(by("RULE-API-010")).toMatchObject({ document: "200", title: "Shared API rules" });
      expect(by("RULE-API-010").url).toBe(doc.included_pages![0]!.url);
      expect(by("RULE-SEC-001")).toMatchObject({ document: "300", title: "Glossary" });

      // Warm: the page, the targets and their lookups all come from the cache.
      const before = fake.requests;
      const again = await fetchOk({ page_id: "100" });
      expect(again.documents[0]!.markdown).toBe(doc.markdown);
      expect(fake.requests - before).toBeLessThanOrEqual(1); // at most the page's own revalidation
    });

    it("shows an edit of an included page once the freshness window has passed", async () => {
      fake = await FakeConfluence.start({ flavour, pages: pages() });
      await connectTo(fake, { SPECGATE_CONFLUENCE_FRESH_S: "0" });
      const first = (await fetchOk({ page_id: "100" })).documents[0]!;
      expect(first.markdown).toContain("RULE-API-010");
      fake.editPage("200", { storage: "<p><strong>RULE-API-011</strong> (SHOULD): 응답은 gzip을 지원해야 한다.</p>" });
      const second = (await fetchOk({ page_id: "100" })).documents[0]!;
      expect(second.version).toBe(first.version); // the including page did not change
      expect(second.markdown).toContain("RULE-API-011");
      expect(second.markdown).not.toContain("RULE-API-010");
      expect(second.included_pages?.find((p) => p.id === "200")).toMatchObject({ version: 2 });
    });

    it("keeps placeholders with expand_includes: false", async () => {
      fake = await FakeConfluence.start({ flavour, pages: pages() });
      await connectTo(fake);
      const doc = (await fetchOk({ page_id: "100", expand_includes: false })).documents[0]!;
      expect(doc.markdown).toContain("*(included from: Shared API rules)*");
      expect(doc.markdown).not.toContain("RULE-API-010");
      expect(doc.included_pages).toBeUndefined();
      expect(fake.count("Shared")).toBe(0);
    });

    it("leaves a placeholder and a warning for a missing and a forbidden target", async () => {
      fake = await FakeConfluence.start({ flavour, pages: pages() });
      await connectTo(fake);
      const logged: { level: string; data: unknown }[] = [];
      h!.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logged.push(n.params));
      await h!.client.setLoggingLevel("warning");
      const doc = (await fetchOk({ page_id: "400" })).documents[0]!;
      // A client that listens hears the same warnings as log messages, sent before the result.
      expect(logged.map((m) => (m.data as { code: string }).code)).toEqual(["include_missing", "include_forbidden"]);
      expect(doc.markdown).toContain("*(included from: No such page)*");
      expect(doc.markdown).not.toContain("secret");
      expect(doc.warnings?.map((w) => [w.code, w.subject])).toEqual([
        ["include_missing", "No such page"],
        ["include_forbidden", "id 401"],
      ]);
    });

    it("returns a historical version with its author and ancestors, and keeps it cached", async () => {
      fake = await FakeConfluence.start({
        flavour,
        pages: [{ ...pages()[0]!, storage: "<p>first text</p>", author: "Kim Minji" }],
      });
      await connectTo(fake);
      fake.editPage("100", { storage: "<p>second text</p>", author: "Lee Jun" });
      const old = await fetchOk({ page_id: "100", version: 1 });
      const doc = old.documents[0]!;
      expect(doc.version).toBe(1);
      expect(doc.markdown).toContain("first text");
      expect(doc.version_author).toBe("Kim Minji");
      expect(doc.version_created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(doc.ancestors).toEqual([
        { id: "1", title: "PAY Home" },
        { id: "50", title: "Designs" },
      ]);
      expect(JSON.stringify(old)).not.toMatch(/@example\.com|557058:/);
      expect(old.stats.from_cache).toBe(0);

      const before = fake.requests;
      const cached = await fetchOk({ page_id: "100", version: 1 });
      expect(cached.documents[0]!.markdown).toBe(doc.markdown);
      expect(cached.stats.from_cache).toBe(1);
      expect(fake.requests).toBe(before);

      const current = (await fetchOk({ page_id: "100" })).documents[0]!;
      expect(current.version).toBe(2);
      expect(current.markdown).toContain("second text");

      for (const bad of [
        { url: `${fake.baseUrl}/x/ZA`, version: 1 },
        { page_id: "100", version: 0 },
      ]) {
        const refused = await h!.client.callTool({ name: "confluence_fetch", arguments: bad });
        expect(refused.isError).toBe(true);
        expect((refused.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT.*version/);
      }

      const missing = await h!.client.callTool({ name: "confluence_fetch", arguments: { page_id: "100", version: 9 } });
      expect(missing.isError).toBe(true);
      expect((missing.content as { text: string }[])[0]!.text).toMatch(/^E_NOT_FOUND/);
    });

    it("adds footer and inline comments with include_comments, across result pages", async () => {
      const comments = [
        { id: "c1", kind: "footer" as const, author: "Kim Minji", storage: "<p>Looks <strong>good</strong>.</p>" },
        { id: "c2", kind: "footer" as const, author: "Lee Jun", storage: "<p>Second.</p>" },
        { id: "c3", kind: "footer" as const, author: "Kim Minji", storage: "<p>Third.</p>" },
        {
          id: "c4",
          kind: "inline" as const,
          author: "Park Ara",
          storage: "<p>Which header?</p>",
          anchor: "멱등 키",
          resolved: true,
        },
        { id: "c5", kind: "inline" as const, author: "Lee Jun", storage: "<p>Open one.</p>", anchor: "결제 API" },
      ];
      fake = await FakeConfluence.start({
        flavour,
        searchPageSize: 2,
        pages: [{ ...pages()[1]!, comments }],
      });
      await connectTo(fake);
      const plain = (await fetchOk({ page_id: "200" })).documents[0]!;
      expect(plain.comments).toBeUndefined();
      const out = await fetchOk({ page_id: "200", include_comments: true });
      const got = out.documents[0]!.comments!;
      expect(got.map((c) => [c.id, c.kind, c.author, c.resolved])).toEqual([
        ["c1", "footer", "Kim Minji", false],
        ["c2", "footer", "Lee Jun", false],
        ["c3", "footer", "Kim Minji", false],
        ["c4", "inline", "Park Ara", true],
        ["c5", "inline", "Lee Jun", false],
      ]);
      expect(got[0]!.markdown).toBe("Looks **good**.");
      expect(got[3]!.anchor).toBe("멱등 키");
      expect(got[0]!.anchor).toBeUndefined();
      expect(got[0]!.created).toMatch(/^\d{4}-/);
      expect(JSON.stringify(out)).not.toMatch(/@example\.com|557058:/);

      // An author the user API no longer knows (a deleted account) leaves the comment unnamed, not the call failed.
      if (flavour === "cloud") {
        fake.fault({ kind: "404", match: "/rest/api/user?", times: Infinity });
        fake.addPage({
          ...pages()[2]!,
          comments: [{ id: "c9", kind: "footer", author: "Gone User", storage: "<p>x</p>" }],
        });
        const orphan = await fetchOk({ page_id: "300", include_comments: true });
        expect(orphan.documents[0]!.comments).toEqual([
          expect.objectContaining({ id: "c9", author: "", markdown: "x" }),
        ]);
      }
    });
  });
}
