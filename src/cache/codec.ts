/**
 * How values are stored in L2: JSON, deflated above a size threshold. The first byte says which
 * (so a reader never guesses), and {@link FORMAT_VERSION} is part of every L2 key, so a release
 * that changes this layout never reads an older one.
 *
 * Compression runs on the libuv thread pool (async zlib), never synchronously on the request
 * path; inflating is capped so a corrupt or hostile entry cannot balloon in memory.
 */
import { promisify } from "node:util";
import type { ZlibOptions } from "node:zlib";

/** Bump when the byte layout below changes. */
export const FORMAT_VERSION = 1;

const RAW = 0x01;
const DEFLATED = 0x02;

type Packer = (bytes: Buffer, options: ZlibOptions) => Promise<Buffer>;
let packers: { deflate: Packer; inflate: Packer } | undefined;

/** node:zlib, loaded with the first value large enough to deflate or inflate, not at every start. */
function zlib(): { deflate: Packer; inflate: Packer } {
  if (!packers) {
    const { deflateRaw, inflateRaw } = process.getBuiltinModule("node:zlib");
    packers = { deflate: promisify(deflateRaw), inflate: promisify(inflateRaw) };
  }
  return packers;
}

/** Serialises values for L2. */
export interface CacheCodec {
  encode(value: unknown): Promise<Buffer>;
  decode(bytes: Buffer): Promise<unknown>;
}

export interface CodecOptions {
  /** JSON at least this long is deflated (default 4 KiB: below it the thread-pool hop costs more than it saves). */
  compressAboveBytes?: number;
  /** zlib level 1-9 (default 1: most of the gain at a fraction of the CPU). */
  level?: number;
  /** Refuse to inflate past this many bytes (default 64 MiB). */
  maxDecodedBytes?: number;
}

export function createCodec(options: CodecOptions = {}): CacheCodec {
  const threshold = options.compressAboveBytes ?? 4096;
  const level = options.level ?? 1;
  const maxOutputLength = options.maxDecodedBytes ?? 64 * 1024 * 1024;
  return {
    async encode(value) {
      const json = Buffer.from(JSON.stringify(value) ?? "null", "utf8");
      if (json.byteLength >= threshold) {
        const packed = await zlib().deflate(json, { level });
        if (packed.byteLength < json.byteLength) return Buffer.concat([Buffer.of(DEFLATED), packed]);
      }
      return Buffer.concat([Buffer.of(RAW), json]);
    },
    async decode(bytes) {
      const tag = bytes[0];
      if (tag === RAW) return JSON.parse(bytes.subarray(1).toString("utf8")) as unknown;
      if (tag === DEFLATED) {
        const json = await zlib().inflate(bytes.subarray(1), { maxOutputLength });
        return JSON.parse(json.toString("utf8")) as unknown;
      }
      throw new Error(`unknown L2 value encoding 0x${(tag ?? 0).toString(16)}`);
    },
  };
}

export const defaultCodec: CacheCodec = createCodec();
