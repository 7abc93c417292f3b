import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GitHubClient,
  nextLink,
  syncHitlIssues,
  upsertStickyComment,
  type GitHubClientOptions,
} from "../../../src/core/github/index.js";
import type { LintResult } from "../../../src/core/lint/types.js";
import { startFakeGitHub, type FakeGitHub } from "../../helpers/fake-github.js";

const REPO = "acme/payflow";
const MARKER = "<!-- specgate:drift-radar -->";
let gh: FakeGitHub;
let client: GitHubClient | undefined;
let waits: number[];

function makeClient(extra: Partial<GitHubClientOptions> = {}): GitHubClient {
  client = new GitHubClient({
    token: gh.token,
    apiUrl: gh.apiUrl,
    sleep: async (ms) => void waits.push(ms),
    now: () => 1_700_000_000_000,
    ...extra,
  });
  return client;
}

beforeEach(async () => {
  gh = await startFakeGitHub();
  waits = [];
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await gh.close();
});

describe("sticky PR comment", () => {
  it("creates the comment, then updates the same one: one comment after two runs, found across pages", async () => {
    gh.addPullRequest(REPO, 7);
    for (let i = 0; i < 120; i++) gh.addComment(REPO, 7, `review comment ${i}`);
    const c = makeClient();
    const first = await upsertStickyComment(c, {
      repository: REPO,
      number: 7,
      body: `${MARKER}\nscore 60`,
      marker: MARKER,
    });
    expect(first.action).toBe("created");
    const second = await upsertStickyComment(c, {
      repository: REPO,
      number: 7,
      body: `${MARKER}\nscore 20`,
      marker: MARKER,
    });
    expect(second).toMatchObject({ action: "updated", id: (first as { id: number }).id });
    const ours = gh
      .repo(REPO)
      .issues.get(7)!
      .comments.filter((x) => x.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toBe(`${MARKER}\nscore 20`);
    // The second run had to read page 2 (the comment is the 121st).
    expect(gh.requests.some((r) => r.method === "GET" && r.query.page === "2")).toBe(true);
    const third = await upsertStickyComment(c, {
      repository: REPO,
      number: 7,
      body: `${MARKER}\nscore 20`,
      marker: MARKER,
    });
    expect(third.action).toBe("unchanged");
    expect(gh.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  it("puts the marker first when the body lacks it, and works under a GitHub Enterprise prefix", async () => {
    await gh.close();
    gh = await startFakeGitHub({ prefix: "/api/v3" });
    gh.addPullRequest(REPO, 3);
    const c = makeClient();
    expect(c.apiUrl.endsWith("/api/v3")).toBe(true);
    await upsertStickyComment(c, { repository: REPO, number: 3, body: "hello", marker: MARKER });
    expect(gh.repo(REPO).issues.get(3)!.comments[0]!.body).toBe(`${MARKER}\nhello`);
    expect(gh.requests.every((r) => !r.path.startsWith("/api/v3"))).toBe(true);
  });

  it("turns a fork's read-only token (403 on writing) into a warning, not a failure", async () => {
    gh.addPullRequest(REPO, 9);
    gh.readOnly = true;
    const out = await upsertStickyComment(makeClient(), { repository: REPO, number: 9, body: "x", marker: MARKER });
    expect(out.action).toBe("skipped");
    expect((out as { warning: string }).warning).toMatch(/fork.*read-only/);
    expect(gh.repo(REPO).issues.get(9)!.comments).toHaveLength(0);
    await expect(
      upsertStickyComment(makeClient(), {
        repository: REPO,
        number: 9,
        body: "x",
        marker: MARKER,
        onForbidden: "throw",
      }),
    ).rejects.toMatchObject({ code: "E_FORBIDDEN" });
  });
});

describe("GitHub errors and limits", () => {
  it("waits out a primary rate limit (403, x-ratelimit-remaining 0, reset) and retries", async () => {
    gh.addPullRequest(REPO, 1);
    gh.script({
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(1_700_000_000 + 30) },
      body: { message: "API rate limit exceeded for installation ID 1." },
    });
    const out = await upsertStickyComment(makeClient(), { repository: REPO, number: 1, body: "x", marker: MARKER });
    expect(out.action).toBe("created");
    expect(waits).toEqual([30_000]);
  });

  it("honours retry-after on 429 and secondary limits", async () => {
    gh.addPullRequest(REPO, 1);
    gh.script(
      { status: 429, headers: { "retry-after": "2" } },
      { status: 403, headers: { "retry-after": "1" }, body: { message: "You have exceeded a secondary rate limit." } },
    );
    const out = await upsertStickyComment(makeClient(), { repository: REPO, number: 1, body: "x", marker: MARKER });
    expect(out.action).toBe("created");
    expect(waits).toEqual([2000, 1000]);
  });

  it("reports E_RATE_LIMITED with the wait when the reset is too far or retries run out", async () => {
    gh.addPullRequest(REPO, 1);
    gh.script({
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(1_700_000_000 + 3600) },
      body: { message: "API rate limit exceeded" },
    });
    const error = await upsertStickyComment(makeClient(), {
      repository: REPO,
      number: 1,
      body: "x",
      marker: MARKER,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "E_RATE_LIMITED", retryAfterMs: 3_600_000 });
    expect((error as Error).message).toMatch(/in 3600 s/);
    expect(waits).toEqual([]);
    const limited = { status: 429, headers: { "retry-after": "1" } };
    gh.script(limited, limited, limited);
    const again = await upsertStickyComment(makeClient({ maxRetries: 2 }), {
      repository: REPO,
      number: 1,
      body: "x",
      marker: MARKER,
    }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: "E_RATE_LIMITED" });
    expect(waits).toEqual([1000, 1000]);
  });

  it("explains 401, 403 and 404", async () => {
    gh.addPullRequest(REPO, 1);
    const badToken = new GitHubClient({ token: "wrong", apiUrl: gh.apiUrl });
    await expect(
      upsertStickyComment(badToken, { repository: REPO, number: 1, body: "x", marker: MARKER }),
    ).rejects.toMatchObject({
      code: "E_AUTH",
      message: expect.stringMatching(/401: Bad credentials.*GITHUB_TOKEN/),
    });
    await badToken.close();
    await expect(
      upsertStickyComment(makeClient(), { repository: REPO, number: 404, body: "x", marker: MARKER }),
    ).rejects.toMatchObject({
      code: "E_NOT_FOUND",
      message: expect.stringMatching(/#404 in acme\/payflow.*GITHUB_REPOSITORY/),
    });
    gh.script({ status: 403, body: { message: "Must have admin rights to Repository." } });
    await expect(
      upsertStickyComment(makeClient(), { repository: REPO, number: 1, body: "x", marker: MARKER }),
    ).rejects.toMatchObject({
      code: "E_FORBIDDEN",
      message: expect.stringMatching(/403: Must have admin rights.*pull-requests: write/),
    });
    expect(() => new GitHubClient({ token: "", apiUrl: gh.apiUrl })).toThrow(/GITHUB_TOKEN/);
  });

  it("retries a 5xx on reads but never repeats a POST", async () => {
    gh.addPullRequest(REPO, 1);
    gh.script({ status: 502, method: "GET", body: { message: "Server Error" } });
    gh.script({ status: 502, method: "POST", body: { message: "Server Error" } });
    await expect(
      upsertStickyComment(makeClient(), { repository: REPO, number: 1, body: "x", marker: MARKER }),
    ).rejects.toMatchObject({ code: "E_UPSTREAM" });
    expect(gh.requests.filter((r) => r.method === "GET")).toHaveLength(2);
    expect(gh.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("times out a request that hangs", async () => {
    gh.addPullRequest(REPO, 1);
    gh.script({ status: 200, body: [], delayMs: 2000 });
    await expect(
      upsertStickyComment(makeClient({ timeoutMs: 150 }), { repository: REPO, number: 1, body: "x", marker: MARKER }),
    ).rejects.toMatchObject({ code: "E_TIMEOUT" });
  });

  it("follows Link pagination only within the API origin", async () => {
    gh.addPullRequest(REPO, 1);
    gh.script({ status: 200, body: [], headers: { link: '<http://evil.example/steal?page=2>; rel="next"' } });
    await expect(
      upsertStickyComment(makeClient(), { repository: REPO, number: 1, body: "x", marker: MARKER }),
    ).rejects.toMatchObject({ code: "E_UPSTREAM", message: expect.stringContaining("Refusing") });
    expect(
      nextLink('<https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last"'),
    ).toBe("https://api.github.com/x?page=3");
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeUndefined();
  });
});

describe("HITL issues", () => {
  const lint = (score: number, grade: LintResult["grade"], codes: string[] = ["scope_missing"]): LintResult => ({
    score,
    grade,
    stats: {},
    violations: codes.map((code, i) => ({
      code,
      severity: "warning",
      message: `${code} | here`,
      line: i + 3,
      suggestion: "Add it",
      deduction: 5,
    })),
  });

  it("opens one issue per medium/low document with the right label, and never duplicates", async () => {
    gh.repo(REPO);
    const c = makeClient();
    const docs = [
      { id: "docs/api.md", title: "PayFlow API 설계서", lint: lint(82, "medium") },
      { id: "docs/data.md", lint: lint(55, "low", ["design_rules_missing", "reason_missing"]) },
      { id: "docs/ok.md", lint: lint(95, "high", []) },
    ];
    const first = await syncHitlIssues(c, { repository: REPO, documents: docs });
    expect(first.map((o) => o.action)).toEqual(["created", "created", "none"]);
    const issues = () => [...gh.repo(REPO).issues.values()];
    expect(issues().map((i) => [i.labels.map((l) => l.name), i.title])).toEqual([
      [["specgate:hitl-review"], "[SpecGate] Review needed: PayFlow API 설계서 (quality 82/100)"],
      [["specgate:must-fix"], "[SpecGate] Must fix: docs/data.md (quality 55/100)"],
    ]);
    expect(issues()[1]!.body).toContain("design_rules_missing");
    expect(issues()[1]!.body).toContain("reason\\_missing");

    const second = await syncHitlIssues(c, { repository: REPO, documents: docs });
    expect(second.map((o) => o.action)).toEqual(["unchanged", "unchanged", "none"]);
    // The API document gets worse: same issue, label switched.
    const worse = await syncHitlIssues(c, { repository: REPO, documents: [{ ...docs[0]!, lint: lint(60, "low") }] });
    expect(worse[0]).toMatchObject({ action: "updated", number: first[0]!.number });
    expect(issues()).toHaveLength(2);
    expect(
      gh
        .repo(REPO)
        .issues.get(first[0]!.number!)!
        .labels.map((l) => l.name),
    ).toEqual(["specgate:must-fix"]);
  });

  it("leaves an issue a person closed alone until the document changes, and closes it once the document grades high", async () => {
    gh.repo(REPO);
    const c = makeClient();
    const doc = { id: "docs/api.md", lint: lint(82, "medium") };
    const [created] = await syncHitlIssues(c, { repository: REPO, documents: [doc] });
    gh.repo(REPO).issues.get(created!.number!)!.state = "closed"; // reviewed and approved
    expect((await syncHitlIssues(c, { repository: REPO, documents: [doc] }))[0]!.action).toBe("kept-closed");
    const changed = { ...doc, lint: lint(78, "medium", ["scope_missing", "reference_missing"]) };
    expect((await syncHitlIssues(c, { repository: REPO, documents: [changed] }))[0]).toMatchObject({
      action: "reopened",
      number: created!.number,
    });
    expect(gh.repo(REPO).issues.get(created!.number!)!.state).toBe("open");
    expect(
      (await syncHitlIssues(c, { repository: REPO, documents: [{ ...doc, lint: lint(96, "high", []) }] }))[0]!.action,
    ).toBe("closed");
    expect(gh.repo(REPO).issues.get(created!.number!)).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(gh.repo(REPO).issues.size).toBe(1);
  });
});
