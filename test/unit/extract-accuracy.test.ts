/**
 * rule_extract on real documents: recall and precision on BCP 14 specifications against an
 * independent count of their keyword sentences (test/helpers/bcp14.ts) and a judged sample;
 * normative text in descriptive sections; lead-ins and their lists; hard line breaks; titles;
 * Korean capability sentences, judged page by page; the any-case opt-in. Each on a minimal
 * document and on the third-party documents of test/fixtures/external.
 */
import { describe, expect, it } from "vitest";
import { convertHtml } from "../../src/core/convert/index.js";
import { cleanSentence, detectModal, extractRules, splitSentences } from "../../src/core/extract/index.js";
import { parseMarkdown } from "../../src/core/markdown/document.js";
import {
  designDocuments,
  hashSample,
  judgments,
  koreanPages,
  koreanRules,
  rulesOf,
  specDocuments,
  type TakenRule,
} from "../helpers/accuracy.js";
import { compareWithCount } from "../helpers/bcp14.js";
import { readExternalSync } from "../helpers/fixtures.js";

const rows = (md: string, options = {}) => extractRules(md, options).rules.map((r) => [r.priority, r.description]);
const specs = specDocuments();
const specRules = specs.flatMap((d) => rulesOf(d));

describe("BCP 14 keyword sentences in specifications", () => {
  it("finds at least 97 % of them, each with its keyword and severity, and nothing else", () => {
    let sentences = 0;
    let found = 0;
    let rightPriority = 0;
    let rules = 0;
    let rulesRight = 0;
    for (const doc of specs) {
      const report = compareWithCount(
        doc.text,
        extractRules(doc.text).rules.map((r) => ({
          priority: r.priority,
          description: r.description,
          line: r.source.line,
        })),
      );
      sentences += report.sentences;
      found += report.found;
      rightPriority += report.rightPriority;
      rules += report.rules;
      rulesRight += report.rulesRight;
      expect(report.unmatched, doc.name).toEqual([]);
    }
    expect(sentences).toBeGreaterThan(450);
    expect(found / sentences).toBeGreaterThanOrEqual(0.97);
    expect(rightPriority / sentences).toBeGreaterThanOrEqual(0.97);
    expect(rulesRight / rules).toBeGreaterThanOrEqual(0.97);
  });

  it("a judged sample of 40 rules: every one judged, at least 97 % real requirements with the right priority", () => {
    const judged = judgments("specs", "judgments.json");
    const sample = hashSample(specRules, 40);
    const verdicts = sample.map((r) => {
      const j = judged.find((x) => x.document === r.document && x.sentence === r.sentence);
      expect(j, `judge ${r.document}:${r.line} "${r.sentence}" in specs/judgments.json`).toBeDefined();
      expect(j!.priority).toBe(r.priority);
      return j!.requirement && j!.priority_right === true;
    });
    expect(verdicts.filter(Boolean).length / verdicts.length).toBeGreaterThanOrEqual(0.97);
  });

  it("reads field markers, _MUST_, subjects that look like labels, inserted phrases and wrapped code spans", () => {
    const table = [
      "# T",
      "",
      "| Field | Type | Description |",
      "|---|---|---|",
      "| title | `string` | **REQUIRED**. The title of the API. |",
      "| summary | `string` | A short summary. |",
    ].join("\n");
    const marker = extractRules(table).rules;
    expect(marker.map((r) => [r.priority, r.description, r.title])).toEqual([
      ["MUST", "title: REQUIRED. The title of the API.", "title is REQUIRED"],
    ]);
    expect(
      rows(
        [
          "# T",
          "",
          "A property with name `petType` _MUST_ be present.",
          "To upload multiple files, a `multipart` media type MUST be used.",
          "The values used SHOULD be registered. The keyword SHALL be ignored.",
          "The payload MUST, by validation, match exactly one schema.",
          "Support for any registered format is strictly OPTIONAL.",
          "Clients MUST send the `Accept-Encoding: gzip, br. dcb",
          "zstd` header on every request.",
        ].join("\n"),
      ),
    ).toEqual([
      ["MUST", "A property with name petType MUST be present."],
      ["MUST", "To upload multiple files, a multipart media type MUST be used."],
      ["SHOULD", "The values used SHOULD be registered."],
      ["MUST", "The keyword SHALL be ignored."],
      ["MUST", "The payload MUST, by validation, match exactly one schema."],
      ["MAY", "Support for any registered format is strictly OPTIONAL."],
      ["MUST", "Clients MUST send the Accept-Encoding: gzip, br. dcb zstd header on every request."],
    ]);
  });

  it("still turns down keywords used as words", () => {
    expect(
      rows(
        "# T\n\nUse MUST for mandatory rules. The SHOULD rules are advice. A field described with a MUST or SHALL, it can be considered.\n",
      ),
    ).toEqual([]);
  });

  it("real documents: the OpenAPI Specification's REQUIRED field markers and its multipart rule", () => {
    const openapi = specRules.filter((r) => r.document === "openapi-3.1.1.md");
    expect(
      openapi.filter((r) => / REQUIRED\./.test(r.sentence) && r.priority === "MUST").length,
    ).toBeGreaterThanOrEqual(24);
    expect(openapi.map((r) => r.sentence)).toEqual(
      expect.arrayContaining([
        "title: REQUIRED. The title of the API.",
        "To upload multiple files, a multipart media type MUST be used as shown under Example: Multipart Form with Multiple Files.",
      ]),
    );
  });
});

