/** Violation patterns: the kind each is read as (by syntax alone), and their Semgrep form. */
import { describe, expect, it } from "vitest";
import {
  classifyPattern,
  metavariables,
  patternShapeProblem,
  toSemgrepPattern,
  astGrepRegexProblem,
} from "../../../src/core/astgrep/patterns.js";
import { splitPatterns } from "../../../src/core/extract/pattern-kinds.js";

describe("pattern kinds", () => {
  it.each([
    ["$LOG.info($$$ARGS, $REQ.getBody())", "structural", "metavariable"],
    ["console.log($$$A)", "structural", "metavariable"],
    ["$$$", "structural", "metavariable"],
    ["eval($_)", "structural", "metavariable"],
    ["$ARR[$I]", "structural", "metavariable"],
    ["console.log(x)", "structural", "code_punctuation"],
    ["new Thread()", "structural", "code_punctuation"],
    ["@GetMapping\\(.*\\)", "regex", "regex_syntax"],
    ["System\\.out\\.println\\(", "regex", "regex_syntax"],
    ["console\\.(log|info)\\(.*password", "regex", "regex_syntax"],
    ["^import .*repository", "regex", "regex_syntax"],
    ["password$", "regex", "regex_syntax"],
    ["\\$[A-Z]+", "regex", "regex_syntax"],
    ["System.out.println", "regex", "plain_text"],
    ["@Deprecated", "regex", "plain_text"],
    ["/foo(bar)/", "regex", "slashes"],
    ["/secret/i", "regex", "slashes"],
  ])("%s → %s (%s)", (pattern, kind, reason) => {
    expect(classifyPattern(pattern)).toMatchObject({ kind, reason });
  });

  it("keeps a jQuery-style `$el` and a regex `$` anchor out of metavariables", () => {
    expect(metavariables("$el.hide()")).toEqual([]);
    expect(metavariables("foo$")).toEqual([]);
    expect(metavariables("f($A, $$$REST, $_, $$B)")).toEqual(["$A", "$$$REST", "$_", "$B"]);
  });

  it("gives the slashes' flags to ast-grep and Semgrep inline", () => {
    expect(classifyPattern("/secret/i")).toEqual({ kind: "regex", text: "secret", reason: "slashes", flags: "i" });
  });

  it("writes structural patterns in Semgrep's syntax: $$$ARGS → $...ARGS, $$$ → ...", () => {
    expect(toSemgrepPattern("$LOG.info($$$ARGS, $REQ.getBody())")).toBe("$LOG.info($...ARGS, $REQ.getBody())");
    expect(toSemgrepPattern("foo($$$)")).toBe("foo(...)");
    expect(toSemgrepPattern("bar($$X, $_)")).toBe("bar($X, $_)");
  });

  it("refuses what can never be a check before any parser runs", () => {
    expect(patternShapeProblem(classifyPattern("/x(/"))).toMatch(/does not compile as a regex/);
    expect(
      patternShapeProblem(classifyPattern(`f(${Array.from({ length: 300 }, (_, i) => `$A${i}`).join(", ")})`)),
    ).toMatch(/300 metavariables; the limit is 200/);
    expect(patternShapeProblem(classifyPattern("x".repeat(5000)))).toMatch(/limit is 4000/);
    // Valid for Semgrep, not for ast-grep's regex engine.
    expect(patternShapeProblem(classifyPattern("http://(?!localhost)"))).toBeUndefined();
    expect(astGrepRegexProblem(classifyPattern("http://(?!localhost)"))).toMatch(/look-around/);
  });

  it("sorts a document's patterns into code_patterns (regex) and structural_patterns", () => {
    expect(
      splitPatterns(["console.log($$$A)", "@GetMapping\\(.*\\)", "/foo(bar)/", "/secret/i", "System.out.println"]),
    ).toEqual({
      structural: ["console.log($$$A)"],
      code: ["@GetMapping\\(.*\\)", "/foo(bar)/", "(?i)secret", "System.out.println"],
    });
    // What is stored reads back as the same kind.
    for (const p of ["/foo(bar)/", "(?i)secret"]) expect(classifyPattern(p).kind).toBe("regex");
  });
});
