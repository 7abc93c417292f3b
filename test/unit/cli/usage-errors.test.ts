/** Command-line mistakes get a usage error (exit 2) that says what is wrong, before any work starts. */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCliInProcess } from "../../helpers/cli.js";
import { FIXTURES } from "../generate/helpers.js";

const SECURITY = path.join(FIXTURES, "rules", "standards-security.json");
const JAVA_LAYERED = path.join(FIXTURES, "rules", "java-layered.json");
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "specgate-usage-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("specgate usage errors", () => {
  it("refuses serve with both transports, or HTTP options with --stdio", async () => {
    for (const args of [
      ["--stdio", "--http"],
      ["--stdio", "--port", "4000"],
    ]) {
      const r = await runCliInProcess(["serve", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/option '--stdio' cannot be used with option '--(http|port)/);
    }
  });

  it("checks URL options of convert", async () => {
    for (const option of ["--base-url", "--jira-base-url"]) {
      const r = await runCliInProcess(["convert", "-", option, "notaurl"], { stdin: "<p>x</p>" });
      expect(r.code, option).toBe(2);
      expect(r.stderr).toContain(
        `option '${option} <url>' argument 'notaurl' is invalid. expected an absolute http(s) URL`,
      );
      expect(r.stdout).toBe("");
    }
    const ok = await runCliInProcess(["convert", "-", "--base-url", "https://acme.atlassian.net/wiki"], {
      stdin: "<p>x</p>",
    });
    expect(ok).toMatchObject({ code: 0, stdout: "x\n" });
  });

  it("shows numeric defaults as numbers and checks them", async () => {
    const help = await runCliInProcess(["fetch", "--help"]);
    expect(help.stdout).toContain("(default: 1000)");
    const bad = await runCliInProcess(["fetch", "--label", "x", "--max", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--max <n>' argument '0' is invalid. expected a whole number ≥ 1.");
  });

  it("generates no ArchUnit test by default for a project that is not Java, and does for one that is", async () => {
    const plain = await runCliInProcess(["generate", JAVA_LAYERED], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(`${plain.stdout}${plain.stderr}`).not.toMatch(/archunit/i);
    await writeFile(path.join(dir, "pom.xml"), "<project/>\n");
    const java = await runCliInProcess(["generate", JAVA_LAYERED], { cwd: dir });
    expect(java.stdout).toMatch(/DesignRulesArchTest\.java\tarchunit/);
  });

  it("fails at once, without writing, when --out cannot be created", async () => {
    const proc = await runCliInProcess(["generate", SECURITY, "--targets", "mdc", "--out", "/proc/specgate-x/y"], {
      cwd: dir,
    });
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/E_CONFIG: Cannot use \/proc\/specgate-x\/y as the output directory: ENOENT/);
    await writeFile(path.join(dir, "file"), "");
    const underFile = await runCliInProcess(["generate", SECURITY, "--targets", "mdc", "--out", "file/out"], {
      cwd: dir,
    });
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toMatch(/E_CONFIG: Cannot use .*file\/out as the output directory: ENOTDIR/);
    expect(await readdir(dir)).toEqual(["file"]);
  });
});
