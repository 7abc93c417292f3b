/**
 * What one JSON-RPC message may cost to parse, checked over its bytes before JSON.parse builds
 * anything. JSON.parse materialises every array and object at once, whatever its depth: 32 MB of
 * `[`×N `]`×N is 16 million arrays (1.7 GB of heap) and 43 s of a blocked event loop, and two
 * million `[]` side by side take a second. The cost of a parse is its values, not its bytes, so a
 * message may nest at most {@link MAX_JSON_DEPTH} levels and hold at most
 * {@link MAX_JSON_VALUES} values. Both transports (HTTP bodies, stdio lines) check this first and
 * answer −32700 when it fails.
 *
 * The scan is linear and allocates nothing: outside strings it looks at each byte; inside a string
 * it jumps from quote to quote (Buffer.indexOf), so a 10 MB document in a string costs a few
 * memchr calls. It does not validate JSON — JSON.parse does that — it only bounds what JSON.parse
 * will be asked to build.
 */

/** Deepest nesting of arrays and objects in one message (the JSON-RPC envelope takes 3 levels). */
export const MAX_JSON_DEPTH = 64;

/** Most values (objects, arrays, strings, numbers, true/false/null; keys not counted) in one message. */
export const MAX_JSON_VALUES = 1_000_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Why `bytes` must not be parsed, as the message of a −32700 answer; undefined when it may be. */
export function jsonCostError(bytes: Uint8Array, maxDepth = MAX_JSON_DEPTH, maxValues = MAX_JSON_VALUES): string | undefined {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let depth = 0;
  let values = 0;
  let inScalar = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    switch (c) {
      case 0x5b: // [
      case 0x7b: // {
        inScalar = false;
        if (++depth > maxDepth) return `Parse error: the message nests deeper than ${maxDepth} levels, the limit for one message.`;
        if (++values > maxValues) return tooMany(maxValues);
        break;
      case 0x5d: // ]
      case 0x7d: // }
        inScalar = false;
        depth--;
        break;
      case 0x3a: // : — the string before it was a key, not a value
        inScalar = false;
        values--;
        break;
      case 0x2c: // ,
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        inScalar = false;
        break;
      case QUOTE:
        inScalar = false;
        if (++values > maxValues) return tooMany(maxValues);
        i = closingQuote(buf, i + 1);
        if (i === -1) return undefined; // unterminated: JSON.parse says so
        break;
      default:
        // The first byte of a number or of true/false/null.
        if (!inScalar) {
          inScalar = true;
          if (++values > maxValues) return tooMany(maxValues);
        }
    }
  }
  return undefined;
}

/** Index of the quote that closes a string whose content starts at `from`, or -1. */
function closingQuote(buf: Buffer, from: number): number {
  for (let q = buf.indexOf(QUOTE, from); q !== -1; q = buf.indexOf(QUOTE, q + 1)) {
    // Escaped when preceded by an odd run of backslashes; each run is walked once.
    let backslashes = 0;
    for (let j = q - 1; j >= from && buf[j] === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return -1;
}

function tooMany(maxValues: number): string {
  return `Parse error: the message holds more than ${maxValues.toLocaleString("en-US")} values, the limit for one message. Send the input in parts.`;
}
