/**
 * Every regular expression in src/ is audited for super-linear matching time, statically:
 * each literal goes through scslre (which finds exponential and polynomial backtracking, and
 * the O(n²) "move" of an unanchored pattern retried at every position), and every
 * `new RegExp(…)` site must be known. What scslre flags must either be fixed or be listed below
 * with the reason it is linear or bounded on the text it sees; a listed entry that is no longer
 * flagged must be removed, so the list stays true. The adversarial inputs in
 * linear-inputs.test.ts then prove linearity end to end, through the tools.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { analyse } from "scslre";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/spawn.js";

/** `file: regex literal` → why it cannot take super-linear time on what it is applied to. */
const JUSTIFIED: Record<string, string> = {
  "src/cli/commands/fetch.ts: /^-+|-+$/g":
    "runs of non-letters were just collapsed to a single '-', so each start scans one character",
  "src/cli/commands/fetch.ts: /-+$/": "applied to a slug cut to 60 characters",
  "src/cli/hitl.ts: /^ {0,3}#[ \\t]+(.*)$/m":
    "`(.*)$` with the m flag cannot fail (`.` stops only at a line end, where `$` matches); input cut to 64 KiB",
  "src/core/confluence/urls.ts: /=+$/": "applied to the base64 of 8 bytes (12 characters)",
  "src/core/confluence/urls.ts: /A+$/": "applied to the base64 of 8 bytes (12 characters)",
  "src/core/extract/context.ts: /\\s*[(（][^)）]*[)）]\\s*$/": "applied to text cut to 300 characters",
  "src/core/extract/context.ts: /[^\\p{L}\\p{N}]+$/u": "applied to text cut to 300 characters",
  "src/core/extract/keyword.ts: /\\s*[:：]$/":
    "white space was collapsed to single spaces first, so `\\s*` spans at most one character",
  "src/core/extract/scope.ts: /[*?]|\\{[^}]*\\}/":
    "applied to one token of at most 240 characters (longer tokens are skipped)",
  "src/core/extract/scope.ts: /[`'\"”’)>\\],;]+$/": "applied to one token of at most 240 characters",
  "src/core/extract/scope.ts: /[.:：。]+$/": "applied to one token of at most 240 characters",
  'src/core/github/client.ts: /<([^>]*)>\\s*;\\s*rel="([^"]*)"/g':
    "applied to GitHub's Link header, bounded by the HTTP client's header size limit",
  "src/core/lint/rules/rule_type_mismatch.ts: /[(（]\\s*([^)）\\n]{1,20}?)\\s*[)）]/":
    "the lazy group is bounded ({1,20}): at most 20 steps per bracket, linear overall",
  "src/core/markdown/document.ts: /^((?:\\d+\\.)*\\d+)\\.?\\s+(.*)$/s":
    "anchored (one start) and `(.*)$` with the s flag cannot fail: one pass",
  "src/core/markdown/document.ts: /^ {0,3}(`{3,}|~{3,})(.*)$/s":
    "anchored (one start) and `(.*)$` with the s flag cannot fail: one pass",
  "src/core/markdown/rule-statements.ts: /^(\\*\\*|__)?\\s*(RULE-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\\s*(?:(?:\\*\\*|__)\\s*)?(?:[(（]\\s*([^)）\\n]{1,20}?)\\s*[)）]\\s*)?(?:(?:\\*\\*|__)\\s*)?(?:[:：]\\s*)?(.*)$/is":
    "anchored (one start); once the id has matched every later part is optional and `(.*)$` with the s flag cannot fail: one pass",
  "src/core/markdown/rule-statements.ts: /^(?:\\*\\*|__)?\\s*(적용\\s*범위|적용범위|범위|scope|applies\\s+to|근거|이유|rationale|reason|why|참조|참고|references?|ref|see|(?:위반|금지|검증|코드)\\s*패턴|(?:violation|forbidden|code|detection)\\s+patterns?)\\s*(?:(?:\\*\\*|__)\\s*)?[:：]\\s*(?:(?:\\*\\*|__)\\s*)?(.*)$/is":
    "anchored (one start); before the colon one run of white space is backtracked once, after it nothing can fail: linear",
};

