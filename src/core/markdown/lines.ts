/**
 * The lines of a document's source: found once (one pass over the text, offsets in a typed array),
 * then read by number without splitting the source. The Markdown model carries them, so the
 * parser, the linter and the extractor share one index.
 */
export class SourceLines {
  private starts: Uint32Array | undefined;
  private count = 0;

  constructor(readonly source: string) {}

  /** Offset of line `n`'s first character (1 ≤ n ≤ length). */
  start(n: number): number {
    return this.index()[n - 1]!;
  }

  /** Offset just past line `n`'s last character: its line break, or the end of the source. */
  end(n: number): number {
    const starts = this.index();
    if (n < this.count) return starts[n]! - 1;
    const s = this.source;
    return s.charCodeAt(s.length - 1) === 10 ? s.length - 1 : s.length;
  }

  /** Text of line `n` (1-based) without its line break (or a carriage return before it); "" beyond the end. */
  get(n: number): string {
    const starts = this.index();
    if (n < 1 || n > this.count) return "";
    const from = starts[n - 1]!;
    let to = this.end(n);
    if (to > from && this.source.charCodeAt(to - 1) === 13) to--;
    return this.source.slice(from, to);
  }

  /** Number of lines, counting a last line without a line break. */
  get length(): number {
    this.index();
    return this.count;
  }

  /** The last line (1-based) that is not blank, or 1. */
  lastContentLine(): number {
    for (let n = this.length; n >= 1; n--) if (this.get(n).trim() !== "") return n;
    return 1;
  }

  private index(): Uint32Array {
    if (this.starts) return this.starts;
    const s = this.source;
    // One pass: offsets after each line break, in an array that doubles when full.
    let starts = new Uint32Array(Math.max(16, (s.length >> 5) + 1));
    let n = 1;
    for (let at = s.indexOf("\n"); at !== -1 && at + 1 < s.length; at = s.indexOf("\n", at + 1)) {
      if (n === starts.length) {
        const grown = new Uint32Array(n * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[n++] = at + 1;
    }
    this.count = s.length === 0 ? 0 : n;
    this.starts = starts;
    return starts;
  }
}
