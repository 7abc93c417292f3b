/** What the three section codes share: finding a required section, or reporting where it belongs. */
import type { SectionKey } from "../../ruleset/section-keys.js";
import { placeMissing, sectionSkeleton, usesNumbering } from "../../sections.js";
import type { MessageTemplate, RuleContext } from "../rule.js";

export const SECTION_MISSING: MessageTemplate = {
  ko: (p) =>
    `'${p.section}' 섹션이 없습니다${p.where === "end" ? " (문서 끝에 추가하세요)" : ` ('${p.before}' 앞에 추가하세요)`}.`,
  en: (p) =>
    `The '${p.section}' section is missing${p.where === "end" ? " (add it at the end of the document)" : ` (add it before '${p.before}')`}.`,
};

/**
 * Reports a required section that no heading matches, where it belongs (the heading it would go
 * before, else the last line with content), with a fix that inserts the template's skeleton.
 * Returns the section's heading index when it is there; undefined when it is missing or optional.
 */
export function requireSection(ctx: RuleContext<"section_missing">, key: SectionKey): number | undefined {
  const { doc, ruleset, lang, lines } = ctx;
  const spec = ruleset.sections[key];
  if (!spec.required) return undefined;
  const found = ctx.sections[key];
  if (found !== undefined) return found;
  const name = spec.heading.replace(/^\s*(?:\d+\.)*\d+\.?\s+/, "");
  const place = placeMissing(doc, key, spec, ctx.sections, lines);
  const skeleton = sectionSkeleton(key, spec, usesNumbering(doc), lang);
  const text = place.before ? `${skeleton}\n` : `\n${skeleton}`;
  ctx.report({
    line: place.line,
    column: 1,
    messageId: "section_missing",
    params: { section: name, where: place.before ? "before" : "end", before: place.before?.text ?? "" },
    fix: {
      start_line: place.insertAt,
      end_line: place.insertAt,
      text,
      description: lang === "ko" ? `'${name}' 섹션 추가` : `Insert the '${name}' section`,
    },
  });
  return undefined;
}
