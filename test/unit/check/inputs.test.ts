/** What rule_check reads: unified diffs, editor buffers' paths, and globs that must stay in the workspace. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDiff, touchesChange } from "../../../src/core/check/diff.js";
import { bufferPath, namedFiles, workspaceTargets } from "../../../src/core/check/sources.js";

const lines = (diff: string) => Object.fromEntries([...parseDiff(diff).files].map(([f, s]) => [f, [...s]]));

describe("unified diffs", () => {
  it("numbers added and changed lines in the new file; deleted files and removed lines count for nothing", () => {
    const diff = [
      "diff --git a/src/A.java b/src/A.java",
      "index 1111111..2222222 100644",
      "--- a/src/A.java",
      "+++ b/src/A.java",
      "@@ -1,3 +1,4 @@",
      " package x;",
      "-import a.B;",
      "+import a.C;",
      "+++ a line that looks like a header but is code",
      " class A {}",
      "@@ -10,2 +11,3 @@ class A {",
      " x();",
      "+y();",
      " z();",
      "\\ No newline at end of file",
      "diff --git a/gone.ts b/gone.ts",
      "deleted file mode 100644",
      "--- a/gone.ts",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-bye();",
      "diff --git a/new.ts b/new.ts",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/new.ts",
      "@@ -0,0 +1,2 @@",
      "+a();",
      "+b();",
      "",
    ].join("\n");
    expect(lines(diff)).toEqual({ "src/A.java": [2, 3, 12], "new.ts": [1, 2] });
  });

  it("reads `diff -u` paths without a/ b/ prefixes, quoted paths and CRLF", () => {
    expect(lines("--- old/x.ts\t2024-01-01\r\n+++ x.ts\t2024-01-02\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n")).toEqual({
      "x.ts": [1],
    });
    expect(lines('--- "a/sp ace.ts"\n+++ "b/sp ace.ts"\n@@ -0,0 +1 @@\n+x\n')).toEqual({ "sp ace.ts": [1] });
  });

  it("refuses text that is no diff, and tells whether a finding touches a change", () => {
    expect(() => parseDiff("just some text\n")).toThrow(/no file header/);
    const changes = parseDiff("--- a/f.ts\n+++ b/f.ts\n@@ -5,1 +5,1 @@\n-x\n+y\n");
    expect([
      touchesChange(changes, "f.ts", 5, 5),
      touchesChange(changes, "f.ts", 3, 6),
      touchesChange(changes, "f.ts", 6, 9),
      touchesChange(changes, "g.ts", 5, 5),
    ]).toEqual([true, true, false, false]);
  });
});

describe("editor buffers' paths", () => {
  it("are made relative to the repository root", () => {
    expect(bufferPath("src/A.java", "/repo", "f")).toBe("src/A.java");
    expect(bufferPath("./src/../lib/x.ts", "/repo", "f")).toBe("lib/x.ts");
    expect(bufferPath("src\\win\\A.java", "/repo", "f")).toBe("src/win/A.java");
    expect(bufferPath("/repo/src/A.java", "/repo", "f")).toBe("src/A.java");
  });

  it.each([
    "../outside.ts",
    "src/../../x.ts",
    "/etc/passwd",
    "",
    ".",
    "a\u0000.ts",
    "src/\u202Egnp.ts",
    "x\nb.ts",
    "\uD800.ts",
  ])("refuse %j", (p) => {
    expect(() => bufferPath(p, "/repo", "files[0].path")).toThrow(/files\[0\]\.path/);
  });
});

describe("paths under the workspace, as ast-grep's walk", () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "specgate-ws-"));
    outside = await mkdtemp(path.join(tmpdir(), "specgate-outside-"));
    await writeFile(path.join(outside, "secret.ts"), "console.log(1);\n");
    for (const f of ["src/a.ts", "src/deep/b.ts", "web/c.ts"]) {
      await mkdir(path.dirname(path.join(root, f)), { recursive: true });
      await writeFile(path.join(root, f), "x\n");
    }
    await symlink(path.join(outside, "secret.ts"), path.join(root, "src", "link.ts"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("walk a glob's fixed directories, a directory whole, a file by name; nested paths once", async () => {
    expect(await workspaceTargets(root, ["src/**/*.ts", "src/deep", "web/c.ts"])).toMatchObject({
      paths: ["src", "web/c.ts"],
      globs: ["src/**/*.ts", "src/deep/**", "web/c.ts"],
    });
    expect(await workspaceTargets(root, ["**/*.ts", "src"])).toMatchObject({
      paths: ["."],
      globs: ["**/*.ts", "src/**"],
    });
    expect(await workspaceTargets(root, ["."])).toMatchObject({ paths: ["."], globs: [] });
  });

  it.each(["../*", "/etc/**", "src/../../x", "C:\\x"])("refuse %j", async (g) => {
    await expect(workspaceTargets(root, [g])).rejects.toMatchObject({ code: "E_INVALID_INPUT" });
  });

  it("refuse a named link out of the workspace, and say when a named path does not exist", async () => {
    await expect(workspaceTargets(root, ["src/link.ts"])).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
      message: expect.stringMatching(/leads outside the workspace/),
    });
    await expect(workspaceTargets(root, ["nope"])).rejects.toMatchObject({ code: "E_NOT_FOUND" });
    expect(await namedFiles(root, ["src/a.ts", "src/link.ts", "gone.ts", "../x.ts"])).toMatchObject({
      paths: ["src/a.ts"],
      skipped: [
        { file: "src/link.ts", reason: "a link that leads outside the workspace" },
        { file: "../x.ts", reason: "outside the workspace" },
      ],
    });
  });
});
