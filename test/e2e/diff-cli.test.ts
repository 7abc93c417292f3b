/** `specgate diff` as the built binary: files, standard input and Confluence pages (a fake on loopback). */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeConfluence } from "../helpers/fake-confluence.js";
import { readFixtureSync } from "../helpers/fixtures.js";
import { patient } from "../helpers/patience.js";
import { runBin } from "../helpers/spawn.js";
import { securityDesignV1, securityDesignV2, securityDesignWithKeywords } from "../helpers/versions.js";

const TIMEOUT = patient(60_000);
let dir: string;
const run = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
  runBin(["diff", ...args], { cwd: dir, ...options });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "specgate-diff-"));
  await writeFile(path.join(dir, "v1.md"), securityDesignWithKeywords());
  await writeFile(path.join(dir, "v2.md"), securityDesignV2());
  await writeFile(path.join(dir, "rules.json"), readFixtureSync("rules", "standards-security.json"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

interface Out {
  added: { rule_id: string }[];
  removed: { rule_id: string }[];
  changed: { rule_id: string; matched_by: string; fields: Record<string, { from: unknown; to: unknown }> }[];
  unchanged: number;
  regenerate: string[];
}

describe("specgate diff", () => {
  it("prints the changes between two documents as Markdown and exits 0", { timeout: TIMEOUT }, async () => {
    const r = await run(["v1.md", "v2.md"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("### Rule changes: v1.md → v2.md");
    expect(r.stdout).toContain("**1 added, 1 removed, 2 changed**, 6 unchanged.");
    expect(r.stdout).toContain("- **RULE-SEC-008** (MUST): 모든 토큰은 90일마다 교체해야 한다");
    expect(r.stdout).toContain("  - priority: SHOULD → MUST");
  });

  it("exits 1 with --exit-code when rules changed, 0 when none did", { timeout: TIMEOUT }, async () => {
    expect((await run(["v1.md", "v2.md", "--exit-code"])).code).toBe(1);
    const same = await run(["v2.md", "v2.md", "--exit-code"]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("No rule changes (9 rules unchanged).");
  });

  it(
    "prints the whole diff as JSON, from a rules file and a document on standard input",
    { timeout: TIMEOUT },
    async () => {
      const r = await run(["rules.json", "-", "--format", "json"], { input: securityDesignV1() });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as Out;
      expect(out.added).toEqual([]);
      expect(out.removed).toEqual([]);
      expect(out.changed.map((c) => c.rule_id)).toEqual([
        "RULE-SEC-001",
        "RULE-SEC-002",
        "RULE-SEC-005",
        "RULE-SEC-007",
      ]);
      expect(out.changed[0]!.fields).toEqual({ "scope.file_patterns": { from: ["src/specgate/**/*.py"], to: [] } });
      expect(out.unchanged).toBe(3);
    },
  );

  it("exits 2 with a coded message for unreadable sides", { timeout: TIMEOUT }, async () => {
    const missing = await run(["nope.md", "v2.md"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^specgate: E_NOT_FOUND: Cannot read .*nope\.md/);
    const badPage = await run(["page:abc", "v2.md"]);
    expect(badPage.code).toBe(2);
    expect(badPage.stderr).toContain("page:abc: a page is page:ID or page:ID@VERSION");
    await writeFile(path.join(dir, "bad.json"), '{"rules": [{"rule_id": "x", "priority": "MUST"}]}');
    const badRules = await run(["bad.json", "v2.md"]);
    expect(badRules.code).toBe(2);
    expect(badRules.stderr).toMatch(
      /^specgate: E_INVALID_INPUT: Some rules cannot be read \(1\): from\.rules\[0\]\.rule_id/,
    );
    const noConfluence = await run(["page:1", "v2.md"]);
    expect(noConfluence.code).toBe(2);
    expect(noConfluence.stderr).toMatch(/^specgate: E_CONFIG: .*CONFLUENCE_BASE_URL/);
  });

  it("reads page:ID and page:ID@VERSION from Confluence", { timeout: TIMEOUT }, async () => {
    const storage = (md: string) => new MarkdownIt().render(md.replace(/^# .*\n/, ""));
    const fake = await FakeConfluence.start({
      flavour: "cloud",
      pages: [
        {
          id: "4242",
          title: "SpecGate 보안 설계서",
          spaceKey: "SEC",
          storage: storage(securityDesignWithKeywords()),
        },
      ],
    });
    expect(fake.editPage("4242", { storage: storage(securityDesignV2()) })).toBe(2);
    try {
      const r = await run(["v1.md", "page:4242@2", "--exit-code"], { env: fake.env() });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("### Rule changes: v1.md → page 4242 v2");
      expect(r.stdout).toContain("**1 added, 1 removed, 2 changed**, 6 unchanged.");
      const versions = await run(["page:4242@1", "page:4242", "--exit-code"], { env: fake.env() });
      expect(versions.stderr).toBe("");
      expect(versions.code).toBe(1);
      expect(versions.stdout).toContain("### Rule changes: page 4242 v1 → page 4242 v2");
      expect(versions.stdout).toContain("**1 added, 1 removed, 2 changed**, 6 unchanged.");
      const never = await run(["page:4242@7", "page:4242"], { env: fake.env() });
      expect(never.code).toBe(2);
      expect(never.stderr).toMatch(/^specgate: E_NOT_FOUND: Version 7 of page 4242 /);
    } finally {
      await fake.close();
    }
  });
});
