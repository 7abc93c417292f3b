/** One match of an ast-grep rule, however it was found (a scan of files, or a buffer checked by the language server). */
export interface Match {
  /** The ast-grep rule's id. */
  ruleId: string;
  /** Relative to the directory checked. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  snippet: string;
}

const SNIPPET_MAX = 200;

/** A match's first line, trimmed and cut to 200 characters. */
export function snippetOf(line: string): string {
  const first = line.trim();
  return first.length > SNIPPET_MAX ? `${first.slice(0, SNIPPET_MAX - 1)}…` : first;
}
