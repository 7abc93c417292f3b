/**
 * What SpecGate says about itself: serverInfo in `initialize`, and server.json for the MCP registry
 * (valid against the registry schema's constraints, in step with package.json).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterEach, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { fixturePath } from "../helpers/fixtures.js";
import { ROOT } from "../helpers/spawn.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const pkg = json(path.join(ROOT, "package.json")) as {
  name: string;
  version: string;
  mcpName: string;
  files: string[];
};
const serverJson = json(path.join(ROOT, "server.json")) as {
  name: string;
  title: string;
  version: string;
  websiteUrl: string;
  icons: { src: string }[];
  packages: { registryType: string; identifier: string; version: string; transport: { type: string } }[];
};
const ICON = readFileSync(path.join(ROOT, "assets", "specgate-icon.svg"), "utf8").trim();

function registryValidator() {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  return ajv.compile(json(fixturePath("schemas", "mcp-registry-server.subset.schema.json")));
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("server metadata", () => {
  it("serverInfo has a title, the website, the package version and an SVG icon needing no fetch", async () => {
    h = await connectInMemory();
    const info = h.client.getServerVersion()!;
    expect(info).toMatchObject({
      name: "specgate",
      title: "SpecGate",
      version: pkg.version,
      websiteUrl: serverJson.websiteUrl,
    });
    const icon = info.icons![0]!;
    expect(icon).toMatchObject({ mimeType: "image/svg+xml", sizes: ["any"] });
    const [head, data] = icon.src.split(",");
    expect(head).toBe("data:image/svg+xml;base64");
    // The same icon as the file shipped in the package, which server.json points to.
    expect(Buffer.from(data!, "base64").toString("utf8")).toBe(ICON);
    expect(ICON).not.toMatch(/<script|href=|url\(/i);
  });

  it("server.json is valid for the MCP registry and agrees with package.json", () => {
    const validate = registryValidator();
    expect(validate(serverJson), JSON.stringify(validate.errors)).toBe(true);
    expect(serverJson.name).toBe(pkg.mcpName);
    expect(serverJson.version).toBe(pkg.version);
    expect(serverJson.packages).toEqual([
      expect.objectContaining({
        registryType: "npm",
        identifier: pkg.name,
        version: pkg.version,
        transport: { type: "stdio" },
      }),
    ]);
    expect(serverJson.icons[0]!.src).toMatch(/\/assets\/specgate-icon\.svg$/);
    expect(pkg.files).toContain("assets");
  });

  it("the registry constraints refuse what the registry refuses", () => {
    const validate = registryValidator();
    const bad = [
      { ...serverJson, description: "x".repeat(101) },
      { ...serverJson, name: "specgate" },
      { ...serverJson, packages: [{ ...serverJson.packages[0], version: "latest" }] },
      { ...serverJson, version: "^0.1.0" },
      { ...serverJson, icons: [{ src: `data:image/svg+xml;base64,${"A".repeat(300)}` }] },
    ];
    for (const doc of bad) expect(validate(doc), JSON.stringify(doc).slice(0, 120)).toBe(false);
  });
});
