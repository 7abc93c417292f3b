import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cqlString, labelCql, titleCql } from "../../src/core/confluence/cql.js";
import { decodeCursor, encodeCursor } from "../../src/core/confluence/cursor.js";
import { decodeTinyLink, encodeTinyLink, linkOnBase, parsePageUrl, webUrl } from "../../src/core/confluence/urls.js";
import { SpecGateError } from "../../src/errors.js";

const cloud = new URL("https://querypie.atlassian.net/wiki");
const dc = new URL("https://wiki.example.com/confluence");

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof SpecGateError ? error.code : "not a SpecGateError";
  }
  return undefined;
}

describe("tiny links", () => {
  it("decode the real tiny links of the corpus page and its ancestors", () => {
    // From qp-1844969501-ko-support.page.v1.yaml (_links.tinyui of the page and two ancestors).
    expect(decodeTinyLink("HQD4bQ")).toBe("1844969501");
    expect(decodeTinyLink("iABeIg")).toBe("576585864");
    expect(decodeTinyLink("TQBFJ")).toBe("608501837");
  });

  it("round-trip any id, including ids whose base64 holds / and + (written - and _)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 63n }), (n) => {
        const id = n.toString();
        const code = encodeTinyLink(id);
        expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeTinyLink(code)).toBe(id);
      }),
    );
    expect(encodeTinyLink("4227858431")).toContain("_"); // 0xFBFFFFFF → base64 has "+"
  });

  it("refuse codes that are not tiny links", () => {
    expect(codeOf(() => decodeTinyLink("abc$"))).toBe("E_INVALID_INPUT");
    expect(codeOf(() => decodeTinyLink("AAAA"))).toBe("E_INVALID_INPUT");
    expect(codeOf(() => decodeTinyLink("ABCDEFGHIJKL"))).toBe("E_INVALID_INPUT");
  });
});

