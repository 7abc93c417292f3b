/**
 * Dependency rules from prose: a rule's sentence → `validation_conditions.dependency_rules`.
 *
 * Read (English, any case):
 *   "X must not / shall not / should not / may not / cannot depend on | import | call | use |
 *    access | reference | invoke Y"   → {from: X, to: Y, direction: "forbidden"}
 *   "X may / must / should / can only depend on … Y", "X may depend only on Y"
 *                                     → {from: X, to: Y, direction: "allowed", only: true}
 * Read (Korean):
 *   "X는 Y에 의존해서는 안 된다", "X에서 Y를 직접 호출하면 안 된다", "X는 Y를 참조하지 않아야 한다",
 *   "X에서 Y 직접 호출 금지"          → forbidden
 *   "X는 Y만 참조해야 한다", "X는 Y에만 의존해야 하며" → allowed, only
 *
 * X and Y must each be a layer — a known layer word (controller, service, repository, dao,
 * domain, …; 컨트롤러, 서비스, 리포지토리/저장소, …), optionally with "layer"/"package"/"계층" — or a
 * package (`com.acme.shop.web`, `..web..`). Anything else ("Redis being up", "external APIs",
 * "외부 API") means the sentence is not a dependency rule: precision over recall, so a check is
 * never generated from a sentence that only looks like one. Lists ("controllers and views",
 * "리포지토리나 DAO") give one entry per pair.
 *
 * `resolveOnly` then turns "X may only depend on Y" into forbidden entries X → L for every other
 * layer L the document's dependency rules name, so the checks have something to forbid.
 */
import type { DependencyRule, DesignRuleSpec } from "../spec/design-rule-spec.js";
import { trimEndChars, trimStartChars } from "../text.js";

export type DependencyEntry = DependencyRule & { only?: boolean };

const VOCABULARY = new Set([
  "controller",
  "service",
  "repository",
  "dao",
  "domain",
  "model",
  "entity",
  "dto",
  "view",
  "presentation",
  "application",
  "infrastructure",
  "persistence",
  "web",
  "ui",
  "adapter",
  "port",
  "handler",
  "gateway",
  "mapper",
  "facade",
  "usecase",
  "component",
  "middleware",
  "router",
  "util",
  "helper",
]);
const PLURALS: Readonly<Record<string, string>> = {
  repositories: "repository",
  entities: "entity",
  utilities: "util",
  utils: "util",
  daos: "dao",
  dtos: "dto",
};
const KOREAN: Readonly<Record<string, string>> = {
  컨트롤러: "controller",
  서비스: "service",
  리포지토리: "repository",
  레포지토리: "repository",
  리파지토리: "repository",
  저장소: "repository",
  도메인: "domain",
  엔티티: "entity",
  모델: "model",
  뷰: "view",
  프레젠테이션: "presentation",
  애플리케이션: "application",
  어플리케이션: "application",
  인프라: "infrastructure",
  인프라스트럭처: "infrastructure",
  영속성: "persistence",
  핸들러: "handler",
  어댑터: "adapter",
  게이트웨이: "gateway",
  매퍼: "mapper",
  퍼사드: "facade",
  유스케이스: "usecase",
  컴포넌트: "component",
  미들웨어: "middleware",
  라우터: "router",
  유틸: "util",
  유틸리티: "util",
  헬퍼: "helper",
};
/** Words around a layer name that do not change it ("the service layer", "classes in the web package"). */
const CATEGORY = new Set([
  "layer",
  "layers",
  "tier",
  "tiers",
  "package",
  "packages",
  "module",
  "modules",
  "class",
  "classes",
  "code",
  "object",
  "objects",
  "계층",
  "레이어",
  "패키지",
  "모듈",
  "클래스",
  "코드",
  "영역",
]);
const DETERMINERS = new Set([
  "the",
  "a",
  "an",
  "any",
  "all",
  "every",
  "each",
  "our",
  "in",
  "of",
  "within",
  "inside",
  "from",
  "files",
]);
const OBJECT_STOP = new Set([
  "directly",
  "except",
  "unless",
  "but",
  "without",
  "through",
  "via",
  "when",
  "if",
  "because",
  "being",
  "that",
  "which",
  "to",
  "in",
  "at",
  "for",
  "with",
  "instead",
  "other",
  "than",
]);
const SEPARATORS = new Set(["and", "or", "nor", "&", "/"]);

