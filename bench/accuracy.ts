/**
 * Accuracy on real documents: `node --import tsx bench/accuracy.ts`
 *
 * - html_to_md beside turndown + gfm on the third-party Confluence pages of the fixtures (mark's
 *   test pages with their Markdown sources, the Confluence storage corpus, the Korean QueryPie
 *   pages): code blocks, images and links kept, words lost, pages that lost anything
 *   (test/helpers/fidelity.ts says what each is measured against).
 * - rule_extract on the BCP 14 specifications: every keyword sentence counted independently of
 *   the extractor (test/helpers/bcp14.ts), the share it finds with the right priority, the share
 *   of its rules that state a counted sentence, the judged sample (specs/judgments.json) and the
 *   share of titles that hold their keyword.
 * - rule_extract on the Korean QueryPie pages, every rule judged (confluence-ko/judgments.json),
 *   and on the KEPs and Rust RFCs, upper-case only and with `any-case`.
 *
 * Counts, not timings: the figures do not depend on the machine.
 */
import { extractRules } from "../src/core/extract/index.js";
import {
  conversionPages,
  designDocuments,
  hashSample,
  judgments,
  koreanPages,
  koreanRules,
  rulesOf,
  specDocuments,
  type Doc,
} from "../test/helpers/accuracy.js";
import { compareWithCount } from "../test/helpers/bcp14.js";
import { loss, lostSomething } from "../test/helpers/fidelity.js";
import { engine } from "./html-to-md/engines.js";
import { printTable, printTargets, writeResults, type TargetRow } from "./lib.js";

// ---- html_to_md ----

const ENGINES = ["specgate", "turndown-gfm"] as const;
const all = conversionPages();
const tallies: Record<
  string,
  {
    code: number;
    codeKept: number;
    images: number;
    imagesKept: number;
    links: number;
    linksKept: number;
    wordsLost: number;
    pagesLost: string[];
  }
> = {};
for (const name of ENGINES) {
  const convert = await engine(name);
  const t = {
    code: 0,
    codeKept: 0,
    images: 0,
    imagesKept: 0,
    links: 0,
    linksKept: 0,
    wordsLost: 0,
    pagesLost: [] as string[],
  };
  for (const p of all) {
    const l = loss(p.ref, await convert(p.html));
    t.code += l.code;
    t.codeKept += l.codeKept;
    t.images += l.images;
    t.imagesKept += l.imagesKept;
    t.links += l.links;
    t.linksKept += l.linksKept;
    t.wordsLost += l.words.length;
    if (lostSomething(l)) t.pagesLost.push(p.name);
  }
  tallies[name] = t;
}
const sg = tallies.specgate!;
const td = tallies["turndown-gfm"]!;
printTable(
  `html_to_md on ${all.length} third-party Confluence pages`,
  ["engine", "code blocks kept", "images kept", "links kept", "distinct words lost", "pages with lost content"],
  ENGINES.map((n) => {
    const t = tallies[n]!;
    return [
      n === "specgate" ? "SpecGate" : "turndown + gfm",
      `${t.codeKept} / ${t.code}`,
      `${t.imagesKept} / ${t.images}`,
      `${t.linksKept} / ${t.links}`,
      t.wordsLost,
      `${t.pagesLost.length} / ${all.length}`,
    ];
  }),
);
process.stdout.write(`Pages where SpecGate lost something: ${sg.pagesLost.join(", ") || "none"}.\n\n`);

// ---- rule_extract: BCP 14 specifications ----

const specs = specDocuments();
const specRows: (string | number)[][] = [];
let sentences = 0;
let found = 0;
let right = 0;
let rules = 0;
let rulesRight = 0;
let titled = 0;
const specRules = specs.flatMap((d) => rulesOf(d));
for (const doc of specs) {
  const r = extractRules(doc.text).rules;
  const c = compareWithCount(
    doc.text,
    r.map((x) => ({ priority: x.priority, description: x.description, line: x.source.line })),
  );
  sentences += c.sentences;
  found += c.found;
  right += c.rightPriority;
  rules += c.rules;
  rulesRight += c.rulesRight;
  const t = r.filter((x) => x.title.includes(x.reliability.keyword ?? "")).length;
  titled += t;
  specRows.push([
    doc.name,
    c.sentences,
    c.found,
    pct(c.found, c.sentences),
    pct(c.rightPriority, c.sentences),
    c.rules,
    pct(c.rulesRight, c.rules),
    pct(t, r.length),
  ]);
}
specRows.push([
  "all",
  sentences,
  found,
  pct(found, sentences),
  pct(right, sentences),
  rules,
  pct(rulesRight, rules),
  pct(titled, rules),
]);
printTable(
  "rule_extract on BCP 14 specifications (keyword sentences counted independently)",
  [
    "document",
    "keyword sentences",
    "found",
    "recall",
    "found, right priority",
    "rules",
    "rules stating a counted sentence, right priority",
    "titles holding the keyword",
  ],
  specRows,
);

