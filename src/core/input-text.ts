/**
 * The one rule for the text SpecGate is given — tool arguments, files and standard input of the
 * CLI, library calls: **text is UTF-8 and holds no NUL character**. Anything else is refused with
 * E_INVALID_INPUT naming the file or field, before any work is done.
 *
 * NUL never occurs in a design document, in code or in JSON written by hand; it marks binary data
 * (an image, an archive, a PDF, UTF-16 text), which would otherwise come out as garbage Markdown,
 * as "no rules", or be copied byte for byte to standard output. Bytes that are not UTF-8 (a
 * Latin-1 or Shift-JIS export, a truncated file) would be silently replaced by U+FFFD.
 * docs/errors.md states the rule for users.
 */
import { SpecGateError } from "../errors.js";

const HINT = "SpecGate reads UTF-8 text (Markdown, HTML, JSON, YAML, code)";

/** 1-based line of offset `at` in `text` (counting `\n`). */
function lineOf(text: string | Buffer, at: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function notText(where: string, why: string, line?: number): SpecGateError {
  return new SpecGateError(
    "E_INVALID_INPUT",
    `${where} is not text: ${why}${line === undefined ? "" : ` (line ${line})`}. ${HINT}; binary files cannot be read.`,
    {
      details: { field: where, reason: "not_text" },
    },
  );
}

/** Throws E_INVALID_INPUT when `text` (a field, a document) holds a NUL character. */
export function assertText(text: string, where: string): void {
  const at = text.indexOf("\u0000");
  if (at !== -1) throw notText(where, "it contains a NUL character", lineOf(text, at));
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Bytes read from a file or standard input → text, under the rule above: UTF-16 (by its byte
 * order mark), bytes that are not UTF-8, and NUL bytes are each refused with their own reason.
 * A UTF-8 byte order mark is kept, as `Buffer#toString` kept it.
 */
export function decodeText(bytes: Buffer, where: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw notText(where, "it is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8");
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw notText(where, "it contains NUL bytes, as binary data does", lineOf(bytes, nul));
  try {
    return UTF8.decode(bytes);
  } catch {
    throw notText(where, "its bytes are not valid UTF-8 (another encoding, or binary data)");
  }
}
