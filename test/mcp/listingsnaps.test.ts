/**
 * What the model sees of resources, resource templates and prompts is pinned next to the tool
 * snapshots: test/__toolsnaps__/resources.list.snap.json, resources.templates.snap.json and
 * prompts.list.snap.json (dotted names, which no snake_case tool can take).
 * Update after an intended change: `UPDATE_TOOLSNAPS=1 npx vitest run test/mcp/listingsnaps.test.ts`.
 * A missing snapshot is written on a developer machine and is an error in CI.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

const dir = new URL("../__toolsnaps__/", import.meta.url);

async function matchesSnapshot(name: string, value: unknown): Promise<void> {
  const file = new URL(`${name}.snap.json`, dir);
  const current = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_TOOLSNAPS || (!existsSync(file) && !process.env.CI)) await writeFile(file, current);
  expect(existsSync(file), `missing snapshot ${file.pathname}; run with UPDATE_TOOLSNAPS=1`).toBe(true);
  expect(current).toBe(await readFile(file, "utf8"));
}

describe("resource and prompt listing snapshots", () => {
  let h: Harness;
  let workspace: string;
  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), "specgate-snaps-"));
    // Confluence configured (never called), so its template is listed; a workspace without rules.
    h = await connectInMemory({
      env: {
        SPECGATE_WORKSPACE: workspace,
        CONFLUENCE_BASE_URL: "https://example.atlassian.net/wiki",
        CONFLUENCE_EMAIL: "bot@example.com",
        CONFLUENCE_API_TOKEN: "token",
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it("resources/list matches its snapshot", async () => {
    await matchesSnapshot("resources.list", (await h.client.listResources()).resources);
  });

  it("resources/templates/list matches its snapshot", async () => {
    await matchesSnapshot("resources.templates", (await h.client.listResourceTemplates()).resourceTemplates);
  });

  it("prompts/list matches its snapshot", async () => {
    await matchesSnapshot("prompts.list", (await h.client.listPrompts()).prompts);
  });
});
