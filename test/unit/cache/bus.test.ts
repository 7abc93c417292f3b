import { describe, expect, it } from "vitest";
import { parse } from "../../../src/cache/bus.js";
import { CACHE_KINDS } from "../../../src/tools/cache-policies.js";

/** The namespaces a server serves; the bus drops invalidations of any other. */
const served = (name: string) => (CACHE_KINDS as readonly string[]).includes(name);

describe("cache bus messages", () => {
  it("accepts invalidations and fill announcements", () => {
    expect(parse('{"v":1,"from":"a","t":"inv","kind":"convert"}', served)).toEqual({
      from: "a",
      t: "inv",
      kind: "convert",
    });
    expect(parse('{"v":1,"from":"a","t":"inv","kind":"confluence_page","pattern":"12*"}', served)).toEqual({
      from: "a",
      t: "inv",
      kind: "confluence_page",
      pattern: "12*",
    });
    expect(parse('{"v":1,"from":"b","t":"filled","key":"convert:1.0:h:x"}')).toEqual({
      from: "b",
      t: "filled",
      key: "convert:1.0:h:x",
    });
  });

  it("drops anything else: other versions, unknown kinds, bad fields, non-JSON, oversized", () => {
    for (const raw of [
      '{"v":2,"from":"a","t":"inv","kind":"convert"}',
      '{"v":1,"from":"a","t":"inv","kind":"everything"}',
      '{"v":1,"from":"a","t":"inv","kind":"convert","pattern":5}',
      '{"v":1,"t":"inv","kind":"convert"}',
      '{"v":1,"from":"a","t":"flush"}',
      "not json",
      "null",
      `{"v":1,"from":"a","t":"filled","key":"${"x".repeat(5000)}"}`,
    ]) {
      expect(parse(raw, served)).toBeUndefined();
    }
  });
});