describe("normative text in descriptive sections (Introduction, Overview, 개요 …)", () => {
  it("upper-case keywords are rules wherever they stand; anything else there is named in a warning with its count", () => {
    const en = extractRules("# T\n\n## 1. Introduction\n\nClients MUST retry with backoff.\n");
    expect(en.rules.map((r) => [r.priority, r.description, r.source.section])).toEqual([
      ["MUST", "Clients MUST retry with backoff.", "1. Introduction"],
    ]);
    const ko = extractRules(
      "# T\n\n## 1. 개요\n\n모든 요청은 로그를 남겨야 한다. 응답은 JSON이어야 한다.\n\n## 2. 규칙\n\n토큰은 암호화해야 한다.\n",
    );
    expect(ko.rules.map((r) => r.description)).toEqual(["토큰은 암호화해야 한다."]);
    expect(ko.warnings).toEqual([
      expect.objectContaining({
        code: "non_rule_section",
        line: 3,
        message: expect.stringMatching(
          /^Section "1\. 개요" is descriptive .*: 2 sentences there that read like a rule were not taken\./,
        ),
      }),
    ]);
    expect(ko.stats.rejected.non_rule_section).toBe(2);
  });

  it("real pages: each QueryPie Overview that holds would-be rules is named, with its count", async () => {
    const page = koreanPages().find((p) => p.name === "qp-1454342158.page.xhtml")!;
    const { markdown } = await convertHtml(page.text);
    const warnings = extractRules(markdown).warnings.filter((w) => w.code === "non_rule_section");
    // The page states "…하나의 IdP를 사용해야 합니다" in a panel under its Overview: not taken, but named.
    expect(warnings.map((w) => w.message.match(/^Section "([^"]+)".*: (\d+) sentences?/)!.slice(1))).toEqual([
      ["Overview", "1"],
    ]);
    expect(markdown).toContain("하나의 IdP를 사용해야 합니다.");
    for (const w of warnings) expect(markdown.split("\n")[w.line! - 1]).toMatch(/^#+ /);
  });
});

describe("lead-ins and the lists they introduce", () => {
  it("a lead-in ending in a colon takes its items; an item that starts with its keyword takes its lead-in's subject", () => {
    const r = extractRules(
      "# T\n\nServers MUST:\n\n- reject unsigned requests\n- log every rejection\n\nA successful response\n\n- MUST include the offset,\n- SHOULD include Cache-Control.\n",
    ).rules;
    expect(r.map((x) => [x.priority, x.description, x.title])).toEqual([
      ["MUST", "Servers MUST: reject unsigned requests; log every rejection", "Servers MUST"],
      ["MUST", "A successful response MUST include the offset,", "A successful response MUST include the offset"],
      [
        "SHOULD",
        "A successful response SHOULD include Cache-Control.",
        "A successful response SHOULD include Cache-Control",
      ],
    ]);
  });

  it("real specifications: no rule ends at its colon, the dictionary rules come with their list, the upload items with their subject", () => {
    expect(specRules.filter((r) => /[:：]$/.test(r.sentence.trim()))).toEqual([]);
    const pick = specRules.find(
      (r) =>
        r.document === "draft-ietf-httpbis-compression-dictionary.md" &&
        /MUST pick a single dictionary/.test(r.sentence),
    )!;
    expect(pick.sentence).toMatch(
      /using the following rules: \(1\) For clients that support request destinations, .* \(2\) /,
    );
    expect(pick.title).toBe("The client MUST pick a single dictionary using the…");
    const upload = specRules
      .filter((r) => r.document === "draft-ietf-httpbis-resumable-upload.md")
      .map((r) => r.sentence);
    expect(upload).toContain(
      "A successful response to a HEAD or GET request against an upload resource MUST include the offset in the Upload-Offset header field ({{upload-offset}}),",
    );
    expect(upload).toContain(
      "If the client received a final response with a 4xx (Client Error) status code, the client SHOULD NOT attempt to retry or resume the upload, unless the semantics of the response allow or recommend the client to retry the request.",
    );
  });
});

