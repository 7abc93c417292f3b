/**
 * rule_extract's engine: one Markdown document → validated DesignRuleSpec rules, with the
 * duplicates and conflicts among them. Pure and synchronous (the signal is checked between
 * blocks); linear in the document's size.
 *
 * Order of work: parse (shared document model) → classify blocks (context.ts) → standardized
 * statements (standardized.ts) → keyword sentences in the remaining prose (keyword.ts) → ids,
 * reliability and drift weights (finalize) → duplicates and conflicts (analysis.ts).
 */
import { throwIfAborted } from "../../errors.js";
import { parseMarkdown, type MarkdownDocument } from "../markdown/document.js";
import { findRuleStatements, type RuleStatement } from "../markdown/rule-statements.js";
import { defaultDriftCalculation, PRIORITIES, type Priority } from "../spec/rule-terms.js";
import type { DesignRuleSpec } from "../spec/design-rule-spec.js";
import { findConflicts, findDuplicates, normalizeSentence, rememberNormalized } from "./analysis.js";
import { areaOfTitle, guessArea } from "./area.js";
import { classifyBlocks, headingWords } from "./context.js";
import { dependencyRulesOf, resolveOnly } from "./dependency.js";
import { IdGenerator } from "./ids.js";
import { includedPageAt } from "./includes.js";
import { keywordDrafts } from "./keyword.js";
import { linksToSpec, readTechSpec, scoreRule, type TechSpec } from "./reliability.js";
import { standardizedDraft, type DocContext } from "./standardized.js";
import { ruleTitle } from "./title.js";
import {
  emptyRejected,
  type ExtractOptions,
  type ExtractResult,
  type ExtractWarning,
  type RuleDraft,
} from "./types.js";

/**
 * Extracts every rule of a Markdown document. Never throws on document content (problems become
 * `warnings`); throws E_CANCELLED/E_TIMEOUT when `options.signal` fires.
 */
export function extractRules(markdown: string, options: ExtractOptions = {}): ExtractResult {
  const started = performance.now();
  throwIfAborted(options.signal);
  return extractFromDocument(parseMarkdown(markdown), options, started);
}

/** {@link extractRules} of a document already parsed (the linter's, which reads its rules' patterns). */
export function extractFromDocument(
  doc: MarkdownDocument,
  options: ExtractOptions = {},
  started = performance.now(),
): ExtractResult {
  throwIfAborted(options.signal);
  const warnings: ExtractWarning[] = [];
  const title = documentTitle(doc);
  const document =
    options.source?.id?.trim() || options.source?.title?.trim() || title || options.defaultDocument || "document";
  const ctx = docContext(doc, title, (w) => warnings.push({ ...w, document }));
  const reasons = classifyBlocks(doc);
  const rejected = emptyRejected();

  const drafts: RuleDraft[] = [];
  const covered = new Set<number>();
  const coveredRows = new Set<number>();
  for (const st of findRuleStatements(doc)) {
    cover(doc, st, covered, coveredRows);
    if (reasons[st.block] === "bad_example") {
      rejected.bad_example++;
      continue;
    }
    const d = standardizedDraft(st, ctx);
    if (d) drafts.push(d);
  }
  drafts.push(
    ...keywordDrafts(
      {
        doc,
        reasons,
        covered,
        coveredRows,
        rejected,
        signal: options.signal,
        anyCase: options.keywords === "any-case",
      },
      ctx,
    ),
  );
  drafts.sort((a, b) => a.line - b.line);

  const spec = readTechSpec(doc);
  const sectionText = ctx.sectionText;
  const ids = new IdGenerator();
  const includedAt = includedPageAt(doc);
  const all = drafts.map((d) => {
    const page = includedAt(d.line);
    // A rule written on an included page is that page's rule: its id, title and URL are the source.
    const source = page ? { id: page.id, title: page.title, url: page.url || undefined } : options.source;
    return finalize(d, {
      document: page ? page.id : document,
      title: page ? page.title : title,
      source,
      spec,
      section: sectionText(d.section),
      ids,
    });
  });
  resolveOnly(all);
  const min = options.minReliability ?? 0;
  const rules = all.filter((r) => r.reliability.total_score >= min);
  if (rules.length === 0 && all.length === 0) {
    warnings.push({
      code: "no_rules",
      message:
        "No rules found: the document has no **RULE-AREA-NNN** (TYPE): statements and no sentences with MUST/SHOULD/MAY or …해야 한다-style endings outside code, quotes and examples.",
      document,
    });
  }
  const duplicates = findDuplicates(rules);
  const conflicts = findConflicts(rules);
  return {
    rules,
    conflicts: conflicts.list,
    duplicates: duplicates.list,
    warnings,
    stats: {
      documents: 1,
      ...countRules(rules),
      duplicates: duplicates.total,
      conflicts: conflicts.total,
      below_min_reliability: all.length - rules.length,
      rejected,
      lines: doc.lineCount,
      bytes: Buffer.byteLength(doc.source, "utf8"),
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    },
  };
}

