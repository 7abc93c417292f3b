/**
 * What changed between two versions of a rule set: rules added, removed and changed (field by
 * field), and how many stayed the same.
 *
 * Matching, in two passes:
 * 1. By rule id. A document that writes one id twice has its occurrences paired in order.
 * 2. By statement similarity, for rules left over on both sides when at least one of the two has a
 *    generated id (`RULE-GEN-…`, a keyword rule: its id is a hash of its sentence, so rewording it
 *    gives it a new id). Pairs whose statements' token Jaccard index (./similarity.ts) is at least
 *    {@link SIMILARITY_THRESHOLD} are matched best first; the id change is reported as a
 *    `rule_id` field change. Standardized ids are never matched this way: RULE-API-001 and
 *    RULE-API-002 are two rules, whatever they say.
 *
 * Inputs are bounded ({@link MAX_DIFF_RULES} a side, E_TOO_LARGE beyond), so the similarity pass,
 * which compares every leftover pair (twice at worst), stays under 2 million comparisons of short
 * token sets; it yields to the event loop every {@link YIELD_EVERY} rules and stops on the signal.
 */
import { canonicalJson } from "../../canonical-json.js";
import { SpecGateError, throwIfAborted } from "../../errors.js";
import { yieldToLoop } from "../../signals.js";
import type { DesignRuleSpec } from "../spec/design-rule-spec.js";
import { statementTokens } from "./similarity.js";

/** Rules a side may hold. */
export const MAX_DIFF_RULES = 1000;
/** The least token Jaccard index at which a reworded keyword rule is the same rule. */
export const SIMILARITY_THRESHOLD = 0.5;
/** Candidates kept per rule in the similarity pass (more are looked for when all are taken). */
const CANDIDATES = 8;
/** Rules compared between two turns of the event loop (each against every leftover rule). */
const YIELD_EVERY = 32;

export interface FieldChange {
  from: unknown;
  to: unknown;
}

export interface ChangedRule {
  /** The rule's id in the newer version. */
  rule_id: string;
  /** The id in the older version, when it differs (a reworded or newly numbered keyword rule). */
  from_rule_id?: string;
  matched_by: "id" | "similarity";
  /** With `matched_by: similarity`: the statements' token Jaccard index (0-1). */
  similarity?: number;
  /** The rule's title in the newer version. */
  title: string;
  /** Each changed field by its DesignRuleSpec path (`priority`, `scope.file_patterns` …). */
  fields: Record<string, FieldChange>;
}

export interface RuleDiff {
  added: DesignRuleSpec[];
  removed: DesignRuleSpec[];
  changed: ChangedRule[];
  unchanged: number;
  /** Ids (newer version) of the added and changed rules: spec_generate's `only_rules`. */
  regenerate: string[];
  stats: { from: number; to: number; matched_by_id: number; matched_by_similarity: number };
}

export interface DiffOptions {
  signal?: AbortSignal | undefined;
  /** Default {@link SIMILARITY_THRESHOLD}. */
  threshold?: number | undefined;
}

const GENERATED_ID = /^RULE-GEN-/;

/**
 * The fields compared, by path. `title` only counts when `description` (the statement) did not
 * change, since a keyword rule's title is its statement shortened. Reliability, source lines and
 * drift weights are derived from how and where a rule is written, not from what it says: not
 * compared. Every key of `validation_conditions` present on either side is compared.
 */
const FIELDS = [
  "priority",
  "area",
  "description",
  "title",
  "scope.text",
  "scope.file_patterns",
  "scope.package_patterns",
  "scope.annotation_patterns",
  "rationale",
  "references",
] as const;