/** `new RegExp(…)` sites: `file: first 60 characters of the expression` → why they are safe. */
const DYNAMIC: Record<string, string> = {
  'src/core/convert/escape.ts: new RegExp(`${TEXT_ESCAPE.source}|[[\\\\]]`, "g")':
    "built from a constant character class",
  'src/core/extract/area.ts: new RegExp(`${ko.join("|")}|\\\\b(?:${english.join("|")})\\\\b`,':
    "an alternation of constant words",
  'src/core/extract/dependency.ts: new RegExp(`(?:^|\\\\s)(?:${Object.keys(VERBS_EN).join("|")})[':
    "an alternation of constant words between whitespace",
  'src/core/extract/context.ts: new RegExp(`^[\\\\s*_>\\\\-]*(?:${BAD_MARKER.source})`, "i")':
    "a constant anchored pattern",
  'src/core/extract/context.ts: new RegExp(`^[\\\\s*_>\\\\-]*(?:${GOOD_MARKER.source})`, "i")':
    "a constant anchored pattern",
  'src/core/astgrep/patterns.ts: new RegExp(p.text, (p.flags ?? "").replace(/[^ims]/g, ""))':
    "compiled to check a document's regex is valid, never executed (ast-grep runs it, in Rust's linear-time engine)",
  "src/core/generate/archunit.ts: new RegExp(n.name_pattern)": "compiled to check it is valid, never executed",
  "src/core/generate/semgrep-check.ts: new RegExp(body)": "compiled to check it is valid, never executed",
  'src/core/lint/rules/design_rules_keywords_missing.ts: new RegExp(`(?:^|[^A-Za-z])(?:${words.map(escape).join("|")}':
    "an alternation of escaped literal words",
  'src/core/lint/ruleset/compile.ts: new RegExp(pattern, flags ?? "")':
    "ruleset patterns (bundled or from the workspace) are refused when a quantified group contains a quantifier or a backreference (unsafePattern)",
  'src/core/convert/includes.ts: new RegExp(EXCERPT_OPEN.source, "gi")':
    "a fresh copy (its own lastIndex) of the literal EXCERPT_OPEN, which scslre audits with the others",
  'src/core/convert/includes.ts: new RegExp(BODY_TOKENS.source, "g")':
    "a fresh copy (its own lastIndex) of the literal BODY_TOKENS, which scslre audits with the others",
  'src/core/markdown/document.ts: new RegExp(`</${m[1]}>`, "i")':
    "a literal closing tag of a fixed set (script, pre, style, textarea)",
};

interface Found {
  literals: Map<string, string[]>;
  dynamic: string[];
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (full.endsWith(".ts")) out.push(full);
  }
  return out;
}

function scan(): Found {
  const literals = new Map<string, string[]>();
  const dynamic: string[] = [];
  for (const file of sources(path.join(ROOT, "src"))) {
    const rel = path.relative(ROOT, file).split(path.sep).join("/");
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(sf);
        const list = literals.get(rel) ?? [];
        list.push(text);
        literals.set(rel, list);
      }
      if (ts.isNewExpression(node) && node.expression.getText(sf) === "RegExp")
        dynamic.push(`${rel}: ${node.getText(sf).slice(0, 60)}`);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { literals, dynamic };
}

describe("regular expressions in src/ (static audit)", () => {
  const found = scan();

  it("finds them all (the scan itself works)", () => {
    const count = [...found.literals.values()].reduce((n, l) => n + l.length, 0);
    expect(count).toBeGreaterThan(300);
  });

  it("every super-linear one is fixed or justified, and every justification is still needed", () => {
    const flagged = new Map<string, string>();
    for (const [file, list] of found.literals) {
      for (const text of list) {
        const slash = text.lastIndexOf("/");
        const result = analyse(
          { source: text.slice(1, slash), flags: text.slice(slash + 1) },
          { reportTypes: { Move: true, Self: true, Trade: true } },
        );
        if (result.reports.length === 0) continue;
        const kinds = [
          ...new Set(
            result.reports.map(
              (r) => `${r.type}${r.exponential ? " (exponential)" : ""} on ${JSON.stringify(r.character.pick)}`,
            ),
          ),
        ];
        flagged.set(`${file}: ${text}`, kinds.join(", "));
      }
    }
    const unexplained = [...flagged].filter(([key]) => !(key in JUSTIFIED)).map(([key, why]) => `${key} — ${why}`);
    expect(unexplained, "fix these (src/core/text.ts has linear helpers) or justify them in JUSTIFIED").toEqual([]);
    const stale = Object.keys(JUSTIFIED).filter((key) => !flagged.has(key));
    expect(stale, "no longer flagged: remove from JUSTIFIED").toEqual([]);
    // Nothing exponential may be justified: bounded input is no excuse for 2^n.
    expect([...flagged.values()].filter((v) => v.includes("exponential"))).toEqual([]);
  });

  it("every RegExp built at run time is known", () => {
    expect(found.dynamic.filter((site) => !(site in DYNAMIC))).toEqual([]);
    expect(Object.keys(DYNAMIC).filter((site) => !found.dynamic.includes(site))).toEqual([]);
  });
});
