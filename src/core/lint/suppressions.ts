/**
 * In-document suppressions, as HTML comments (invisible in Confluence and rendered Markdown):
 *
 *   <!-- speclint-disable [CODE …] [-- reason] -->            from this line until an enable
 *   <!-- speclint-enable [CODE …] -->                         ends a disable (all codes if none)
 *   <!-- speclint-disable-next-line [CODE …] [-- reason] -->  the next non-blank line
 *   <!-- speclint-disable-file [CODE …] [-- reason] -->       the whole document
 *
 * CODE is a lint code; several are separated by spaces or commas; none means every code.
 * Directives inside code blocks are code, not directives.
 */
import type { MarkdownDocument } from "../markdown/document.js";
import type { SourceLines } from "../markdown/lines.js";
import type { LintViolation, SuppressedViolation } from "./types.js";

type Kind = SuppressedViolation["suppression"]["kind"];

interface Range {
  kind: Kind;
  from: number;
  /** Exclusive; Infinity while open. */
  to: number;
  /** undefined = every code. */
  codes: Set<string> | undefined;
  /** Codes re-enabled inside an all-codes range. */
  except: Set<string>;
  line: number;
  justification: string | undefined;
}

const DIRECTIVE =
  /<!--\s*speclint-(disable-next-line|disable-file|disable|enable)(?![\w-])((?:(?!-->)[\s\S]){0,500})-->/g;

export class Suppressions {
  private readonly ranges: Range[] = [];

  /** Reads the directives of a document. */
  static read(doc: MarkdownDocument, lines: SourceLines): Suppressions {
    const s = new Suppressions();
    if (!doc.source.includes("speclint-")) return s;
    for (const b of doc.blocks) {
      if ((b.kind !== "html" && b.kind !== "paragraph" && b.kind !== "list_item") || !b.text.includes("speclint-"))
        continue;
      for (const m of b.text.matchAll(DIRECTIVE)) {
        const before = b.text.slice(0, m.index);
        let line = b.line;
        for (let k = before.indexOf("\n"); k !== -1; k = before.indexOf("\n", k + 1)) line++;
        let endLine = line;
        for (let k = m[0].indexOf("\n"); k !== -1; k = m[0].indexOf("\n", k + 1)) endLine++;
        s.add(m[1] as Kind | "enable", m[2] ?? "", line, endLine, lines);
      }
    }
    return s;
  }

  /** The suppression that covers a violation, if any. */
  match(v: LintViolation): SuppressedViolation["suppression"] | undefined {
    for (const r of this.ranges) {
      if (v.line < r.from || v.line >= r.to) continue;
      if (r.codes ? !r.codes.has(v.code) : r.except.has(v.code)) continue;
      return r.justification === undefined
        ? { kind: r.kind, line: r.line }
        : { kind: r.kind, line: r.line, justification: r.justification };
    }
    return undefined;
  }

  get size(): number {
    return this.ranges.length;
  }

  private add(kind: Kind | "enable", body: string, line: number, endLine: number, lines: SourceLines): void {
    const [codesPart, ...reason] = body.split("--");
    const list = (codesPart ?? "").split(/[\s,]+/).filter(Boolean);
    const codes = list.length > 0 ? new Set(list) : undefined;
    const justification = reason.join("--").trim() || undefined;
    if (kind === "enable") {
      for (const r of [...this.ranges]) {
        if (r.kind !== "disable" || r.to !== Infinity) continue;
        r.to = line;
        if (!codes) continue;
        // Re-enabling some codes: the rest stay disabled from here on.
        if (r.codes) {
          const remaining = [...r.codes].filter((c) => !codes.has(c));
          if (remaining.length > 0) this.ranges.push({ ...r, from: line, to: Infinity, codes: new Set(remaining) });
        } else this.ranges.push({ ...r, from: line, to: Infinity, except: new Set([...r.except, ...codes]) });
      }
      return;
    }
    let from = line;
    let to = Infinity;
    if (kind === "disable-file") {
      from = 1;
    } else if (kind === "disable-next-line") {
      let next = endLine + 1;
      while (next <= lines.length && lines.get(next).trim() === "") next++;
      from = next;
      to = next + 1;
    }
    this.ranges.push({ kind, from, to, codes, except: new Set(), line, justification });
  }
}
