import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMarkdown, parsingPieces } from "../../src/core/markdown/document.js";
import { corpusPath, fixturePath, readCorpusSync, readFixtureSync, referencePath } from "../helpers/fixtures.js";

const corpus = ["standards", "test-documents"].flatMap((dir) =>
  readdirSync(corpusPath("specgate-docs", dir)).map((f) => readCorpusSync("specgate-docs", dir, f)),
);
const fixtures = readdirSync(fixturePath("extract-docs")).map((f) => readFixtureSync("extract-docs", f));

describe("parsing long documents in pieces", () => {
  it("gives exactly the model of a single parse (corpus, reference documents and fixtures, small pieces)", () => {
    const reference = ["authoring-guide.md", "SpecGate-Performance-Design.seed.md"].map((f) =>
      readFileSync(referencePath(f), "utf8"),
    );
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
      "",
      "   ```",
      "",
      "# still fenced: a fence may be indented up to three spaces",
      "  ```",
      "",
      "# D",
      "",
      "``` not `a fence`",
      "",
      "# E",
    ].join("\n");
    const cuts = parsingPieces(md, 1).map((p) => p.line + 1);
    expect(cuts).toEqual([1, 20, 28, 35, 39]);
    // The last line is read without its line break: a bare `#` there is still a heading.
    expect(parsingPieces("# A\n\ntext\n\n#\n", 1).map((p) => p.line + 1)).toEqual([1, 5]);
    expect(parseMarkdown(md, { chunkChars: 1 })).toEqual(parseMarkdown(md, { chunkChars: Number.POSITIVE_INFINITY }));
  });
});
