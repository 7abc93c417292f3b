/**
 * What the model sees of each tool (name, description, schemas, annotations) is pinned in
 * test/__toolsnaps__/<tool>.snap.json so that any change shows up in review.
 * Update after an intended change: `UPDATE_TOOLSNAPS=1 npx vitest run test/mcp/toolsnaps.test.ts`.
 * A missing snapshot is written on a developer machine and is an error in CI.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { describeTool } from "../../src/server.js";
import { TOOLS } from "../../src/tools/index.js";

const dir = new URL("../__toolsnaps__/", import.meta.url);

describe("tool schema snapshots", () => {
  for (const tool of TOOLS) {
    it(`${tool.name} matches its snapshot`, async () => {
      const file = new URL(`${tool.name}.snap.json`, dir);
      const current = `${JSON.stringify(describeTool(tool), null, 2)}\n`;
      if (process.env.UPDATE_TOOLSNAPS || (!existsSync(file) && !process.env.CI)) {
        await writeFile(file, current);
      }
      expect(existsSync(file), `missing snapshot ${file.pathname}; run with UPDATE_TOOLSNAPS=1`).toBe(true);
      expect(current).toBe(await readFile(file, "utf8"));
    });
  }

  it("every tool declares all four annotations and snake_case names", () => {
    for (const tool of TOOLS) {
      expect(tool.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(Object.keys(tool.annotations).sort()).toEqual([
        "destructiveHint",
        "idempotentHint",
        "openWorldHint",
        "readOnlyHint",
      ]);
      if (tool.annotations.readOnlyHint) expect(tool.annotations.destructiveHint).toBe(false);
    }
  });
});
