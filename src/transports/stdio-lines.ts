/**
 * Frames stdin into whole lines, one line per chunk of its readable side (object mode), for the
 * stdio transport (./stdio-messages.ts).
 *
 * Each chunk is scanned once and a message is joined once (a reader that concatenates its whole
 * buffer with every chunk and rescans it would copy a 10 MB message arriving in 64 KB chunks ~160
 * times over). A line longer than `maxLineBytes` is dropped as it streams (never held whole) and
 * reported through `onOversized`; reading resumes at the next line.
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
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl + 1);
      if (this.discarding) this.discarding = false;
      else if (this.pendingBytes + piece.length > this.maxLineBytes + 1)
        this.onOversized(this.pendingBytes + piece.length);
      else
        this.push(
          this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece], this.pendingBytes + piece.length),
        );
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
    // A last message without its newline: hand it over, as a line.
    if (this.pendingBytes > 0 && !this.discarding) this.push(Buffer.concat(this.pending, this.pendingBytes));
    done();
  }
}
