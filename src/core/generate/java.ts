/**
 * Java source helpers for the ArchUnit generator: string literals that survive any source
 * encoding, comments that cannot be broken by user text, identifiers and package names, and a
 * conservative check of hand-written ArchUnit rule expressions.
 */

const KEYWORDS = new Set(
  (
    "abstract assert boolean break byte case catch char class const continue default do double else enum extends final " +
    "finally float for goto if implements import instanceof int interface long native new package private protected public " +
    "return short static strictfp super switch synchronized this throw throws transient try void volatile while true false null _ " +
    "var yield record sealed permits"
  ).split(" "),
);

export function isJavaIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !KEYWORDS.has(name);
}

/** `com.example.app`: dot-separated identifiers, none a keyword. */
export function isJavaPackage(name: string): boolean {
  return name.length > 0 && name.length <= 200 && name.split(".").every(isJavaIdentifier);
}

/**
 * A Java string literal with everything outside printable ASCII written as `\uXXXX`, so the
 * file compiles whatever encoding javac assumes, and `\` and `"` escaped.
 */
export function javaString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code > 0xffff) {
      const hi = 0xd800 + ((code - 0x10000) >> 10);
      const lo = 0xdc00 + ((code - 0x10000) & 0x3ff);
      out += `\\u${hi.toString(16).padStart(4, "0")}\\u${lo.toString(16).padStart(4, "0")}`;
    } else out += `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

/**
 * Text safe inside a `//` comment: one line, and every backslash doubled so no `\u000a`
 * (which javac translates before lexing) can end the comment.
 */
export function javaCommentText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Checks a hand-written ArchUnit rule expression (`ci_info.archunit_rule.rule_definition`) before
 * it is pasted into the test class: one expression, balanced parentheses, plain string literals,
 * no statements, blocks, comments or Unicode escapes. Returns the trimmed expression (without a
 * trailing `;`) or the problem.
 */
export function checkRuleExpression(source: string): { expression: string } | { problem: string } {
  const expr = source.trim().replace(/;\s*$/, "").trim();
  if (!expr) return { problem: "rule_definition is empty" };
  if (expr.length > 4000) return { problem: "rule_definition is longer than 4000 characters" };
  if (expr.includes("\\u")) return { problem: "rule_definition contains a \\u escape" };
  if (!/^[A-Za-z_$]/.test(expr)) return { problem: "rule_definition must start with a method call such as classes()" };
  let depth = 0;
  let outside = "";
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (ch === '"') {
      let j = i + 1;
      for (; j < expr.length && expr[j] !== '"'; j++) {
        if (expr[j] === "\n" || expr[j] === "\r") return { problem: "a string literal spans lines" };
        if (expr[j] === "\\") j++;
      }
      if (j >= expr.length) return { problem: "a string literal is not closed" };
      outside += '""';
      i = j;
      continue;
    }
    if (!/[A-Za-z0-9_$.,()<>?:+\-\s]/.test(ch))
      return { problem: `rule_definition may not contain ${JSON.stringify(ch)} outside string literals` };
    if (ch === "(") depth++;
    if (ch === ")" && --depth < 0) return { problem: "unbalanced parentheses" };
    outside += ch;
  }
  if (depth !== 0) return { problem: "unbalanced parentheses" };
  const compact = outside.replace(/\s+/g, "");
  if (/\.\.|\.\(|\(\.|,\)|\(,|,,|[.,]$/.test(compact))
    return { problem: "rule_definition is not a well-formed method chain" };
  if (!compact.endsWith(")")) return { problem: "rule_definition must end with a method call" };
  return { expression: expr };
}

/** `import a.b.C;` targets: dotted identifiers, optionally ending in `.*`. */
export function isImportName(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*(\.\*)?$/.test(name) && name.length <= 300;
}