describe("hard line breaks", () => {
  it("a backslash or two spaces at the end of a line, or <br>, end the sentence, and the backslash stays out", () => {
    expect(rows("# T\n\nRetries happen first.\\\nClients MUST retry.\n")).toEqual([["MUST", "Clients MUST retry."]]);
    expect(rows("# T\n\nIntro line  \nServers SHOULD answer<br>Clients MAY cache\n")).toEqual([
      ["SHOULD", "Servers SHOULD answer"],
      ["MAY", "Clients MAY cache"],
    ]);
  });

  it("a real page: the converted <br> between two sentences splits them, no sentence keeps the backslash", async () => {
    const { markdown } = await convertHtml(readExternalSync("confluence-ko", "qp-883654669.page.xhtml"));
    const block = parseMarkdown(markdown).blocks.find((b) => b.text.includes("수신할 수 있습니다.\\\n"))!;
    const sentences = splitSentences(block.text).map((s) => s.text);
    expect(sentences[0]).toBe(
      "승인자는 앞에서 추가한 Slack App과의 DM으로 승인해야 할 요청 알림을 수신할 수 있습니다.",
    );
    expect(sentences[1]).toMatch(/^\**Allow Users to approve or reject on Slack DM\** 설정이 켜져 있으므로/);
    expect(sentences.some((s) => s.includes("\\"))).toBe(false);
  });
});

describe("titles state the requirement", () => {
  it("drop a leading condition or purpose, keep the keyword in view", () => {
    const title = (s: string) => extractRules(`# T\n\n${s}\n`).rules[0]!.title;
    expect(
      title("To be considered as a match, the dictionary resource MUST be either fresh or allowed to be served stale."),
    ).toBe("The dictionary resource MUST be either fresh or allowed to…");
    expect(
      title(
        "If the server does not apply any limits to the upload, it MUST use the default value instead of an empty header value.",
      ),
    ).toBe("It MUST use the default value instead of an empty header…");
    expect(
      title("역할이 두 개 이상이라면, Agent 로그인 후 Server 기능 사용을 위해 역할 선택을 먼저 완료해야 합니다."),
    ).toBe("Agent 로그인 후 Server 기능 사용을 위해 역할 선택을 먼저 완료해야 합니다");
  });

  it("real documents: every title holds its rule's keyword (specifications) or reads as a rule itself (Korean pages)", async () => {
    for (const r of specRules) expect(r.title, `${r.document}:${r.line}`).toContain(r.keyword);
    for (const page of koreanPages()) {
      for (const r of await koreanRules(page))
        expect(
          detectModal(cleanSentence(r.title.replace(/^…/, "")))?.language,
          `${r.document}:${r.line}: ${r.title}`,
        ).toBe("ko");
    }
  });
});

