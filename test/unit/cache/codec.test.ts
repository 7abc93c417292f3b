import { promisify } from "node:util";
import { deflateRaw } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createCodec } from "../../../src/cache/codec.js";

describe("L2 codec", () => {
  const codec = createCodec({ compressAboveBytes: 1024 });

  it("keeps small values as tagged JSON", async () => {
    const bytes = await codec.encode({ title: "결제 API 설계서", score: 92 });
    expect(bytes[0]).toBe(0x01);
    expect(JSON.parse(bytes.subarray(1).toString("utf8"))).toEqual({ title: "결제 API 설계서", score: 92 });
    expect(await codec.decode(bytes)).toEqual({ title: "결제 API 설계서", score: 92 });
  });

  it("deflates values above the threshold and reads them back exactly", async () => {
    const value = {
      markdown: "## 설계 규칙\n\n- **RULE-API-001** (MUST): 모든 API는 버전을 포함해야 한다.\n".repeat(500),
      n: [1, 2, 3],
    };
    const bytes = await codec.encode(value);
    expect(bytes[0]).toBe(0x02);
    expect(bytes.byteLength).toBeLessThan(JSON.stringify(value).length / 10);
    expect(await codec.decode(bytes)).toEqual(value);
  });

  it("refuses an unknown layout and an entry that inflates past the cap", async () => {
    await expect(codec.decode(Buffer.from([0x07, 0x7b, 0x7d]))).rejects.toThrow(/unknown L2 value encoding/);
    const bomb = Buffer.concat([Buffer.of(0x02), await promisify(deflateRaw)(Buffer.alloc(8 * 1024 * 1024, 0x20))]);
    await expect(createCodec({ maxDecodedBytes: 1024 * 1024 }).decode(bomb)).rejects.toThrow();
  });
});