const FORBID_EN: readonly string[][] = [
  "must not",
  "must never",
  "shall not",
  "shall never",
  "should not",
  "should never",
  "may not",
  "cannot",
  "can not",
  "can't",
  "mustn't",
  "shouldn't",
  "shan't",
  "is not allowed to",
  "are not allowed to",
  "is forbidden to",
  "are forbidden to",
  "is prohibited from",
  "are prohibited from",
].map((p) => p.split(" "));
const ONLY_MODALS = new Set(["may", "must", "should", "can", "shall"]);
const VERBS_EN: Readonly<Record<string, boolean>> = {
  // verb → whether it takes "on"/"upon"
  depend: true,
  depending: true,
  import: false,
  importing: false,
  call: false,
  calling: false,
  use: false,
  using: false,
  access: false,
  accessing: false,
  reference: false,
  referencing: false,
  invoke: false,
  invoking: false,
};

/**
 * Whether a clause has one of the verbs as a word of its own (what `english` needs before it
 * reads the clause word by word; most clauses have none).
 */
const HAS_VERB_EN = new RegExp(`(?:^|\\s)(?:${Object.keys(VERBS_EN).join("|")})[,:]*(?=\\s|$)`, "i");

/** The dependency entries a rule sentence states (empty when it states none). */
export function dependencyRulesOf(sentence: string): DependencyEntry[] {
  const out: DependencyEntry[] = [];
  const text = sentence.length > 2000 ? sentence.slice(0, 2000) : sentence;
  for (const clause of text.split(/[.;!?。\n](?=\s|$)|, (?=(?:and|but|while) )|(?:하며|하고|되며|되고|이며),? /)) {
    if (/[가-힣]/.test(clause)) out.push(...korean(clause));
    out.push(...english(clause));
  }
  const seen = new Set<string>();
  return out.filter((d) => {
    const key = `${d.from}\0${d.to}\0${d.direction}`;
    return seen.has(key) || d.from === d.to ? false : (seen.add(key), true);
  });
}

/** A layer name in canonical form (`controllers` → controller, `com.acme.web` as written), or undefined. */
export function layerName(raw: string): string | undefined {
  let t = trimEndChars(trimStartChars(raw.trim(), "`'\"“‘("), "`'\"”’),:");
  if (/^\.\.[a-z][\w]*\.\.$/i.test(t)) t = t.slice(2, -2);
  if (/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/.test(t)) return t;
  const ko = KOREAN[t];
  if (ko) return ko;
  const w = t.toLowerCase().replace(/-/g, "");
  if (!/^[a-z]+$/.test(w)) return undefined;
  const single = PLURALS[w] ?? (w.endsWith("s") && VOCABULARY.has(w.slice(0, -1)) ? w.slice(0, -1) : w);
  return VOCABULARY.has(single) ? single : undefined;
}

function english(clause: string): DependencyEntry[] {
  if (!HAS_VERB_EN.test(clause)) return [];
  const words = clause.split(/\s+/).filter(Boolean);
  const lower = words.map((w) => trimEndChars(w.toLowerCase(), ",:"));
  for (let i = 1; i < lower.length; i++) {
    const forbid = FORBID_EN.find((p) => p.every((w, k) => lower[i + k] === w));
    let j = forbid ? i + forbid.length : ONLY_MODALS.has(lower[i]!) ? i + 1 : -1;
    if (j < 0) continue;
    let only = false;
    while (lower[j] === "directly" || lower[j] === "ever" || lower[j] === "only" || lower[j] === "be") {
      if (lower[j] === "only") only = true;
      j++;
    }
    const verb = lower[j];
    if (verb === undefined || !Object.hasOwn(VERBS_EN, verb)) continue;
    j++;
    if (lower[j] === "directly") j++;
    if (lower[j] === "only") {
      only = true;
      j++;
    }
    if (VERBS_EN[verb] && (lower[j] === "on" || lower[j] === "upon")) j++;
    if (lower[j] === "only") {
      only = true;
      j++;
    }
    if (!forbid && !only) continue;
    if (forbid && only) continue;
    const from = names(words.slice(0, i), "suffix");
    const to = names(words.slice(j), "prefix");
    return pairs(from, to, forbid ? "forbidden" : "allowed");
  }
  return [];
}