/** Diffs two rule sets; throws E_TOO_LARGE past {@link MAX_DIFF_RULES} a side. */
export async function diffRules(
  from: readonly DesignRuleSpec[],
  to: readonly DesignRuleSpec[],
  options: DiffOptions = {},
): Promise<RuleDiff> {
  for (const [side, rules] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (rules.length > MAX_DIFF_RULES)
      throw new SpecGateError(
        "E_TOO_LARGE",
        `\`${side}\` has ${rules.length} rules; a diff compares at most ${MAX_DIFF_RULES} a side. Diff one document (or area) at a time.`,
        { details: { path: side, rules: rules.length, limit: MAX_DIFF_RULES } },
      );
  }
  const pairs: [number, number, number | undefined][] = [];
  const oldTaken = new Array<boolean>(from.length).fill(false);
  const newTaken = new Array<boolean>(to.length).fill(false);

  // 1. By id, occurrences in order.
  const byId = new Map<string, number[]>();
  from.forEach((r, i) => {
    const list = byId.get(r.rule_id);
    if (list) list.push(i);
    else byId.set(r.rule_id, [i]);
  });
  to.forEach((r, j) => {
    const i = byId.get(r.rule_id)?.shift();
    if (i === undefined) return;
    pairs.push([i, j, undefined]);
    oldTaken[i] = newTaken[j] = true;
  });
  const byIdCount = pairs.length;

  // 2. By statement similarity, where a generated id is involved.
  const threshold = options.threshold ?? SIMILARITY_THRESHOLD;
  const olds = from.map((_, i) => i).filter((i) => !oldTaken[i]);
  const news = to.map((_, j) => j).filter((j) => !newTaken[j]);
  if (olds.length > 0 && news.length > 0) {
    // Each statement's tokens as sorted integer ids: one merge per pair, no hashing.
    const dictionary = new Map<string, number>();
    const encode = (r: DesignRuleSpec): Int32Array => {
      const ids = [...statementTokens(r.description || r.title)].map((t) => {
        let id = dictionary.get(t);
        if (id === undefined) dictionary.set(t, (id = dictionary.size));
        return id;
      });
      return Int32Array.from(ids).sort();
    };
    const oldTokens = new Map(olds.map((i) => [i, encode(from[i]!)]));
    const newTokens = news.map((j) => encode(to[j]!));
    const newGenerated = news.map((j) => GENERATED_ID.test(to[j]!.rule_id));
    /** The best `k` unmatched new rules for old rule `i`, best first (ties: document order). */
    const candidatesOf = (i: number, k: number): [number, number][] => {
      throwIfAborted(options.signal);
      const generated = GENERATED_ID.test(from[i]!.rule_id);
      const ta = oldTokens.get(i)!;
      const best: [number, number][] = [];
      news.forEach((j, n) => {
        if (newTaken[j] || (!generated && !newGenerated[n])) return;
        const tb = newTokens[n]!;
        // Jaccard ≤ min/max of the sizes: skip pairs that cannot reach the threshold.
        if (Math.min(ta.length, tb.length) < threshold * Math.max(ta.length, tb.length)) return;
        const s = jaccardSorted(ta, tb);
        if (s < threshold || (best.length === k && s <= best[k - 1]![1])) return;
        let at = best.length;
        while (at > 0 && best[at - 1]![1] < s) at--;
        best.splice(at, 0, [j, s]);
        if (best.length > k) best.pop();
      });
      return best;
    };
    const ranked: [number, number, number][] = [];
    const full: number[] = [];
    for (const [row, i] of olds.entries()) {
      if (row % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
      const c = candidatesOf(i, CANDIDATES);
      if (c.length === CANDIDATES) full.push(i);
      for (const [j, s] of c) ranked.push([i, j, s]);
    }
    ranked.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
    const take = (i: number, j: number, s: number) => {
      pairs.push([i, j, Math.round(s * 1000) / 1000]);
      oldTaken[i] = newTaken[j] = true;
    };
    for (const [i, j, s] of ranked) if (!oldTaken[i] && !newTaken[j]) take(i, j, s);
    // A rule whose every kept candidate went to others may still have one further down: the
    // best one left, in document order (one more scan each, so never worse than quadratic).
    for (const [row, i] of full.entries()) {
      if (row % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
      if (oldTaken[i]) continue;
      const best = candidatesOf(i, 1)[0];
      if (best) take(i, best[0], best[1]);
    }
  }

  const changed: ChangedRule[] = [];
  let unchanged = 0;
  pairs.sort((x, y) => x[1] - y[1]);
  for (const [i, j, similarity] of pairs) {
    const a = from[i]!;
    const b = to[j]!;
    const fields = fieldChanges(a, b);
    if (Object.keys(fields).length === 0) {
      unchanged++;
      continue;
    }
    changed.push({
      rule_id: b.rule_id,
      ...(a.rule_id !== b.rule_id ? { from_rule_id: a.rule_id } : {}),
      matched_by: similarity === undefined ? "id" : "similarity",
      ...(similarity !== undefined ? { similarity } : {}),
      title: b.title,
      fields,
    });
  }
  const added = to.filter((_, j) => !newTaken[j]);
  const removed = from.filter((_, i) => !oldTaken[i]);
  return {
    added,
    removed,
    changed,
    unchanged,
    regenerate: [...new Set([...added, ...changed].map((r) => r.rule_id))],
    stats: {
      from: from.length,
      to: to.length,
      matched_by_id: byIdCount,
      matched_by_similarity: pairs.length - byIdCount,
    },
  };
}

/** The Jaccard index of two sorted arrays of distinct token ids. */
function jaccardSorted(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  for (let x = 0, y = 0; x < a.length && y < b.length;) {
    if (a[x] === b[y]) {
      shared++;
      x++;
      y++;
    } else if (a[x]! < b[y]!) x++;
    else y++;
  }
  return shared / (a.length + b.length - shared);
}

/** The fields that differ between two versions of one rule, by path. */
export function fieldChanges(a: DesignRuleSpec, b: DesignRuleSpec): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  const note = (path: string, x: unknown, y: unknown) => {
    if (!same(x, y)) out[path] = { from: x ?? null, to: y ?? null };
  };
  if (a.rule_id !== b.rule_id) out.rule_id = { from: a.rule_id, to: b.rule_id };
  for (const path of FIELDS) {
    if (path === "title" && "description" in out) continue;
    note(path, at(a, path), at(b, path));
  }
  const va = (a.validation_conditions ?? {}) as Record<string, unknown>;
  const vb = (b.validation_conditions ?? {}) as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(va), ...Object.keys(vb)])].sort())
    note(`validation_conditions.${key}`, va[key], vb[key]);
  return out;
}

function at(rule: DesignRuleSpec, path: string): unknown {
  let v: unknown = rule;
  for (const key of path.split("."))
    v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** Equal as JSON, where absent, null, "" and [] are all "nothing". */
function same(x: unknown, y: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
  if (empty(x) || empty(y)) return empty(x) && empty(y);
  return canonicalJson(x) === canonicalJson(y);
}