describe("page URLs", () => {
  it("read every Cloud form", () => {
    expect(
      parsePageUrl("https://querypie.atlassian.net/wiki/spaces/QM/pages/1844969501/%EC%A7%80%EC%9B%90", cloud),
    ).toEqual({ kind: "id", id: "1844969501" });
    expect(parsePageUrl("https://querypie.atlassian.net/wiki/spaces/QM/pages/1844969501", cloud)).toEqual({
      kind: "id",
      id: "1844969501",
    });
    expect(parsePageUrl("https://querypie.atlassian.net/wiki/spaces/QM/pages/edit-v2/1844969501", cloud)).toEqual({
      kind: "id",
      id: "1844969501",
    });
    expect(parsePageUrl("https://querypie.atlassian.net/wiki/pages/viewpage.action?pageId=1844969501", cloud)).toEqual({
      kind: "id",
      id: "1844969501",
    });
    expect(parsePageUrl("https://querypie.atlassian.net/wiki/x/HQD4bQ", cloud)).toEqual({
      kind: "id",
      id: "1844969501",
    });
    expect(
      parsePageUrl("https://querypie.atlassian.net/wiki/spaces/QM/blog/2024/01/15/123456789/Release+notes", cloud),
    ).toEqual({
      kind: "id",
      id: "123456789",
      type: "blogpost",
    });
    expect(parsePageUrl("/wiki/spaces/QM/pages/42/T", cloud)).toEqual({ kind: "id", id: "42" });
    expect(parsePageUrl("querypie.atlassian.net/wiki/x/HQD4bQ", cloud)).toEqual({ kind: "id", id: "1844969501" });
  });

  it("read every Data Center form, under a context path", () => {
    expect(parsePageUrl("https://wiki.example.com/confluence/pages/viewpage.action?pageId=27821303", dc)).toEqual({
      kind: "id",
      id: "27821303",
    });
    expect(parsePageUrl("https://wiki.example.com/confluence/display/KAFKA/Kafka+Improvement+Proposals", dc)).toEqual({
      kind: "title",
      spaceKey: "KAFKA",
      title: "Kafka Improvement Proposals",
    });
    expect(parsePageUrl("https://wiki.example.com/confluence/display/PAY/C%2B%2B+%26+%22Quotes%22", dc)).toEqual({
      kind: "title",
      spaceKey: "PAY",
      title: 'C++ & "Quotes"',
    });
    expect(
      parsePageUrl(
        "https://wiki.example.com/confluence/pages/viewpage.action?spaceKey=PAY&title=API+%EC%84%A4%EA%B3%84%EC%84%9C",
        dc,
      ),
    ).toEqual({
      kind: "title",
      spaceKey: "PAY",
      title: "API 설계서",
    });
    expect(parsePageUrl(`https://wiki.example.com/confluence/x/${encodeTinyLink("27821303")}`, dc)).toEqual({
      kind: "id",
      id: "27821303",
    });
  });

  it("refuse URLs on any other host, whatever the trick", () => {
    for (const url of [
      "https://evil.example.com/wiki/spaces/QM/pages/1/T",
      "https://querypie.atlassian.net.evil.com/wiki/x/HQD4bQ",
      "https://querypie.atlassian.net@evil.com/wiki/x/HQD4bQ",
      "https://querypie.atlassian.net:8443/wiki/x/HQD4bQ",
      "https://other.atlassian.net/wiki/x/HQD4bQ",
      "//evil.com/wiki/x/HQD4bQ",
      "http://127.0.0.1/wiki/x/HQD4bQ",
    ]) {
      let error: unknown;
      try {
        parsePageUrl(url, cloud);
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(SpecGateError);
      expect((error as SpecGateError).code).toBe("E_INVALID_INPUT");
    }
    expect(codeOf(() => parsePageUrl("file:///etc/passwd", cloud))).toBe("E_INVALID_INPUT");
  });

  it("explain unsupported forms", () => {
    expect(() => parsePageUrl("https://querypie.atlassian.net/wiki/spaces/QM/overview", cloud)).toThrow(
      /Supported forms/,
    );
    expect(
      codeOf(() => parsePageUrl("https://querypie.atlassian.net/wiki/pages/viewpage.action?pageId=12ab", cloud)),
    ).toBe("E_INVALID_INPUT");
  });

  it("make web and API links absolute on the configured base only", () => {
    expect(webUrl(cloud, "/spaces/QM/pages/1844969501", "1844969501")).toBe(
      "https://querypie.atlassian.net/wiki/spaces/QM/pages/1844969501",
    );
    expect(webUrl(cloud, "https://evil.com/x", "5")).toBe(
      "https://querypie.atlassian.net/wiki/pages/viewpage.action?pageId=5",
    );
    expect(linkOnBase("/rest/api/content/search?cursor=a", cloud)).toBe("/rest/api/content/search?cursor=a");
    expect(linkOnBase("/wiki/api/v2/pages/1/labels?cursor=b", cloud)).toBe("/api/v2/pages/1/labels?cursor=b");
    expect(linkOnBase("https://querypie.atlassian.net/wiki/rest/api/content/search?x=1", cloud)).toBe(
      "/rest/api/content/search?x=1",
    );
    expect(linkOnBase("https://evil.com/wiki/rest/api/content/search?x=1", cloud)).toBeUndefined();
  });
});

describe("CQL", () => {
  it("quotes and escapes user input so it cannot break out of the string", () => {
    expect(cqlString('He said "hi" \\o/')).toBe('"He said \\"hi\\" \\\\o/"');
    expect(titleCql("PAY", 'API "v2" 설계서')).toBe('space = "PAY" AND title = "API \\"v2\\" 설계서" AND type = page');
    expect(labelCql("specgate:type:api-design", "PAY")).toBe(
      'label = "specgate:type:api-design" AND space = "PAY" AND type in (page, blogpost)',
    );
    expect(labelCql("specgate:type:api-design")).toBe(
      'label = "specgate:type:api-design" AND type in (page, blogpost)',
    );
    expect(labelCql('x" OR space = "SECRET')).toBe('label = "x\\" OR space = \\"SECRET" AND type in (page, blogpost)');
  });

  it("refuses control characters", () => {
    expect(codeOf(() => titleCql("PAY", "two\nlines"))).toBe("E_INVALID_INPUT");
  });
});

describe("cursors", () => {
  it("round-trip and stay bound to their query", () => {
    const c = encodeCursor('label = "a"', { next: "/rest/api/content/search?cursor=xyz&limit=10" });
    expect(decodeCursor(c, 'label = "a"')).toEqual({ next: "/rest/api/content/search?cursor=xyz&limit=10" });
    expect(decodeCursor(encodeCursor("q", { start: 50 }), "q")).toEqual({ start: 50 });
    expect(codeOf(() => decodeCursor(c, 'label = "b"'))).toBe("E_INVALID_INPUT");
    expect(codeOf(() => decodeCursor("not-a-cursor", "q"))).toBe("E_INVALID_INPUT");
  });

  it("refuse a forged cursor that points anywhere but the search API", () => {
    const tag = JSON.parse(Buffer.from(encodeCursor("q", { start: 0 }), "base64url").toString()).q as string;
    const forged = Buffer.from(JSON.stringify({ v: 1, q: tag, n: "/rest/api/user/current" })).toString("base64url");
    expect(codeOf(() => decodeCursor(forged, "q"))).toBe("E_INVALID_INPUT");
  });
});
