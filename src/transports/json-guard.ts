/**
 * What one JSON-RPC message may cost to parse, checked over its bytes before JSON.parse builds
 * anything. JSON.parse materialises every array and object at once, whatever its depth: 32 MB of
 * `[`×N `]`×N is 16 million arrays (1.7 GB of heap) and 43 s of a blocked event loop, and two
 * million `[]` side by side take a second. The cost of a parse is its values, not its bytes, so a
 * message may nest at most {@link MAX_JSON_DEPTH} levels and hold at most
 * {@link MAX_JSON_VALUES} values. Both transports check this first and answer −32700 when it
 * fails: HTTP as the body arrives (an attack is refused at its first kilobytes, never buffered),
 * stdio per line.
 *
 * The scan is linear and allocates nothing: outside strings it looks at each byte; inside a string
 * it jumps from quote to quote (Buffer.indexOf), so a 10 MB document in a string costs one memchr
 * call. It does not validate JSON — JSON.parse does that — it only bounds what
 * JSON.parse will be asked to build.
 */

/** Deepest nesting of arrays and objects in one message (the JSON-RPC envelope takes 3 levels). */
export const MAX_JSON_DEPTH = 64;

/** Most values (objects, arrays, strings, numbers, true/false/null; keys not counted) in one message. */
export const MAX_JSON_VALUES = 1_000_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Meters one message fed in chunks; `push` returns why it must not be parsed, once it is known. */
export class JsonCostMeter {
  private depth = 0;
  private values = 0;
  private inString = false;
  private backslashes = 0; // inside a string, the run of backslashes that ended the previous chunk
  private inScalar = false;
  private refused: string | undefined;

  constructor(
    private readonly maxDepth = MAX_JSON_DEPTH,
    private readonly maxValues = MAX_JSON_VALUES,
  ) {}

  push(chunk: Uint8Array): string | undefined {
    if (this.refused) return this.refused;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = 0; i < buf.length; i++) {
      if (this.inString) {
        i = this.skipString(buf, i) - 1;
        continue;
      }
      const c = buf[i]!;
      switch (c) {
        case 0x5b: // [
        case 0x7b: // {
          this.inScalar = false;
          if (++this.depth > this.maxDepth)
            return this.refuse(
              `Parse error: the message nests deeper than ${this.maxDepth} levels, the limit for one message.`,
            );
          if (!this.count()) return this.refused;
          break;
        case 0x5d: // ]
        case 0x7d: // }
          this.inScalar = false;
          this.depth--;
          break;
        case 0x3a: // : — the string before it was a key, not a value
          this.inScalar = false;
          this.values--;
          break;
        case 0x2c: // ,
        case 0x20:
        case 0x09:
        case 0x0a:
        case 0x0d:
          this.inScalar = false;
          break;
        case QUOTE:
          this.inScalar = false;
          this.inString = true;
          if (!this.count()) return this.refused;
          break;
        default:
          // The first byte of a number or of true/false/null.
          if (!this.inScalar) {
            this.inScalar = true;
            if (!this.count()) return this.refused;
          }
      }
    }
    return undefined;
  }

  /**
   * From `i` inside a string: the index after its closing quote (the string then ends), or the
   * chunk's length. It jumps from quote to quote; a quote is escaped when an odd run of
   * backslashes precedes it (a run may have begun in an earlier chunk: `backslashes` carries it).
   * Each byte is walked back over at most once, so the scan stays linear.
   */
  private skipString(buf: Buffer, i: number): number {
    for (let q = buf.indexOf(QUOTE, i); q !== -1; q = buf.indexOf(QUOTE, i)) {
      let run = 0;
      let j = q - 1;
      while (j >= i && buf[j] === BACKSLASH) {
        run++;
        j--;
      }
      if (j < i) run += this.backslashes;
      this.backslashes = 0;
      if (run % 2 === 0) {
        this.inString = false;
        return q + 1;
      }
      i = q + 1;
    }
    let j = buf.length - 1;
    while (j >= i && buf[j] === BACKSLASH) j--;
    this.backslashes = (j < i ? this.backslashes : 0) + (buf.length - 1 - j);
    return buf.length;
  }

  private count(): boolean {
    if (++this.values <= this.maxValues) return true;
    this.refuse(
      `Parse error: the message holds more than ${this.maxValues.toLocaleString("en-US")} values, the limit for one message. Send the input in parts.`,
    );
    return false;
  }

  private refuse(reason: string): string {
    this.refused = reason;
    return reason;
  }
}

/** Why `bytes` (one whole message) must not be parsed, as the message of a −32700 answer; undefined when it may be. */
export function jsonCostError(
  bytes: Uint8Array,
  maxDepth = MAX_JSON_DEPTH,
  maxValues = MAX_JSON_VALUES,
): string | undefined {
  return new JsonCostMeter(maxDepth, maxValues).push(bytes);
}
