import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../helpers/cli.js";

describe("specgate CLI", () => {
  it("prints help and version, exit 0", async () => {
    const help = await runCliInProcess(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: specgate/);
    expect(help.stdout).toMatch(/serve/);
    expect(help.stdout).toMatch(/convert/);
    const version = await runCliInProcess(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("exits 2 on usage errors", async () => {
    expect((await runCliInProcess(["no-such-command"])).code).toBe(2);
    expect((await runCliInProcess(["convert", "--no-such-flag"])).code).toBe(2);
  });

  it("converts a file to Markdown on stdout, and stdin with -", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "specgate-cli-"));
    const file = path.join(dir, "page.xhtml");
    await writeFile(file, "<h1>SpecGate API 설계서</h1><p>본문</p>");
    const fromFile = await runCliInProcess(["convert", file]);
    expect(fromFile).toMatchObject({ code: 0, stdout: "# SpecGate API 설계서\n\n본문\n" });
    const fromStdin = await runCliInProcess(["convert", "-"], { stdin: "<h2>stdin</h2>" });
    expect(fromStdin).toMatchObject({ code: 0, stdout: "## stdin\n" });
    const json = await runCliInProcess(["convert", file, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      markdown: "# SpecGate API 설계서\n\n본문\n",
      stats: { format: "html" },
    });
  });

  it("passes the page context options to the converter", async () => {
    const page =
      '<p><ac:link><ri:page ri:content-title="Other Page" /></ac:link> ' +
      '<ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">PAY-12</ac:parameter></ac:structured-macro></p>';
    const r = await runCliInProcess(
      [
        "convert",
        "-",
        "--base-url",
        "https://acme.atlassian.net/wiki",
        "--space-key",
        "PAY",
        "--jira-base-url",
        "https://acme.atlassian.net",
      ],
      { stdin: page },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[Other Page](https://acme.atlassian.net/wiki/display/PAY/Other+Page)");
    expect(r.stdout).toContain("[PAY-12](https://acme.atlassian.net/browse/PAY-12)");
  });

  it("exits 2 with a clear message for a missing file or an input over 10 MB", async () => {
    const missing = await runCliInProcess(["convert", "/no/such/file.html"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/E_NOT_FOUND: Cannot read \/no\/such\/file\.html/);
    const big = await runCliInProcess(["convert", "-"], { stdin: "a".repeat(10 * 1024 * 1024 + 1) });
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/E_TOO_LARGE/);
  });
});