/** Items of a word list: split at commas and and/or; each item's layer name (or undefined). */
function names(words: readonly string[], take: "prefix" | "suffix"): string[] {
  const items: string[][] = [[]];
  for (const raw of words) {
    const w = raw.toLowerCase().replace(/[.,;:!?]$/, "");
    const comma = /,$/.test(raw);
    if (SEPARATORS.has(w)) {
      items.push([]);
      continue;
    }
    if (take === "prefix" && OBJECT_STOP.has(w)) {
      items.push([]);
      break;
    }
    items[items.length - 1]!.push(raw.replace(/,$/, ""));
    if (comma) items.push([]);
  }
  const cleaned = items.filter((i) => i.length > 0).map(itemName);
  if (take === "prefix") {
    const end = cleaned.findIndex((n) => n === undefined);
    return (end < 0 ? cleaned : cleaned.slice(0, end)) as string[];
  }
  let start = cleaned.length;
  while (start > 0 && cleaned[start - 1] !== undefined) start--;
  return cleaned.slice(start) as string[];
}

function itemName(words: readonly string[]): string | undefined {
  let list = words.map((w) => w.replace(/[.;!?]$/, ""));
  const lead = (w: string) => DETERMINERS.has(w.toLowerCase()) || CATEGORY.has(w.toLowerCase());
  while (list.length > 1 && lead(list[0]!)) list = list.slice(1);
  while (list.length > 1 && CATEGORY.has(list[list.length - 1]!.toLowerCase())) list = list.slice(0, -1);
  if (list.length === 2 && list[0]!.toLowerCase() === "use" && /^cases?$/i.test(list[1]!)) return "usecase";
  return list.length === 1 ? layerName(list[0]!) : undefined;
}

const KO_VERB = /(의존|참조|호출|사용|접근|임포트|import)/g;
const SUBJECT_PARTICLES = ["에서는", "에서", "은", "는", "이", "가", "의"];
const OBJECT_PARTICLES = ["에게만", "에만", "만을", "에게", "에", "을", "를", "만"];
const CONJUNCTIONS = ["이나", "와", "과", "나"];
const ADVERBS = new Set(["직접", "절대", "절대로", "바로", "직접적으로"]);

function korean(clause: string): DependencyEntry[] {
  const out: DependencyEntry[] = [];
  for (const m of clause.matchAll(KO_VERB)) {
    const after = clause
      .slice(m.index + m[0].length, m.index + m[0].length + 24)
      .replace(/\s+/g, " ")
      .trimStart();
    const forbidden =
      /^(?:(?:을|를)\s?)?(?:(?:해서는|하여서는|해선|하면|해도|하여도)\s?안\s?[되돼됨된됩]|하지\s?(?:않아야|말아야)|금지|할\s?수\s?없)/.test(
        after,
      );
    const must = /^(?:해야|하여야|할\s?수\s?있)/.test(after);
    if (!forbidden && !must) continue;
    const tokens = clause.slice(0, m.index).split(/\s+/).filter(Boolean);
    while (tokens.length && ADVERBS.has(tokens[tokens.length - 1]!)) tokens.pop();
    const object = koreanList(tokens, OBJECT_PARTICLES, !forbidden);
    if (!object) continue;
    const subject = koreanList(tokens, SUBJECT_PARTICLES, false);
    if (!subject) continue;
    if (!forbidden && !object.only) continue;
    out.push(...pairs(subject.names, object.names, forbidden ? "forbidden" : "allowed"));
  }
  return out;
}

