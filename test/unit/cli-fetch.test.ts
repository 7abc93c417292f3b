import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { slugify } from "../../src/cli/commands/fetch.js";
import { runCli } from "../../src/cli/program.js";
import { loadConfig } from "../../src/config.js";
import { fetchPages } from "../../src/index.js";
import { FakeConfluence, corpusPages, syntheticPage } from "../helpers/fake-confluence.js";

let fake: FakeConfluence | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

async function cli(argv: string[], env: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += String(d)));
  stderr.on("data", (d) => (err += String(d)));
  const code = await runCli(argv, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { LOG_LEVEL: "silent", ...env },
    cwd: dir ?? process.cwd(),
    isTTY: true,
  });
  return { code, out, err };
}

describe("specgate fetch", () => {
  it("writes <id>-<slug>.md (and .html with --save-html) for every labelled page, following the cursor to the end", async () => {
    const pages = Array.from({ length: 130 }, (_, i) => syntheticPage(String(10_000 + i), { spaceKey: "PAY" }));
    fake = await FakeConfluence.start({
      flavour: "cloud",
      pages: [...pages, syntheticPage("99", { spaceKey: "OTHER" })],
      searchPageSize: 50,
    });
    dir = await mkdtemp(path.join(tmpdir(), "specgate-fetch-"));
    const r = await cli(
      ["fetch", "--label", "specgate:type:api-design", "--space", "PAY", "--out", "docs", "--save-html"],
      fake.env(),
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/Fetched 130 pages .* into docs\./);
    expect(r.err).toMatch(/\rfetching \d+/); // the progress line
    expect(r.out).toBe("");
    const files = (await readdir(path.join(dir, "docs"))).sort();
    expect(files).toHaveLength(260);
    expect(files).toContain("10000-page-10000-api-설계서.md");
    expect(files).toContain("10000-page-10000-api-설계서.html");
    const md = await readFile(path.join(dir, "docs", "10129-page-10129-api-설계서.md"), "utf8");
    expect(md.startsWith("# Page 10129 API 설계서\n")).toBe(true);
    expect(await readFile(path.join(dir, "docs", "10129-page-10129-api-설계서.html"), "utf8")).toBe(
      fake.pages.get("10129")!.storage,
    );
  });

  it("writes the pages it could fetch and exits 1 naming the ones it could not", async () => {
    fake = await FakeConfluence.start({ flavour: "datacenter", pages: corpusPages() });
    dir = await mkdtemp(path.join(tmpdir(), "specgate-fetch-"));
    const r = await cli(["fetch", "--page-id", "1844969501", "404404", "--out", "out"], fake.env());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: page 404404: E_NOT_FOUND/);
    expect(await readdir(path.join(dir, "out"))).toEqual(["1844969501-지원.md"]);
  });

  it("prints the JSON result without --out, and exits 2 with E_CONFIG when Confluence is not configured", async () => {
    fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
    const ok = await cli(["fetch", "--url", `${fake.baseUrl}/x/HQD4bQ`], fake.env());
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).documents[0].title).toBe("지원");
    const missing = await cli(["fetch", "--label", "x"], {});
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/E_CONFIG: .*CONFLUENCE_BASE_URL/);
    const both = await cli(["fetch", "--label", "x", "--cql", "type = page"], fake.env());
    expect(both.code).toBe(2);
  });

  it("fetches a saved version with --page-version, keeps includes as placeholders with --no-includes, adds comments with --comments", async () => {
    const include = `<ac:structured-macro ac:name="include"><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="Shared" ri:space-key="D" /></ac:link></ac:parameter></ac:structured-macro>`;
    fake = await FakeConfluence.start({
      flavour: "datacenter",
      pages: [
        {
          id: "10",
          title: "Design",
          spaceKey: "D",
          storage: `<p>first text</p>${include}`,
          comments: [{ id: "c1", kind: "footer", author: "Kim Minji", storage: "<p>Approved.</p>" }],
        },
        { id: "11", title: "Shared", spaceKey: "D", storage: "<p>shared text</p>" },
      ],
    });
    fake.editPage("10", { storage: `<p>second text</p>${include}` });
    const old = await cli(["fetch", "--page-id", "10", "--page-version", "1"], fake.env());
    expect(old.err).toMatch(/Fetched 1 page/);
    const doc = JSON.parse(old.out).documents[0];
    expect(doc).toMatchObject({ id: "10", version: 1 });
    expect(doc.markdown).toContain("first text");
    expect(doc.markdown).toContain("shared text");

    const flat = JSON.parse((await cli(["fetch", "--page-id", "10", "--no-includes"], fake.env())).out).documents[0];
    expect(flat.markdown).toContain("second text");
    expect(flat.markdown).not.toContain("shared text");
    expect(flat.markdown).toContain("*(included from: Shared)*");

    const withComments = JSON.parse((await cli(["fetch", "--page-id", "10", "--comments"], fake.env())).out);
    expect(withComments.documents[0].comments).toMatchObject([
      { kind: "footer", author: "Kim Minji", markdown: "Approved." },
    ]);

    const two = await cli(["fetch", "--page-id", "10", "11", "--page-version", "1"], fake.env());
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/--page-version goes with exactly one --page-id/);
  });

  it("makes readable, file-safe slugs in any script", () => {
    expect(slugify("지원")).toBe("지원");
    expect(slugify('[PayFlow] API "v2" 설계서 / draft?')).toBe("payflow-api-v2-설계서-draft");
    expect(slugify("../../etc/passwd")).toBe("etc-passwd");
    expect(slugify("***")).toBe("page");
  });
});

describe("fetchPages (library API)", () => {
  it("fetches through the same pipeline as the tool", async () => {
    fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
    const seen: number[] = [];
    const out = await fetchPages(
      { page_ids: ["1844969501", "27821303"], format: "both" },
      { config: loadConfig({ LOG_LEVEL: "silent", ...fake.env() }), onProgress: (done) => seen.push(done) },
    );
    expect(out.documents.map((d) => d.id)).toEqual(["1844969501", "27821303"]);
    expect(out.documents[1]!.storage).toBe(fake.pages.get("27821303")!.storage);
    expect(seen.at(-1)).toBe(2);
    await expect(fetchPages({ page_id: "1" }, { config: loadConfig({ LOG_LEVEL: "silent" }) })).rejects.toMatchObject({
      code: "E_CONFIG",
    });
  });
});
