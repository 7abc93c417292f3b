/**
 * Frames stdin into whole lines before the SDK's stdio transport sees them.
 *
 * The SDK's reader concatenates its whole buffer with every chunk and scans it from the start for
 * a newline, so a 10 MB message arriving in 64 KB chunks is copied and scanned ~160 times over.
 * Here each chunk is scanned once and a message is joined once, so the reader always receives
 * complete lines. A line longer than `maxLineBytes` is dropped as it streams (never held whole)
 * and reported through `onOversized`; reading resumes at the next line.
 */
import { Transform, type TransformCallback } from "node:stream";

const NEWLINE = 0x0a;

export class LineFramer extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onOversized: (bytesSoFar: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl + 1);
      if (this.discarding) this.discarding = false;
      else if (this.pendingBytes + piece.length > this.maxLineBytes + 1) this.onOversized(this.pendingBytes + piece.length);
      else this.push(this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece], this.pendingBytes + piece.length));
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length && !this.discarding) {
      const rest = chunk.subarray(start);
      if (this.pendingBytes + rest.length > this.maxLineBytes) {
        this.onOversized(this.pendingBytes + rest.length);
        this.pending = [];
        this.pendingBytes = 0;
        this.discarding = true;
      } else {
        this.pending.push(rest);
        this.pendingBytes += rest.length;
      }
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    // A last message without its newline: hand it over as the SDK would have buffered it.
    if (this.pendingBytes > 0 && !this.discarding) this.push(Buffer.concat(this.pending, this.pendingBytes));
    done();
  }
}
