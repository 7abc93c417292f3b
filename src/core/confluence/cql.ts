/**
 * CQL built from user input. Every value is a double-quoted CQL string with `\` and `"`
 * escaped, so a title like `He said "hi" \o/` can neither end the string early nor inject
 * clauses. Control characters cannot appear in Confluence titles, labels or space keys and are
 * refused.
 */
import { SpecGateError } from "../../errors.js";

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A CQL string literal for `value`. */
export function cqlString(value: string, what = "value"): string {
  if (CONTROL.test(value))
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `The ${what} contains control characters (newlines, tabs…), which Confluence does not allow.`,
    );
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Pages (and blog posts) carrying `label`, optionally in one space. */
export function labelCql(label: string, spaceKey?: string): string {
  const parts = [`label = ${cqlString(label, "label")}`];
  if (spaceKey) parts.push(`space = ${cqlString(spaceKey, "space key")}`);
  parts.push("type in (page, blogpost)");
  return parts.join(" AND ");
}

/** The page titled exactly `title` in `spaceKey`. */
export function titleCql(spaceKey: string, title: string): string {
  return `space = ${cqlString(spaceKey, "space key")} AND title = ${cqlString(title, "title")} AND type = page`;
}
