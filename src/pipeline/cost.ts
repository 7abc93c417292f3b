/**
 * Memory estimates for the memory guard, from the shape of a document rather than its length
 * alone: what lint, extraction and generation hold grows with headings and rules much faster
 * than with characters (a 1.2 MB document of nothing but rule lines costs lint 94 bytes a
 * character, extraction 151 and generation 235, where a prose design document costs 27-33).
 * Coefficients fitted to bench/cost.ts (peak RSS above a warmed-up process, each call alone, on
 * a prose design document, 100k headings and 25k rule lines), rounded up.
 */

export interface DocumentShape {
  chars: number;
  /** Lines starting with `#` (Markdown headings): each becomes a section of the parse model. */
  headings: number;
  /** Rule ids (`RULE-`) in the text: each becomes a rule object, and a file section in generation. */
  rules: number;
}

/** One pass over the text for each count, no allocation. */
export function documentShape(text: string): DocumentShape {
  let headings = text.startsWith("#") ? 1 : 0;
  for (let i = text.indexOf("\n#"); i !== -1; i = text.indexOf("\n#", i + 2)) headings++;
  let rules = 0;
  for (let i = text.indexOf("RULE-"); i !== -1; i = text.indexOf("RULE-", i + 5)) rules++;
  return { chars: text.length, headings, rules };
}

export interface CostModel {
  perChar: number;
  perHeading: number;
  perRule: number;
}

/** Bytes per character, per heading and per rule id, by kind of work (bench/cost.ts). */
export const COSTS = {
  lint: { perChar: 24, perHeading: 2000, perRule: 3500 },
  extract: { perChar: 30, perHeading: 2000, perRule: 6500 },
  generate: { perChar: 40, perHeading: 2000, perRule: 10_000 },
  convert: { perChar: 20, perHeading: 0, perRule: 0 },
} as const satisfies Record<string, CostModel>;

/** The estimate for one document. */
export function documentCost(text: string, model: CostModel): number {
  const shape = documentShape(text);
  return shape.chars * model.perChar + shape.headings * model.perHeading + shape.rules * model.perRule;
}
