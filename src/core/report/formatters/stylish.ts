/**
 * The stylish (ESLint-like) rows of diagnostics, for terminals: one row per diagnostic,
 * positions aligned within the list, the severity padded, the message on one line, then a label
 * (by default the code). Producers put their own header and summary around the rows.
 */
import type { Diagnostic } from "../diagnostic.js";
import { joinLines } from "../../text.js";

export interface StylishOptions {
  /** What follows the message; default the code. */
  label?: (d: Diagnostic) => string;
}

/** The rows (without line breaks), e.g. `  12:3  warning  RULE-API-001 has no scope.  scope_missing`. */
export function stylishRows(diagnostics: readonly Diagnostic[], options: StylishOptions = {}): string[] {
  const label = options.label ?? ((d: Diagnostic) => d.code);
  const pos = (d: Diagnostic) => `${d.line ?? 1}:${d.column ?? 1}`;
  const width = Math.max(0, ...diagnostics.map((d) => pos(d).length));
  return diagnostics.map(
    (d) => `  ${pos(d).padEnd(width)}  ${d.severity.padEnd(7)}  ${joinLines(d.message)}  ${label(d)}`,
  );
}
