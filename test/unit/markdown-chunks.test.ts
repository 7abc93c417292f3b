import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMarkdown, parsingPieces } from "../../src/core/markdown/document.js";
import { readShared, REPO_ROOT, sharedPath } from "../helpers/shared.js";

const corpus = ["standards", "test-documents"].flatMap((dir) =>
  readdirSync(sharedPath("corpus", "specgate-docs", dir)).map((f) => readShared("corpus", "specgate-docs", dir, f)),
);
const fixtures = readdirSync(path.join(REPO_ROOT, "test", "fixtures", "extract-docs")).map((f) => readFileSync(path.join(REPO_ROOT, "test", "fixtures", "extract-docs", f), "utf8"));

describe("parsing long documents in pieces", () => {
  it("gives exactly the model of a single parse (corpus, reference documents and fixtures, small pieces)", () => {
    const reference = ["authoring-guide.md", "Phase1_SpecGate_Input_Standardization.md", "confluence-policy.md"].map((f) => readShared("reference", f));
    const all = [...corpus, ...reference, ...fixtures].join("\n\n");
    const whole = parseMarkdown(all, { chunkChars: Number.POSITIVE_INFINITY });
    for (const chunkChars of [1, 500, 4096]) {
      const pieces = parsingPieces(all, chunkChars);
      expect(pieces.length).toBeGreaterThan(20);
      expect(pieces.map((p) => p.text).join("")).toBe(all);
      expect(parseMarkdown(all, { chunkChars })).toEqual(whole);
    }
  });

  it("never cuts inside a fenced code block, an HTML comment or a <pre> block, or right after text", () => {
    const md = [
      "# A",
      "",
      "```md",
      "",
      "# not a heading in a fence",
      "```",
      "",
      "<!-- a comment",
      "",
      "# not a heading in a comment",
      "-->",
      "",
      "<pre>",
      "",
      "# not a heading in pre",
      "</pre>",
      "paragraph",
      "# cut not allowed here (no blank line before)",
      "",
      "# B",
      "",
      "~~~~",
      "~~~",
      "",
      "# still fenced: ~~~ does not close ~~~~",
      "~~~~",
      "",
      "# C",
    ].join("\n");
    const cuts = parsingPieces(md, 1).map((p) => p.line + 1);
    expect(cuts).toEqual([1, 20, 28]);
    expect(parseMarkdown(md, { chunkChars: 1 })).toEqual(parseMarkdown(md, { chunkChars: Number.POSITIVE_INFINITY }));
  });
});