const judgedSpecs = judgments("specs", "judgments.json");
const sample = hashSample(specRules, 40);
const verdicts = sample.map((r) => judgedSpecs.find((j) => j.document === r.document && j.sentence === r.sentence));
const sampleRight = verdicts.filter((j) => j?.requirement && j.priority_right).length;
const unjudged = verdicts.filter((j) => j === undefined).length;

// ---- rule_extract: Korean pages ----

const judgedKo = judgments("confluence-ko", "judgments.json");
const koPages = koreanPages();
let koTaken = 0;
let koReal = 0;
let koUnjudged = 0;
let koMay = 0;
for (const p of koPages) {
  for (const r of await koreanRules(p)) {
    koTaken++;
    if (r.priority === "MAY") koMay++;
    const j = judgedKo.find((x) => x.page === r.document && x.sentence === r.sentence);
    if (!j) koUnjudged++;
    else if (j.requirement) koReal++;
  }
}
const before = judgedKo.filter((j) => j.before);
const koBefore = before.length;
const koBeforeReal = before.filter((j) => j.requirement).length;

// ---- rule_extract: design documents that do not follow RFC 2119 ----

const design = designDocuments();
const designRows = design.map((d: Doc) => [
  d.name,
  rulesOf(d).length,
  extractRules(d.text, { keywords: "any-case" }).rules.length,
]);

printTable(
  "rule_extract precision, judged",
  ["documents", "rules", "judged", "real requirements, right priority", "share"],
  [
    [
      `${specs.length} specifications (sample of the 40 rules whose hash sorts first)`,
      specRules.length,
      40 - unjudged,
      sampleRight,
      pct(sampleRight, 40),
    ],
    [
      `${koPages.length} Korean QueryPie pages (every rule)`,
      koTaken,
      koTaken - koUnjudged,
      koReal,
      pct(koReal, koTaken),
    ],
  ],
);
process.stdout.write(
  `The Korean pages gave ${koBefore} keyword rules (${before.filter((j) => j.priority === "MAY").length} MAY) before capability sentences were kept out, ${koBeforeReal} of them real requirements (${pct(koBeforeReal, koBefore)}); now ${koTaken} (${koMay} MAY).\n\n`,
);
printTable(
  "rule_extract on design documents that do not follow RFC 2119",
  ["document", "rules (upper-case keywords)", "rules with keywords: any-case (reliability ≤ 19)"],
  designRows,
);

const targets: TargetRow[] = [
  {
    row: "rule_extract, BCP 14 keyword-sentence recall",
    target: "≥ 97 % with keyword and severity right",
    specgate: `${pct(right, sentences)} (${right} / ${sentences}); judged sample ${sampleRight} / 40`,
    peer: `${sentences} sentences counted independently`,
    ratio: pct(rulesRight, rules),
    met: right / sentences >= 0.97 && sampleRight / 40 >= 0.97,
    note: "ratio: share of rules that state a counted sentence with its priority",
  },
  {
    row: "rule_extract, Korean pages: real requirements",
    target: "≥ 90 % of keyword rules",
    specgate: `${pct(koReal, koTaken)} (${koReal} / ${koTaken})`,
    peer: `before this change: ${koBeforeReal} / ${koBefore}`,
    ratio: "—",
    met: koUnjudged === 0 && koReal / koTaken >= 0.9,
  },
  {
    row: "html_to_md, pages with lost content",
    target: "fewer than turndown + gfm",
    specgate: `${sg.pagesLost.length} / ${all.length}; code ${sg.codeKept}/${sg.code}, images ${sg.imagesKept}/${sg.images}, links ${sg.linksKept}/${sg.links}`,
    peer: `turndown + gfm ${td.pagesLost.length} / ${all.length}; code ${td.codeKept}/${td.code}, images ${td.imagesKept}/${td.images}, links ${td.linksKept}/${td.links}`,
    ratio: "—",
    met: sg.pagesLost.length < td.pagesLost.length,
  },
];
printTargets("Accuracy targets", targets);
await writeResults("accuracy", {
  targets,
  convert: Object.fromEntries(ENGINES.map((n) => [n, { ...tallies[n]!, pages: all.length }])),
  specs: {
    sentences,
    found,
    rightPriority: right,
    rules,
    rulesRight,
    titled,
    sample: { size: 40, right: sampleRight, unjudged },
  },
  korean: {
    pages: koPages.length,
    rules: koTaken,
    real: koReal,
    unjudged: koUnjudged,
    may: koMay,
    before: { rules: koBefore, real: koBeforeReal },
  },
  design: designRows,
});

function pct(n: number, d: number): string {
  return d === 0 ? "—" : `${((100 * n) / d).toFixed(1)} %`;
}