/** Counts by method, priority and area. */
export function countRules(rules: readonly DesignRuleSpec[]): {
  rules: number;
  standardized: number;
  keyword: number;
  by_priority: Record<Priority, number>;
  by_area: Record<string, number>;
} {
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  const byArea: Record<string, number> = {};
  let standardized = 0;
  for (const r of rules) {
    byPriority[r.priority]++;
    byArea[r.area] = (byArea[r.area] ?? 0) + 1;
    if (r.reliability.extraction_method === "standardized") standardized++;
  }
  return {
    rules: rules.length,
    standardized,
    keyword: rules.length - standardized,
    by_priority: byPriority,
    by_area: byArea,
  };
}

interface FinalizeContext {
  document: string;
  title: string;
  source: ExtractOptions["source"];
  spec: TechSpec;
  section: string;
  ids: IdGenerator;
}

function finalize(d: RuleDraft, f: FinalizeContext): DesignRuleSpec {
  const norm = normalizeSentence(d.description);
  const ruleId = d.ruleId ?? f.ids.idFor(norm);
  const { total, breakdown } = scoreRule({
    form: d.form,
    id: d.idQuality,
    scope: d.scopeStated,
    rationale: d.rationale !== "",
    reference: d.references.length > 0,
    specLink: linksToSpec(d.references, f.spec),
    lowerCase: d.lowerCase === true,
  });
  const source: DesignRuleSpec["source"] = { document: f.document, line: d.line, section: f.section };
  if (f.source?.url) source.url = f.source.url;
  const docTitle = f.source?.title?.trim() || f.title;
  if (docTitle) source.title = docTitle;
  if (d.idAsWritten) source.id_as_written = d.idAsWritten;
  const reliability: DesignRuleSpec["reliability"] = {
    total_score: total,
    extraction_method: d.form === "keyword" ? "keyword" : "standardized",
    breakdown,
  };
  if (d.keyword) reliability.keyword = d.keyword;
  if (d.lowerCase) reliability.keyword_case = "lower";
  const rule: DesignRuleSpec = {
    rule_id: ruleId,
    priority: d.priority,
    area: d.area,
    ...(d.areaGuessed ? { area_guessed: true } : {}),
    title: ruleTitle(d.title ?? d.description),
    description: d.description,
    scope: { text: d.scopeText, ...d.patterns },
    rationale: d.rationale,
    references: d.references,
    reliability,
    source,
    ...validationConditions(d),
    ci_info: { drift_calculation: defaultDriftCalculation(d.priority, d.area, total) },
  };
  rememberNormalized(rule, norm);
  return rule;
}

/** Patterns written in the rule's details and the dependencies its sentence states. */
function validationConditions(d: RuleDraft): {
  validation_conditions?: NonNullable<DesignRuleSpec["validation_conditions"]>;
} {
  const dependencies = dependencyRulesOf(d.description);
  const vc: NonNullable<DesignRuleSpec["validation_conditions"]> = {
    ...(d.codePatterns?.length ? { code_patterns: d.codePatterns } : {}),
    ...(d.structuralPatterns?.length ? { structural_patterns: d.structuralPatterns } : {}),
    ...(dependencies.length ? { dependency_rules: dependencies } : {}),
  };
  return Object.keys(vc).length ? { validation_conditions: vc } : {};
}

