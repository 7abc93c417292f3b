import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/spawn.js";

describe("specgate binary", () => {
  it("works as the installed binary (stdin to stdout)", async () => {
    const r = await runBin(["convert", "-"], { input: "<h3>bin</h3>" });
    expect(r).toMatchObject({ code: 0, stdout: "### bin\n" });
  });
});