/**
 * Pops a list of layer names from the end of `tokens`: the last token carries one of
 * `particles` (or none, for "Y 직접 호출 금지"), earlier ones a conjunction or a comma.
 */
function koreanList(
  tokens: string[],
  particles: readonly string[],
  needOnly: boolean,
): { names: string[]; only: boolean } | undefined {
  const last = tokens.pop();
  if (last === undefined) return undefined;
  const head = stripSuffix(last, particles, true);
  if (!head) return undefined;
  const only = /만(?:을)?$/.test(last.slice(head.text.length));
  if (needOnly && !only) return undefined;
  const names: string[] = [];
  let name = koreanName(head.text, tokens);
  if (!name) return undefined;
  names.unshift(name);
  while (tokens.length) {
    const prev = tokens[tokens.length - 1]!;
    if (prev === "및" || prev === "또는" || prev === ",") {
      tokens.pop();
      continue;
    }
    const conj = stripSuffix(prev.replace(/,$/, ""), CONJUNCTIONS, false);
    if (!conj || (!prev.endsWith(",") && conj.text === prev)) break;
    tokens.pop();
    name = koreanName(conj.text, tokens);
    if (!name) return undefined;
    names.unshift(name);
  }
  return { names, only };
}

/** A token's layer name, taking a preceding token when this one is only "계층"/"layer". */
function koreanName(text: string, tokens: string[]): string | undefined {
  if (CATEGORY.has(text.toLowerCase())) {
    const prev = tokens.pop();
    return prev === undefined ? undefined : layerName(prev);
  }
  return layerName(text) ?? layerName(text.replace(/(?:계층|레이어|패키지|모듈|클래스|코드|영역)$/, ""));
}

/** `token` without one of `suffixes` (longest first), or as is when `optional` and its head is a name. */
function stripSuffix(token: string, suffixes: readonly string[], optional: boolean): { text: string } | undefined {
  for (const s of suffixes) {
    if (token.length > s.length && token.endsWith(s)) {
      const text = token.slice(0, -s.length);
      if (layerName(text) || CATEGORY.has(text.toLowerCase()) || koreanName(text, []) !== undefined) return { text };
    }
  }
  return optional && (layerName(token) || CATEGORY.has(token)) ? { text: token } : undefined;
}

function pairs(from: readonly string[], to: readonly string[], direction: "forbidden" | "allowed"): DependencyEntry[] {
  if (from.length === 0 || to.length === 0) return [];
  return from.flatMap((f) =>
    to.map((t) => ({ from: f, to: t, direction, ...(direction === "allowed" ? { only: true } : {}) })),
  );
}

/**
 * "X may only depend on Y": forbids X → every other layer that the document's dependency rules
 * name (not X itself, not what X may depend on). Adds the entries to the rules stating "only".
 */
export function resolveOnly(rules: readonly DesignRuleSpec[]): void {
  const layers = new Set<string>();
  const allowed = new Map<string, Set<string>>();
  for (const r of rules) {
    for (const d of r.validation_conditions?.dependency_rules ?? []) {
      layers.add(d.from);
      layers.add(d.to);
      if (d.direction === "allowed" && (d as DependencyEntry).only) {
        if (!allowed.has(d.from)) allowed.set(d.from, new Set());
        allowed.get(d.from)!.add(d.to);
      }
    }
  }
  for (const r of rules) {
    const list = r.validation_conditions?.dependency_rules;
    if (!list?.some((d) => d.direction === "allowed" && (d as DependencyEntry).only)) continue;
    const froms = [
      ...new Set(list.filter((d) => d.direction === "allowed" && (d as DependencyEntry).only).map((d) => d.from)),
    ];
    for (const from of froms) {
      for (const layer of [...layers].sort()) {
        if (layer === from || allowed.get(from)!.has(layer)) continue;
        if (!list.some((d) => d.from === from && d.to === layer))
          list.push({ from, to: layer, direction: "forbidden" });
      }
    }
  }
}