function docContext(
  doc: MarkdownDocument,
  title: string,
  warn: (w: ExtractWarning) => void,
): DocContext & { sectionText(section: number): string } {
  const sections = sectionIndex(doc);
  const titleArea = areaOfTitle(title);
  return {
    doc,
    lines: doc.lines,
    warn,
    sectionPriority: (section) => sections.priority(section),
    rulesSection: (section) => sections.rules(section),
    sectionHeading: (section) => sections.text(section),
    sectionText: (section) => sections.text(section),
    guessArea(sentence, section) {
      return guessArea(sentence, sections.text(section), title, titleArea ?? "GEN");
    },
  };
}

/**
 * Per heading, computed once in document order (linear): its parent heading, its path text
 * ("2. 설계 규칙 (Design Rules) > 2.1 MUST 규칙 (필수)", without the document's title — its only
 * level-1 heading, when it comes first) and the priority the innermost heading naming one stands for.
 */
function sectionIndex(doc: MarkdownDocument): {
  text(section: number): string;
  priority(section: number): Priority | undefined;
  rules(section: number): boolean;
} {
  const { headings } = doc;
  const h1s = headings.filter((h) => h.level === 1).length;
  const titleIndex = h1s === 1 && headings[0]?.level === 1 ? 0 : -1;
  const texts: string[] = [];
  const priorities: (Priority | undefined)[] = [];
  const rules: boolean[] = [];
  const stack: number[] = [];
  for (let h = 0; h < headings.length; h++) {
    const heading = headings[h]!;
    while (stack.length > 0 && headings[stack[stack.length - 1]!]!.level >= heading.level) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1]! : -1;
    texts.push(parent === -1 || parent === titleIndex ? heading.text : `${texts[parent]} > ${heading.text}`);
    const own = headingPriority(heading.title);
    priorities.push(own ?? (parent === -1 ? undefined : priorities[parent]));
    rules.push(
      own !== undefined || RULES_HEADING.test(headingWords(heading.title)) || (parent !== -1 && rules[parent]!),
    );
    stack.push(h);
  }
  return {
    text: (section) => (section < 0 ? "" : (texts[section] ?? "")),
    priority: (section) => (section < 0 ? undefined : priorities[section]),
    rules: (section) => section >= 0 && rules[section] === true,
  };
}

/** A heading that names rules: `2. 설계 규칙`, `제약 사항`, `Requirements`, `Design Rules` … (its last words). */
const RULES_HEADING =
  /(?:^|\s)(?:규칙|규정|요구 ?사항|제약 ?(?:사항|조건)|제한 ?사항|준수 ?사항|필수 ?사항|가이드라인|원칙)$|(?:^|\s)(?:rules|requirements|constraints|restrictions|limitations|guidelines|conventions)$/i;

/** The priority a heading names, e.g. `2.3 금지 규칙 (Prohibited)` → MUST NOT. */
function headingPriority(t: string): Priority | undefined {
  if (/MUST NOT|SHALL NOT|금지|prohibit|forbidden/i.test(t)) return "MUST NOT";
  if (/SHOULD NOT|지양|비권장|discouraged/i.test(t)) return "SHOULD NOT";
  if (/\bSHOULD\b|권장|recommend/i.test(t)) return "SHOULD";
  if (/\bMUST\b|\bSHALL\b|필수|mandatory|required/i.test(t)) return "MUST";
  if (/\bMAY\b|선택|optional/i.test(t)) return "MAY";
  return undefined;
}

/** The document's title: its first level-1 heading. */
function documentTitle(doc: MarkdownDocument): string {
  return doc.headings.find((h) => h.level === 1)?.text ?? "";
}

/** Marks the blocks (and table rows) a standardized statement and its details occupy. */
function cover(doc: MarkdownDocument, st: RuleStatement, covered: Set<number>, coveredRows: Set<number>): void {
  if (st.form === "table") {
    coveredRows.add(st.line);
    return;
  }
  covered.add(st.block);
  const detailLines = new Set(st.details.map((d) => d.line));
  for (let j = st.block + 1; j < doc.blocks.length; j++) {
    const c = doc.blocks[j]!;
    const inside = st.form === "list" && isDescendant(doc, j, st.block);
    if (inside || detailLines.has(c.line)) covered.add(j);
    else if (!inside && c.line > (st.details.at(-1)?.line ?? st.line)) break;
  }
}

function isDescendant(doc: MarkdownDocument, j: number, i: number): boolean {
  for (let p = doc.blocks[j]!.parent; p >= 0; p = doc.blocks[p]!.parent) if (p === i) return true;
  return false;
}
