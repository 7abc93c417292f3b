/**
 * A rule's violation patterns sorted by kind (src/core/astgrep/patterns.ts says how the kind is
 * read): regexes go to `validation_conditions.code_patterns`, structural ast-grep patterns to
 * `validation_conditions.structural_patterns`. A regex written between slashes keeps them only
 * when it would otherwise read as structural (`/foo(bar)/`), so every reader gets the same kind.
 */
import { classifyPattern, inlineFlags } from "../astgrep/patterns.js";

export function splitPatterns(patterns: readonly string[]): { code: string[]; structural: string[] } {
  const code: string[] = [];
  const structural: string[] = [];
  for (const raw of patterns) {
    const p = classifyPattern(raw);
    if (p.kind === "structural") {
      if (!structural.includes(p.text)) structural.push(p.text);
      continue;
    }
    const regex = inlineFlags(p);
    const stored = classifyPattern(regex).kind === "regex" ? regex : `/${p.text}/${p.flags ?? ""}`;
    if (!code.includes(stored)) code.push(stored);
  }
  return { code, structural };
}
