/**
 * `specgate fetch` with the TLS client certificate and CA named in `.specgate.yaml` (paths
 * relative to the file), against a Confluence behind an https front that requires them.
 */
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess as cli } from "../../helpers/cli.js";
import { FakeConfluence, corpusPages } from "../../helpers/fake-confluence.js";
import { MtlsFront, makePki, type Pki } from "../../helpers/mtls.js";

let pki: Pki;
let fake: FakeConfluence;
let front: MtlsFront;
beforeAll(async () => {
  pki = await makePki();
  fake = await FakeConfluence.start({ flavour: "datacenter", pages: corpusPages() });
  front = await MtlsFront.start(pki, fake.origin);
}, 120_000);
afterAll(async () => {
  await front?.close();
  await fake?.close();
  await pki?.remove();
});

async function project(name: string, yaml: string): Promise<string> {
  const dir = path.join(pki.dir, name);
  await mkdir(path.join(dir, ".git"), { recursive: true });
  await mkdir(path.join(dir, "certs"), { recursive: true });
  for (const f of [pki.files.clientCert, pki.files.clientKey, pki.files.ca])
    await copyFile(f, path.join(dir, "certs", path.basename(f)));
  await writeFile(path.join(dir, ".specgate.yaml"), yaml);
  return dir;
}

describe("the configuration file's Confluence TLS settings", () => {
  it("fetch presents the client certificate named in the file, trusting its CA", async () => {
    const { CONFLUENCE_BASE_URL: _direct, ...credentials } = fake.env();
    const dir = await project(
      "tls",
      [
        "confluence:",
        `  base_url: ${front.origin}${fake.contextPath}`,
        "  client_cert: certs/client.pem",
        "  client_key: certs/client.key",
        "  ca_cert: certs/ca.pem",
        "",
      ].join("\n"),
    );
    const r = await cli(["fetch", "--page-id", "1844969501"], { cwd: dir, env: credentials });
    expect(r.stderr).not.toMatch(/E_/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents[0].title).toBe("지원");
    expect(front.seen.map((s) => s.client)).toContain("specgate-client");
  });

  it("a certificate without its key is exit 2 naming CONFLUENCE_CLIENT_KEY", async () => {
    const { CONFLUENCE_BASE_URL: _direct, ...credentials } = fake.env();
    const dir = await project(
      "tls-half",
      `confluence:\n  base_url: ${front.origin}${fake.contextPath}\n  client_cert: certs/client.pem\n`,
    );
    const r = await cli(["fetch", "--page-id", "1844969501"], { cwd: dir, env: credentials });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_CONFIG.*set CONFLUENCE_CLIENT_KEY too/);
  });
});