describe("Korean free text: capability is not obligation", () => {
  it("keeps out the polite …할 수 있습니다 / 없습니다 and the honorific …하실 수 있습니다; keeps plain-register permissions, restrictions and rules sections", () => {
    expect(
      rows(
        [
          "# T",
          "",
          "관리자는 감사 대상 Verb를 선택할 수 있습니다.",
          "사용 내역을 확인하실 수 있습니다.",
          "파일 크기가 700MB를 초과하여 세션을 재생할 수 없습니다.",
          "AD는 기본적으로 익명 바인드를 허용하지 않습니다.",
          "클라이언트는 ETag로 응답을 캐시할 수 있다.",
          "관리자만 정책을 삭제할 수 있습니다.",
          "글자 수는 3자에서 1000자 사이에서만 설정할 수 있습니다.",
          "결재자는 결과만 볼 수 있고 형식을 바꿀 수 없습니다.",
          "spec:deny에서는 문법적으로 허용되지 않습니다.",
          "",
          "## 제약 사항",
          "",
          "Date Range는 3개월까지 선택할 수 있습니다.",
          "사용 내역을 확인하실 수 있습니다.",
        ].join("\n"),
      ),
    ).toEqual([
      ["MAY", "클라이언트는 ETag로 응답을 캐시할 수 있다."],
      ["MAY", "관리자만 정책을 삭제할 수 있습니다."],
      ["MAY", "글자 수는 3자에서 1000자 사이에서만 설정할 수 있습니다."],
      ["MUST NOT", "spec:deny에서는 문법적으로 허용되지 않습니다."],
      ["MAY", "Date Range는 3개월까지 선택할 수 있습니다."],
    ]);
  });

  it("real pages: every rule taken is judged, at least 90 % are real requirements, and no judged requirement is lost", async () => {
    const judged = judgments("confluence-ko", "judgments.json");
    const taken: TakenRule[] = [];
    for (const page of koreanPages()) taken.push(...(await koreanRules(page)));
    expect(taken.length).toBeGreaterThanOrEqual(15);
    let real = 0;
    for (const r of taken) {
      const j = judged.find((x) => x.page === r.document && x.sentence === r.sentence);
      expect(j, `judge ${r.document}:${r.line} "${r.sentence}" in confluence-ko/judgments.json`).toBeDefined();
      if (j!.requirement) real++;
    }
    expect(real / taken.length).toBeGreaterThanOrEqual(0.9);
    for (const j of judged.filter((x) => x.requirement)) {
      expect(
        taken.some((r) => r.document === j.page && r.line === j.line),
        `${j.page}:${j.line} "${j.sentence}"`,
      ).toBe(true);
    }
    // What the pages gave before capability sentences were kept out: mostly MAY, mostly not requirements.
    const before = judged.filter((x) => x.before);
    expect(before.filter((x) => x.priority === "MAY").length).toBeGreaterThan(before.length / 2);
    expect(before.filter((x) => x.requirement).length / before.length).toBeLessThan(0.5);
  });
});

describe("any-case: design documents that do not follow RFC 2119", () => {
  it("reads lower-case must/shall/should only when asked, with lower reliability; never lower-case may, a leading Should, or should have been", () => {
    const md =
      "# T\n\nThe controller must retry failed syncs. Pods may be evicted. Should the call fail, the job stops. It should have been cached.\n";
    expect(extractRules(md).rules).toEqual([]);
    const r = extractRules(md, { keywords: "any-case" }).rules;
    expect(r.map((x) => [x.priority, x.description, x.reliability.keyword, x.reliability.keyword_case])).toEqual([
      ["MUST", "The controller must retry failed syncs.", "must", "lower"],
    ]);
    const upper = extractRules("# T\n\nThe controller MUST retry failed syncs in pkg/controller/.\n", {
      keywords: "any-case",
    }).rules[0]!;
    const lower = extractRules("# T\n\nThe controller must retry failed syncs in pkg/controller/.\n", {
      keywords: "any-case",
    }).rules[0]!;
    expect(lower.reliability.total_score).toBeLessThan(upper.reliability.total_score);
    expect(lower.reliability.total_score).toBeLessThanOrEqual(19);
    expect(upper.reliability.keyword_case).toBeUndefined();
  });

  it("real KEPs and Rust RFCs: nothing by default, rules with any-case, each marked lower and scoring low", () => {
    let anyCase = 0;
    for (const doc of designDocuments()) {
      expect(rulesOf(doc), doc.name).toEqual([]);
      const rules = extractRules(doc.text, { keywords: "any-case" }).rules;
      anyCase += rules.length;
      for (const r of rules) {
        expect(r.reliability.keyword_case).toBe("lower");
        expect(r.reliability.total_score).toBeLessThanOrEqual(19);
      }
    }
    expect(anyCase).toBeGreaterThanOrEqual(10);
    const kep = extractRules(readExternalSync("real-docs", "kep-1981-windows-privileged-container-support.md"), {
      keywords: "any-case",
    }).rules;
    expect(kep.map((r) => r.description)).toContain("On Windows, all containers in a pod must be privileged.");
  });
});
